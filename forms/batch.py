"""``epro score --instrument rand36|csc INPUT.csv [-o OUTPUT.csv]``: score a CSV of answers.

Generic over instruments through :data:`SCORERS` (instrument id -> scoring module). A scoring module
exposes ``BATCH_INPUT_COLUMNS`` (item columns), ``BATCH_OUTPUT_COLUMNS`` (``"id"`` first),
``VALID_CODES`` (``{item column or item number: frozenset of codes}``) and
``score_batch_row(codes: dict[str, int | None]) -> dict[str, object]``; it may also offer the
column-wise ``score_batch_columns(columns, n_rows)`` fast path (``forms.sf36`` does).

Input rules (sf36.md 0.5, symptoms.md 3):

* UTF-8 text (a BOM is accepted), comma-separated, a header row. Header names are matched after
  trimming spaces, case-insensitively. ``id`` is required, and at least one item column; item
  columns that are absent count as not answered (named once on stderr); other columns are ignored.
* An empty cell (or only spaces) = not answered. A code is a plain integer; spaces around it are
  stripped. Anything else -- out of range, ``2.0``, ``2.5``, ``NA``, ``x`` -- is an invalid code:
  the row is still scored with that item missing, and ``row <id> (line <n>): <column> <value>``
  is named on stderr. (``2.0`` is rejected on purpose: a precode is an integer and a decimal
  usually means the column went through a float conversion that deserves a look.)
* Rows shorter than the header are padded with empty cells; blank lines are skipped.

Output: UTF-8, ``\\n`` line ends, a header ``BATCH_OUTPUT_COLUMNS``, one row per input row in the
same order; floats in full ``repr`` precision, empty = not computable. With ``-o`` the file is
written atomically (temporary file, then rename), so a failure never leaves half a file.

A malformed file (missing, empty, binary, not UTF-8, not CSV, no ``id`` or no item column) raises
:class:`forms.errors.UserError`: one line on stderr, exit status 2.
"""
from __future__ import annotations

import argparse
import csv
import importlib
import io
import os
import re
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterable, Sequence, TextIO

from forms.errors import UserError

SCORERS: dict[str, str] = {"rand36": "forms.sf36", "csc": "forms.csc"}
_INTEGER = re.compile(r"[+-]?[0-9]+")


def scorer_for(instrument_id: str) -> ModuleType:
    """The scoring module of an instrument (imported on first use)."""
    if instrument_id not in SCORERS:
        raise UserError(f"no batch scorer for instrument '{instrument_id}' "
                        f"(available: {', '.join(sorted(SCORERS))})")
    try:
        return importlib.import_module(SCORERS[instrument_id])
    except ModuleNotFoundError as exc:
        if exc.name == SCORERS[instrument_id]:
            raise UserError(f"scoring for '{instrument_id}' is not installed "
                            f"({SCORERS[instrument_id]} is missing)") from None
        raise


def valid_codes_by_column(module: ModuleType) -> dict[str, frozenset[int]]:
    """``VALID_CODES`` keyed by input column (item numbers ``n`` become ``q<n>``)."""
    out = {}
    for key, codes in module.VALID_CODES.items():
        out[key if isinstance(key, str) else f"q{key}"] = frozenset(codes)
    missing = [c for c in module.BATCH_INPUT_COLUMNS if c not in out]
    if missing:
        raise RuntimeError(f"{module.__name__}: VALID_CODES lacks {missing}")
    return {c: out[c] for c in module.BATCH_INPUT_COLUMNS}


def parse_code(text: str, valid: frozenset[int]) -> int | None:
    """Precode of one cell: None for empty; ValueError for anything not a valid integer code."""
    s = text.strip()
    if not s:
        return None
    if not _INTEGER.fullmatch(s):
        raise ValueError("not an integer code")
    code = int(s)
    if code not in valid:
        raise ValueError("out of range")
    return code


def _describe(valid: frozenset[int]) -> str:
    codes = sorted(valid)
    if codes == list(range(codes[0], codes[-1] + 1)) and len(codes) > 2:
        return f"{codes[0]}-{codes[-1]}"
    return ", ".join(map(str, codes))


def read_csv(path: str) -> tuple[list[str], list[list[str]], list[int]]:
    """(header, data rows, line number of each row); raises UserError when malformed."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in raw:
        raise UserError(f"{path}: not a CSV text file (binary content)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}); "
                        "save the file as CSV UTF-8") from None
    if not text.strip():
        raise UserError(f"{path}: empty file (a header row with an 'id' column is required)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        header = next(reader)
        while not any(c.strip() for c in header):
            header = next(reader)
        append_row, append_line = rows.append, lines.append
        for row in reader:
            if row:
                append_row(row)
                append_line(reader.line_num)
    except StopIteration:
        raise UserError(f"{path}: empty file (a header row with an 'id' column is required)") \
            from None
    except csv.Error as exc:
        raise UserError(f"{path}: not a valid CSV file (line {reader.line_num}: {exc})") from None
    return header, rows, lines


class _Report:
    """Problems found in rows, printed to stderr in row order."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.items: list[tuple[int, int, str]] = []

    def add(self, row: int, column: int, message: str) -> None:
        self.items.append((row, column, message))

    def flush(self) -> None:
        for _, _, message in sorted(self.items):
            print(f"epro: {message}", file=self.stream)
        self.items.clear()


