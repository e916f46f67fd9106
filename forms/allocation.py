"""Allocation to arms (protocol.md §4): permuted blocks, and the concealed allocation list format.

In a randomised study the app assigns the arm at enrolment -- from a sequence generated here by
permuted blocks (block sizes and ratio from the protocol, a seeded ``random.Random`` whose seed is
kept from staff) or from an imported concealed list -- never staff by hand. Storage keeps the
sequence sealed and audits each use; this module is pure. Stdlib only.
"""
from __future__ import annotations

import csv
import io
import random
import re
from typing import Mapping, Sequence

from forms.errors import UserError
from forms.protocol import Protocol

_SEQ = re.compile(r"[0-9]+")


def _check_design(arms_ratio: Mapping[str, int], block_sizes: Sequence[int]) -> int:
    if not arms_ratio:
        raise UserError("allocation: no arms to allocate to")
    for arm, weight in arms_ratio.items():
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise UserError(f"allocation: arm {arm!r} needs a whole-number weight of at least 1")
    total = sum(arms_ratio.values())
    if not block_sizes:
        raise UserError("allocation: no block sizes")
    for size in block_sizes:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1 or size % total:
            raise UserError(f"allocation: block size {size!r} is not a positive multiple of "
                            f"the ratio's total {total}")
    return total


def permuted_block_sequence(arms_ratio: Mapping[str, int], block_sizes: Sequence[int], n: int,
                            rng: random.Random) -> list[tuple[str, ...]]:
    """The whole blocks that cover ``n`` slots (the last one complete, not cut).

    Each block's size is drawn uniformly from ``block_sizes`` (several sizes make the end of a
    block harder to guess); a block of size ``k * total`` holds ``k * weight`` slots of each arm,
    shuffled. The same ``rng`` state gives the same blocks (arms in ``arms_ratio`` order).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise UserError(f"allocation: the number of slots must be a whole number >= 0, got {n!r}")
    total = _check_design(arms_ratio, block_sizes)
    sizes = list(block_sizes)
    blocks: list[tuple[str, ...]] = []
    filled = 0
    while filled < n:
        size = rng.choice(sizes)
        block = [arm for arm, weight in arms_ratio.items()
                 for _ in range(weight * (size // total))]
        rng.shuffle(block)
        blocks.append(tuple(block))
        filled += size
    return blocks


def permuted_blocks(arms_ratio: Mapping[str, int], block_sizes: Sequence[int], n: int,
                    rng: random.Random) -> list[str]:
    """The first ``n`` arm ids of a permuted-block sequence (:func:`permuted_block_sequence`).

    Every complete block is exactly balanced to the ratio; only the last may be cut at ``n``.
    """
    return [arm for block in permuted_block_sequence(arms_ratio, block_sizes, n, rng)
            for arm in block][:n]


def parse_allocation_list(text: str, protocol: Protocol) -> list[tuple[int, str]]:
    """A concealed allocation list ``seq,arm`` (CSV) as ``[(seq, arm id)]`` sorted by ``seq``.

    A header row is optional (``seq,arm``, any case, other columns ignored); without one, each
    line is exactly ``seq,arm``. Sequence numbers are whole numbers >= 1, each once; arms are the
    protocol's arm ids. Blank lines are skipped. Every problem is collected and raised at once as
    one :class:`UserError`, each named by its line (``line 7: arm 'x' is not an arm of ...``).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    arms = {a.id for a in protocol.arms}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for r in reader:
            if any(cell.strip() for cell in r):
                rows.append((reader.line_num, r))
    except csv.Error as exc:
        raise UserError(f"allocation list: not a valid CSV file (line {reader.line_num}: "
                        f"{exc})") from None
    if not rows:
        raise UserError("allocation list: empty (expected lines 'seq,arm')")
    header = [c.strip().lower() for c in rows[0][1]]
    problems: list[str] = []
    if "seq" in header or "arm" in header:
        if "seq" not in header or "arm" not in header:
            raise UserError(f"allocation list: line {rows[0][0]}: the header needs the "
                            "columns 'seq' and 'arm'")
        seq_col, arm_col, width = header.index("seq"), header.index("arm"), None
        rows = rows[1:]
    else:
        seq_col, arm_col, width = 0, 1, 2
    out: list[tuple[int, str]] = []
    seen: dict[int, int] = {}
    for line, row in rows:
        cells = [c.strip() for c in row]
        if width is not None and len(cells) != width:
            problems.append(f"line {line}: expected 2 values 'seq,arm', got {len(cells)}")
            continue
        if max(seq_col, arm_col) >= len(cells):
            problems.append(f"line {line}: too few values")
            continue
        seq_text, arm = cells[seq_col], cells[arm_col]
        if not _SEQ.fullmatch(seq_text) or int(seq_text) < 1:
            problems.append(f"line {line}: sequence number {seq_text!r} is not a whole "
                            "number >= 1")
        elif int(seq_text) in seen:
            problems.append(f"line {line}: sequence number {seq_text} already on line "
                            f"{seen[int(seq_text)]}")
        else:
            seen[int(seq_text)] = line
        if arm not in arms:
            problems.append(f"line {line}: arm {arm!r} is not an arm of {protocol.protocol_id} "
                            f"({', '.join(a.id for a in protocol.arms)})")
        if not problems:
            out.append((int(seq_text), arm))
    if problems:
        raise UserError(f"allocation list: {len(problems)} problem(s): " + "; ".join(problems))
    if not out:
        raise UserError("allocation list: no allocations after the header")
    return sorted(out)
