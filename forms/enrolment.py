"""Screening at enrolment: the raw inputs as entered, and the one evaluation of them.

The enrol dialog previews with :func:`screen_raw` and storage recomputes with the same function
on save (never trusting a number or a verdict sent by a screen): Child-Pugh and the original
UNOS MELD come from the screening labs and grades through ``forms.liver`` (protocol.md §3:
"computed by the app, never typed"), then ``forms.screening.evaluate`` decides every criterion
of the protocol. Stdlib only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from forms.errors import UserError
from forms.liver import LiverInputs, LiverScores, derive_liver_scores
from forms.protocol import Protocol
from forms.screening import ScreeningInputs, ScreeningResult, age_in_years, evaluate

#: screening labs the liver scores of §3 need (Child-Pugh, MELD)
SCREENING_LABS = ("bilirubin", "albumin", "inr", "creatinine", "sodium")


def _opt_bool(value: Any, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise UserError(f"{what} must be yes, no or not known.")


def _opt_date(value: Any, what: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise UserError(f"{what}: use YYYY-MM-DD.") from None
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise UserError(f"{what} must be a date.")
    return value


@dataclass(frozen=True)
class RawScreening:
    """Everything entered at screening; nothing derived. ``labs``: lab id -> {"value": text as
    typed, "unit": unit id}; grades as forms.calculators parses them; ``exclusions``: exclusion
    id -> applies? (None = not known)."""
    screening_date: date | None = None
    birth_date: date | None = None
    consent_date: date | None = None
    decompensated: bool | None = None
    decompensation_kinds: tuple[str, ...] = ()
    labs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    ascites: str | None = None
    encephalopathy: str | None = None
    life_expectancy_over_2_months: bool | None = None
    hbv: bool | None = None
    antiviral: bool | None = None
    exclusions: Mapping[str, bool | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"screening_date": _iso(self.screening_date), "birth_date": _iso(self.birth_date),
                "consent_date": _iso(self.consent_date), "decompensated": self.decompensated,
                "decompensation_kinds": list(self.decompensation_kinds),
                "labs": {k: {"value": str(v.get("value", "")), "unit": str(v.get("unit") or "")}
                         for k, v in self.labs.items()},
                "ascites": self.ascites, "encephalopathy": self.encephalopathy,
                "life_expectancy_over_2_months": self.life_expectancy_over_2_months,
                "hbv": self.hbv, "antiviral": self.antiviral,
                "exclusions": dict(self.exclusions)}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "RawScreening":
        exclusions = d.get("exclusions") or {}
        return cls(
            screening_date=_opt_date(d.get("screening_date"), "Screening date"),
            birth_date=_opt_date(d.get("birth_date"), "Date of birth"),
            consent_date=_opt_date(d.get("consent_date"), "Consent date"),
            decompensated=_opt_bool(d.get("decompensated"), "Decompensated"),
            decompensation_kinds=tuple(str(k) for k in d.get("decompensation_kinds") or ()),
            labs={str(k): {"value": str((v or {}).get("value", "")),
                           "unit": str((v or {}).get("unit") or "")}
                  for k, v in (d.get("labs") or {}).items()},
            ascites=d.get("ascites"), encephalopathy=d.get("encephalopathy"),
            life_expectancy_over_2_months=_opt_bool(d.get("life_expectancy_over_2_months"),
                                                    "Life expectancy"),
            hbv=_opt_bool(d.get("hbv"), "HBV"), antiviral=_opt_bool(d.get("antiviral"),
                                                                     "Antiviral"),
            exclusions={str(k): _opt_bool(v, f"Exclusion {k}") for k, v in exclusions.items()})


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


@dataclass(frozen=True)
class Screened:
    """The evaluation of one screening: liver scores, the inputs given to the criteria, the
    result (``result.result`` is "eligible" | "ineligible" | "undetermined")."""
    liver: LiverScores
    inputs: ScreeningInputs
    result: ScreeningResult

    @property
    def child_pugh(self) -> int | None:
        return self.liver.child_pugh.score if self.liver.child_pugh else None

    @property
    def meld(self) -> int | None:
        return self.liver.meld.score if self.liver.meld else None


def _age(birth: date | None, on: date | None) -> int | None:
    return None if birth is None or on is None else age_in_years(birth, on)


def screen_raw(protocol: Protocol, raw: RawScreening, sex: str | None = None) -> Screened:
    """Derive Child-Pugh and MELD from the screening labs and grades, then evaluate every
    criterion of ``protocol`` (three-valued, protocol.md §3)."""
    unknown = [k for k in raw.labs if k not in SCREENING_LABS]
    if unknown:
        raise UserError(f"Unknown screening lab(s): {', '.join(sorted(unknown))}.")
    liver = derive_liver_scores(LiverInputs(
        labs=raw.labs, ascites=raw.ascites, encephalopathy=raw.encephalopathy, sex=sex,
        age=_age(raw.birth_date, raw.screening_date)))
    inputs = ScreeningInputs(
        screening_date=raw.screening_date, birth_date=raw.birth_date,
        consent_date=raw.consent_date, decompensated=raw.decompensated,
        decompensation_kinds=tuple(raw.decompensation_kinds),
        child_pugh=liver.child_pugh.score if liver.child_pugh else None,
        meld=liver.meld.score if liver.meld else None,
        life_expectancy_over_2_months=raw.life_expectancy_over_2_months, hbv=raw.hbv,
        antiviral=raw.antiviral, exclusions=dict(raw.exclusions))
    return Screened(liver, inputs, evaluate(protocol, inputs))


__all__ = ["RawScreening", "SCREENING_LABS", "Screened", "screen_raw"]