def _column_index(header: Sequence[str], path: str) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise UserError(f"{path}: duplicate column(s) {', '.join(dupes)} in the header")
    return {n: i for i, n in enumerate(names) if n}


def score_table(module: ModuleType, header: list[str], rows: list[list[str]],
                lines: Sequence[int], report: _Report, path: str = "input"
                ) -> tuple[list[str], Iterable[Sequence[str]]]:
    """Validate and score parsed CSV rows; returns (output header, output rows)."""
    index = _column_index(header, path)
    if "id" not in index:
        hint = " (is it separated by ';'? use ',')" if ";" in "".join(header) else ""
        raise UserError(f"{path}: no 'id' column in the header{hint}")
    valid = valid_codes_by_column(module)
    present = [c for c in valid if c.lower() in index]
    if not present:
        raise UserError(f"{path}: no item columns ({module.BATCH_INPUT_COLUMNS[0]} … "
                        f"{module.BATCH_INPUT_COLUMNS[-1]}) in the header")
    absent = [c for c in valid if c.lower() not in index]
    if absent:
        report.add(-1, 0, f"{path}: column(s) {', '.join(absent)} absent: "
                          "scored as not answered in every row")
    width = len(header)
    n = len(rows)
    if any(len(r) < width for r in rows):
        rows = [r if len(r) >= width else r + [""] * (width - len(r)) for r in rows]
    cols = list(zip(*rows)) if rows else [()] * width
    ids = cols[index["id"]]
    columns: dict[str, list[int | None]] = {}
    for c in present:
        j = index[c.lower()]
        cells = cols[j]
        codes = valid[c]
        lookup: dict[str, int | None] = {"": None, **{str(k): k for k in codes}}
        if lookup.keys() >= set(cells):
            columns[c] = list(map(lookup.__getitem__, cells))
            continue
        converted: list[int | None] = []
        for r, cell in enumerate(cells):
            if cell in lookup:
                converted.append(lookup[cell])
                continue
            try:
                converted.append(parse_code(cell, codes))
            except ValueError as exc:
                converted.append(None)
                report.add(r, j, f"row {ids[r]!r} (line {lines[r]}): {c} {cell!r}: "
                                 f"invalid code ({exc}; valid: {_describe(codes)}, or empty); "
                                 "scored as not answered")
        columns[c] = converted
    out_header = list(module.BATCH_OUTPUT_COLUMNS)
    fast: Callable | None = getattr(module, "score_batch_columns", None)
    if fast is not None:
        return out_header, zip(ids, *fast(columns, n))
    return out_header, _score_rows(module, ids, columns, n)


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _score_rows(module: ModuleType, ids: Sequence[str], columns: dict[str, list[int | None]],
                n: int) -> Iterable[list[str]]:
    names = list(module.BATCH_INPUT_COLUMNS)
    outputs = list(module.BATCH_OUTPUT_COLUMNS)[1:]
    blank = [None] * n
    cols = [columns.get(c, blank) for c in names]
    for r in range(n):
        result = module.score_batch_row({c: col[r] for c, col in zip(names, cols)})
        yield [ids[r], *(_fmt(result.get(k)) for k in outputs)]


def _write(out: TextIO, header: list[str], rows: Iterable[Sequence[str]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def write_output(output: str | None, header: list[str], rows: Iterable[Sequence[str]]) -> None:
    """Write to ``output`` atomically, or to stdout (UTF-8) when it is None or ``-``."""
    if output in (None, "-"):
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # replaced stdout (tests): already text
            _write(sys.stdout, header, rows)
            return
        sys.stdout.flush()
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        try:
            _write(stream, header, rows)
            stream.flush()
        finally:
            stream.detach()
        return
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{output}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UserError(f"{output}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            _write(f, header, rows)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise UserError(f"{output}: cannot write ({exc.strerror or exc})") from None
        raise


def cmd_score(args: argparse.Namespace) -> int:
    """Handler of ``epro score``: exit 0 when the file was scored (bad cells are reported)."""
    module = scorer_for(args.instrument)
    header, rows, lines = read_csv(args.input)
    report = _Report(sys.stderr)
    out_header, out_rows = score_table(module, header, rows, lines, report, args.input)
    report.flush()
    write_output(getattr(args, "output", None), out_header, out_rows)
    return 0
