"""One flat description of what an export carries, built from the instrument files alone.

Every format (CSV dictionary, REDCap, ODM, FHIR, SDTM-QS) names the same things the same way:
an item is ``<instrument>_<item>`` in lower case (``csc_c2b``), a score is named by
``scoredefs`` (``rand_pf``, ``sf36_pcs``, ``csc_rss``). Grids (items sharing a stem or a block and
a response set) are reported as matrix groups.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from forms.instrument import BASE_LANGUAGE, Condition, Instrument, Item, load_instrument
from forms.registry import registry
from forms.schedule import VisitDef
from reports.export.scoredefs import ScoreDef, score_defs

_SAFE = re.compile(r"[^a-z0-9_]")


def safe_name(text: str) -> str:
    """Lower-case letters, digits and underscores (REDCap, SAS and ODM Name friendly)."""
    s = _SAFE.sub("_", text.lower())
    return s if s[:1].isalpha() else f"v_{s}"


def item_variable(inst: Instrument | str, item: Item | str) -> str:
    iid = inst if isinstance(inst, str) else inst.id
    it = item if isinstance(item, str) else item.id
    return safe_name(f"{iid}_{it}")


@dataclass(frozen=True)
class ItemVar:
    name: str
    instrument: Instrument
    item: Item
    matrix_group: str | None     # items of one grid share it (None for a single item)

    @property
    def codes(self) -> list[tuple[int, dict[str, str]]]:
        return [(o.code, o.label) for o in self.instrument.options_for(self.item).options]

    def label(self, lang: str = BASE_LANGUAGE) -> str:
        return self.item.text.get(lang) or self.item.text[BASE_LANGUAGE]


def matrix_groups(inst: Instrument) -> dict[str, str | None]:
    """item id -> matrix group name for runs of >= 2 consecutive items that share a stem (or a
    block) and a response set — the SF-36 grids and the CSC warning-sign block."""
    def key(it: Item) -> tuple[str, str] | None:
        anchor = it.stem_id or it.block
        return (anchor, it.response_set) if anchor else None

    out: dict[str, str | None] = {}
    items = list(inst.items)
    i = 0
    while i < len(items):
        k = key(items[i])
        j = i + 1
        while k is not None and j < len(items) and key(items[j]) == k:
            j += 1
        name = safe_name(f"{inst.id}_{k[0]}") if k is not None and j - i >= 2 else None
        for it in items[i:j]:
            out[it.id] = name
        i = j
    return out


def item_vars(inst: Instrument) -> list[ItemVar]:
    groups = matrix_groups(inst)
    return [ItemVar(item_variable(inst, it), inst, it, groups[it.id]) for it in inst.items]


def instruments(ids: Sequence[str] | None = None) -> list[Instrument]:
    """The registered instruments (or those named), loaded and validated."""
    return [load_instrument(i) for i in (ids or registry().ids())]


def scores_for(inst: Instrument) -> tuple[ScoreDef, ...]:
    return score_defs(inst.id)


def condition_text(cond: Condition, inst: Instrument) -> str:
    """Human-readable condition: ``csc_c2 >= 1`` or ``visit != baseline``."""
    left = item_variable(inst, cond.item) if cond.item else cond.context
    return f"{left} {cond.op} {cond.value}"


def visit_schedule(schedule: Sequence[VisitDef]) -> tuple[VisitDef, ...]:
    return tuple(schedule)


def condition_for_visit(cond: Condition, visit_code: str, visit_kind: str = "") -> bool | None:
    """Evaluate a context condition on the visit (its code or protocol kind) for one visit
    (None if not a visit condition)."""
    if cond.context not in ("visit", "visit_kind"):
        return None
    return cond.holds({}, {"visit": visit_code, "visit_kind": visit_kind})


__all__ = ["ItemVar", "condition_for_visit", "condition_text", "instruments",
           "item_variable", "item_vars", "matrix_groups", "safe_name", "scores_for",
           "visit_schedule"]
