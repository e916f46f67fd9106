"""Paradata flags shown to staff at review (not scored, never shown to the patient).

* ``fast_completion``: the instrument was completed in under 2 minutes (start -> submit).
* ``identical_block``: every answered item of a block (items sharing a stem, e.g. SF-36 items 3–12,
  or a declared block) has the same code, with at least ``MIN_BLOCK_ANSWERS`` answers; possible
  straight-lining. A flag is a prompt to talk to the patient, not a data error.
Stdlib only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

FAST_COMPLETION_SECONDS = 120
MIN_BLOCK_ANSWERS = 3


@dataclass(frozen=True)
class ParadataFlag:
    id: str            # "fast_completion" | "identical_block"
    block: str | None = None
    seconds: float | None = None
    code: int | None = None
    n_items: int = 0


def completion_seconds(started_at: datetime | None, submitted_at: datetime | None) -> float | None:
    if started_at is None or submitted_at is None:
        return None
    if (started_at.tzinfo is None) != (submitted_at.tzinfo is None):
        raise ValueError("compare aware with aware datetimes")
    return (submitted_at - started_at).total_seconds()


def paradata_flags(started_at: datetime | None, submitted_at: datetime | None,
                   answers: Mapping[str, int | None],
                   blocks: Iterable[tuple[str, Iterable[str]]]) -> list[ParadataFlag]:
    """``blocks``: (block id, item ids) pairs. Unanswered/skipped items are ignored."""
    flags: list[ParadataFlag] = []
    secs = completion_seconds(started_at, submitted_at)
    if secs is not None and secs < FAST_COMPLETION_SECONDS:
        flags.append(ParadataFlag("fast_completion", seconds=secs))
    for block_id, items in blocks:
        codes = [answers[i] for i in items if answers.get(i) is not None]
        if len(codes) >= MIN_BLOCK_ANSWERS and len(set(codes)) == 1:
            flags.append(ParadataFlag("identical_block", block=block_id, code=codes[0],
                                      n_items=len(codes)))
    return flags


def instrument_blocks(items: Iterable[object]) -> list[tuple[str, list[str]]]:
    """Group an instrument's items by declared block, else by shared stem (order kept)."""
    groups: dict[str, list[str]] = {}
    for it in items:
        key = getattr(it, "block", None) or getattr(it, "stem_id", None)
        if key:
            groups.setdefault(key, []).append(getattr(it, "id"))
    return list(groups.items())
