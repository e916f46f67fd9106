"""Eligibility at screening (protocol.md §3): one pure, three-valued evaluation of a protocol's
criteria over the raw screening inputs.

The enrol dialog previews with :func:`evaluate`, storage recomputes with it from the raw inputs
(never trusting a verdict sent by a screen) and ``epro screen`` runs it over a screening log.
The criteria -- ids, texts, rule kinds and parameters -- come from the protocol
(:class:`forms.protocol.CriterionDef`); what each rule kind means is in
:mod:`forms.screening_rules`. Child-Pugh and MELD are inputs here but are computed by the app
from the screening labs and grades (storage derives them), never typed.

Result: ``eligible`` when every criterion is decided and met; ``ineligible`` when any is decided
and not met (every such id, in protocol order); else ``undetermined`` (the undecided ids).
Stdlib only.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Mapping

from forms.errors import UserError
from forms.protocol import CriterionDef, Protocol
from forms.screening_rules import (BOOL_INPUTS, DATE_INPUTS, DECOMPENSATION_KINDS,
                                   EXCLUSION_PREFIX, RULES, SCORE_INPUTS, SCORE_RANGES,
                                   age_in_years)

ELIGIBLE, INELIGIBLE, UNDETERMINED = "eligible", "ineligible", "undetermined"

__all__ = ["ScreeningInputs", "CriterionOutcome", "ScreeningResult", "evaluate", "criterion_inputs",
           "age_in_years", "DECOMPENSATION_KINDS", "ELIGIBLE", "INELIGIBLE", "UNDETERMINED"]


@dataclass(frozen=True)
class ScreeningInputs:
    """The raw inputs of one screening; ``None`` = not known (yet).

    Checked on construction (a :class:`UserError` names the field): dates are dates, yes/no
    inputs are bools, scores are whole numbers in their range, decompensation kinds are known
    and only given when decompensated is yes, and the birth date is not after the screening date.
    """
    screening_date: date | None = None
    birth_date: date | None = None
    consent_date: date | None = None
    decompensated: bool | None = None
    decompensation_kinds: tuple[str, ...] = ()   # of DECOMPENSATION_KINDS (ascites, ...)
    child_pugh: int | None = None                # computed by the app, never typed
    meld: int | None = None                      # original UNOS MELD, computed by the app
    life_expectancy_over_2_months: bool | None = None
    hbv: bool | None = None
    antiviral: bool | None = None
    exclusions: Mapping[str, bool | None] = field(default_factory=dict)   # id -> applies?

    def __post_init__(self) -> None:
        for name in DATE_INPUTS:
            v = getattr(self, name)
            if v is not None and (not isinstance(v, date) or isinstance(v, datetime)):
                raise UserError(f"screening input {name}: expected a date, got {v!r}")
        for name in BOOL_INPUTS:
            v = getattr(self, name)
            if v is not None and not isinstance(v, bool):
                raise UserError(f"screening input {name}: expected yes/no, got {v!r}")
        for name in SCORE_INPUTS:
            v = getattr(self, name)
            lo, hi = SCORE_RANGES[name]
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)
                                  or not lo <= v <= hi):
                raise UserError(f"screening input {name}: expected a whole number "
                                f"{lo}-{hi}, got {v!r}")
        kinds = tuple(self.decompensation_kinds)
        for k in kinds:
            if k not in DECOMPENSATION_KINDS:
                raise UserError(f"screening input decompensation_kinds: unknown kind {k!r} "
                                f"(known: {', '.join(DECOMPENSATION_KINDS)})")
        if len(set(kinds)) != len(kinds):
            raise UserError("screening input decompensation_kinds: a kind is listed twice")
        if kinds and self.decompensated is not True:
            raise UserError("screening input decompensation_kinds: given although "
                            "decompensated is not yes")
        object.__setattr__(self, "decompensation_kinds", kinds)
        for cid, v in self.exclusions.items():
            if not isinstance(cid, str) or (v is not None and not isinstance(v, bool)):
                raise UserError(f"screening input exclusions.{cid}: expected yes/no, got {v!r}")
        object.__setattr__(self, "exclusions", MappingProxyType(dict(self.exclusions)))
        if (self.birth_date is not None and self.screening_date is not None
                and self.birth_date > self.screening_date):
            raise UserError("screening input birth_date: after the screening date")

    def __hash__(self) -> int:           # exclusions is a (read-only) mapping
        return hash(tuple(getattr(self, f.name) for f in fields(self) if f.name != "exclusions")
                    + tuple(sorted(self.exclusions.items())))

    def value(self, name: str) -> Any:
        """An input by name (``exclusions.<id>`` for an exclusion); None when not known."""
        if name.startswith(EXCLUSION_PREFIX):
            return self.exclusions.get(name[len(EXCLUSION_PREFIX):])
        return getattr(self, name)

    def to_json(self) -> dict:
        """Plain JSON (dates ISO 8601, None kept as null) for storage and export."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, date):
                v = v.isoformat()
            elif f.name == "decompensation_kinds":
                v = list(v)
            elif f.name == "exclusions":
                v = dict(v)
            out[f.name] = v
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ScreeningInputs:
        """Inverse of :meth:`to_json`; unknown keys or bad values raise :class:`UserError`."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise UserError(f"screening inputs: unknown key(s) {', '.join(unknown)}")
        kw: dict[str, Any] = dict(d)
        for name in DATE_INPUTS:
            v = kw.get(name)
            if isinstance(v, str):
                try:
                    kw[name] = date.fromisoformat(v)
                except ValueError:
                    raise UserError(f"screening input {name}: {v!r} is not a date "
                                    "(YYYY-MM-DD)") from None
        if "decompensation_kinds" in kw:
            kinds = kw["decompensation_kinds"]
            if not isinstance(kinds, (list, tuple)):
                raise UserError("screening input decompensation_kinds: expected a list")
            kw["decompensation_kinds"] = tuple(kinds)
        if "exclusions" in kw and not isinstance(kw["exclusions"], Mapping):
            raise UserError("screening input exclusions: expected an object")
        return cls(**kw)


@dataclass(frozen=True)
class CriterionOutcome:
    id: str
    kind: str               # "inclusion" | "exclusion"
    met: bool | None        # for an exclusion: met = "does not apply"; None = undecided


@dataclass(frozen=True)
class ScreeningResult:
    result: str                              # "eligible" | "ineligible" | "undetermined"
    outcomes: tuple[CriterionOutcome, ...]   # every criterion, in protocol order
    unmet: tuple[str, ...]                   # decided and not met, in protocol order
    undetermined: tuple[str, ...]            # not decided, in protocol order

    def to_json(self) -> dict:
        return {"result": self.result,
                "outcomes": [{"id": o.id, "kind": o.kind, "met": o.met} for o in self.outcomes],
                "unmet": list(self.unmet), "undetermined": list(self.undetermined)}


def criterion_inputs(criterion: CriterionDef) -> tuple[str, ...]:
    """Names of the inputs a criterion reads (``exclusions.<id>`` for an exclusion)."""
    return RULES[criterion.rule].inputs(criterion.id, criterion.params)


def decide(criterion: CriterionDef, inputs: ScreeningInputs) -> bool | None:
    """One criterion: True met, False not met, None undecided."""
    return RULES[criterion.rule].decide(criterion.id, criterion.params, inputs.value)


def evaluate(protocol: Protocol, inputs: ScreeningInputs) -> ScreeningResult:
    """Evaluate every criterion of ``protocol`` (protocol.md §3, three-valued).

    An exclusion answer for an id the protocol does not have raises :class:`UserError` (a typo
    must not pass silently as "not known").
    """
    stray = sorted(set(inputs.exclusions) - {c.id for c in protocol.exclusion})
    if stray:
        raise UserError(f"screening input exclusions: {', '.join(stray)} not in protocol "
                        f"{protocol.protocol_id}")
    outcomes = tuple(CriterionOutcome(c.id, c.kind, decide(c, inputs))
                     for c in protocol.criteria)
    unmet = tuple(o.id for o in outcomes if o.met is False)
    undetermined = tuple(o.id for o in outcomes if o.met is None)
    result = INELIGIBLE if unmet else UNDETERMINED if undetermined else ELIGIBLE
    return ScreeningResult(result, outcomes, unmet, undetermined)
