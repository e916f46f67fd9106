"""The one authority for the derived liver values: Child-Pugh, MELD, MELD-Na, MELD 3.0.

``derive_liver_scores`` takes the clinician inputs as entered (lab text with its unit, grades,
sex, age, dialysis, Child-Pugh variant) and returns every score whose inputs are complete and
plausible, the reason (missing or invalid input ids) for every score that is not, and each lab
problem named with its field, value, unit and plausible range. The formulas are those of
``forms.calculators`` (calculators.md); nothing is computed here beyond choosing which ones apply.

Storage calls it on every save and stores ``LiverScores.derived()``; screens preview with it and
show what storage stored, read back with :func:`stored_score`. Stored shape, one entry per score::

    {"child_pugh": {"score": 8, "class": "B", "variant": "standard", "formula_id": ...},
     "meld": {"score": 17, "uncapped": 17, "unrounded": 1.68.., "formula_id": ...},
     "meld_na": {"score": 22, "unrounded": "21.9..", "na_applied": true, "formula_id": ...},
     "meld3": {"score": null, "missing": ["sex"]}}

A score that is not computable is stored as ``{"score": null, "missing": [input ids]}``. Rows
stored before this module hold the computed scores only (same ``score``/``class``/``uncapped``/
``formula_id`` keys); :func:`stored_score` also reads the older ``value`` spelling.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Mapping

from forms import calculators as calc
from forms.labs import ANALYTES, CORE_LABS, OPTIONAL_LABS, LabValue, LabValueError, \
    lab_value, normalise_unit

__all__ = ["SCORES", "SCORE_INPUTS", "LIVER_LABS", "LiverInputs", "LiverScores", "LabProblem",
           "check_lab", "derive_liver_scores", "stored_score", "age_on"]

SCORES = ("child_pugh", "meld", "meld_na", "meld3")
LIVER_LABS = CORE_LABS + OPTIONAL_LABS
# inputs each score needs (lab ids, "ascites", "encephalopathy", "sex" / "age" for MELD 3.0)
SCORE_INPUTS: dict[str, tuple[str, ...]] = {
    "child_pugh": ("bilirubin", "albumin", "inr", "ascites", "encephalopathy"),
    "meld": ("bilirubin", "inr", "creatinine"),
    "meld_na": ("bilirubin", "inr", "creatinine", "sodium"),
    "meld3": ("bilirubin", "inr", "creatinine", "sodium", "albumin", "sex"),
}
_SEXES = {"F": True, "M": False}
# inputs that are never "missing" (a default applies) but, when given and rejected by the caller
# (``LiverInputs.invalid``), make these scores not computable
_INVALIDATES = {"dialysis": ("meld", "meld_na", "meld3"), "variant": ("child_pugh",),
                "sex": ("meld3",), "age": ("meld3",)}


@dataclass(frozen=True)
class LiverInputs:
    """``labs``: lab id -> {"value": text as typed, "unit": unit id or ""}; empty value = not
    given. ``sex`` "F" | "M" | None; ``age`` whole years (None = adult, not known);
    ``dialysis`` None = not recorded (scored as no dialysis); ``variant`` "standard" | "pbc".
    ``invalid``: input ids the caller was given but rejected (e.g. an unreadable "dialysis" or
    "age" cell of the ``calc`` batch): every score needing one of them is not computed."""
    labs: Mapping[str, Mapping[str, Any]]
    ascites: str | None = None
    encephalopathy: str | None = None
    sex: str | None = None
    age: int | None = None
    dialysis: bool | None = None
    variant: str = "standard"
    invalid: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LabProblem:
    field: str                 # lab id, or "ascites" / "encephalopathy"
    value: str
    unit: str
    kind: str                  # "not_a_number" | "implausible" | "unit" | "invalid" (a grade)
    low: str = ""              # plausible range in the entered unit
    high: str = ""


@dataclass(frozen=True)
class LiverScores:
    child_pugh: calc.ChildPughResult | None = None
    meld: calc.MeldResult | None = None
    meld_na: calc.MeldNaResult | None = None
    meld3: calc.Meld3Result | None = None
    labs: Mapping[str, LabValue] = field(default_factory=dict)     # plausible labs, normalised
    problems: tuple[LabProblem, ...] = ()
    missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # score -> input ids

    @property
    def computable(self) -> dict[str, bool]:
        return {k: getattr(self, k) is not None for k in SCORES}

    def derived(self) -> dict[str, Any]:
        """What storage stores (JSON-safe): per score its value, class, unrounded value and
        formula id, or ``{"score": None, "missing": [...]}``."""
        out: dict[str, Any] = {}
        cp, m, mn, m3 = self.child_pugh, self.meld, self.meld_na, self.meld3
        if cp:
            out["child_pugh"] = {"score": cp.score, "class": cp.child_class,
                                 "variant": cp.variant, "formula_id": cp.formula_id}
        if m:
            out["meld"] = {"score": m.score, "uncapped": m.uncapped, "unrounded": m.meld_i,
                           "dialysis": m.dialysis, "formula_id": m.formula_id}
        if mn:
            out["meld_na"] = {"score": mn.score, "unrounded": str(mn.unrounded),
                              "na_applied": mn.na_applied, "formula_id": mn.formula_id}
        if m3:
            out["meld3"] = {"score": m3.score, "uncapped": m3.uncapped,
                            "unrounded": m3.unrounded, "formula_id": m3.formula_id}
        for key in SCORES:
            if key not in out:
                out[key] = {"score": None, "missing": list(self.missing.get(key, ()))}
        return out


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def check_lab(name: str, text: Any, unit: str | None) -> LabValue | LabProblem | None:
    """None when empty; a LabValue when plausible; otherwise a LabProblem (field, value, unit,
    and the plausible range in the entered unit when implausible)."""
    text = ("" if text is None else str(text)).strip().replace(",", ".")
    if not text:
        return None
    try:
        return lab_value(name, text, unit)
    except LabValueError as exc:
        shown = exc.unit or (unit or "")
        if "unit" in exc.reason and "unknown" in exc.reason:
            return LabProblem(name, text, unit or "", "unit")
        if "number" in exc.reason:
            return LabProblem(name, text, shown, "not_a_number")
        analyte = ANALYTES[name]
        _, divisor = normalise_unit(name, unit)
        return LabProblem(name, text, shown, "implausible",
                          _fmt(analyte.low * divisor), _fmt(analyte.high * divisor))


def _grade(name: str, value: str | None, problems: list[LabProblem]) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return getattr(calc, f"parse_{name}")(value)
    except LabValueError:
        problems.append(LabProblem(name, str(value), "", "invalid"))
        return None


def _female(sex: str | None) -> bool | None:
    if sex is None or sex == "":
        return None
    if sex not in _SEXES:
        raise ValueError(f"sex must be F, M or None, not {sex!r}")
    return _SEXES[sex]


def derive_liver_scores(inputs: LiverInputs) -> LiverScores:
    """Every score whose inputs are complete and plausible; ``missing`` names the absent or
    invalid inputs of the others. Raises ValueError only for a programming error (unknown lab id,
    sex not F/M/None, a dialysis that is not a bool) and LabValueError for an unknown variant."""
    variant = calc.parse_variant(inputs.variant)
    if inputs.dialysis is not None and not isinstance(inputs.dialysis, bool):
        raise ValueError("dialysis must be True, False or None")
    dialysis = inputs.dialysis is True           # not recorded: scored as no dialysis
    female = _female(inputs.sex)
    problems: list[LabProblem] = []
    labs: dict[str, LabValue] = {}
    for name, entry in inputs.labs.items():
        if name not in LIVER_LABS:
            raise ValueError(f"unknown lab {name!r} (use {', '.join(LIVER_LABS)})")
        res = check_lab(name, (entry or {}).get("value"), (entry or {}).get("unit"))
        if isinstance(res, LabProblem):
            problems.append(res)
        elif res is not None:
            labs[name] = res
    have = set(labs)
    ascites = _grade("ascites", inputs.ascites, problems)
    encephalopathy = _grade("encephalopathy", inputs.encephalopathy, problems)
    if ascites:
        have.add("ascites")
    if encephalopathy:
        have.add("encephalopathy")
    age_ok = calc.meld3_age_defined(inputs.age)
    if female is not None or calc.meld3_sex_irrelevant(inputs.age):
        have.add("sex")                          # 12-17: the 1.33 term whatever the sex
    missing = {k: tuple(i for i in need if i not in have) for k, need in SCORE_INPUTS.items()}
    if not age_ok:
        missing["meld3"] += ("age",)             # below 12 PELD applies; above 120 implausible
    for name in sorted(inputs.invalid):         # given but rejected by the caller
        if name not in _INVALIDATES:
            raise ValueError(f"invalid may name {', '.join(_INVALIDATES)}, not {name!r}")
        for key in _INVALIDATES[name]:
            if name not in missing[key]:
                missing[key] += (name,)
    L = labs
    scores: dict[str, Any] = {}
    if not missing["child_pugh"]:
        scores["child_pugh"] = calc.child_pugh(L["bilirubin"], L["albumin"], L["inr"], ascites,
                                               encephalopathy, variant=variant)
    if not missing["meld"]:
        scores["meld"] = calc.meld(L["bilirubin"], L["inr"], L["creatinine"], dialysis=dialysis)
    if not missing["meld_na"]:
        scores["meld_na"] = calc.meld_na(L["bilirubin"], L["inr"], L["creatinine"],
                                         L["sodium"], dialysis=dialysis)
    if not missing["meld3"]:
        scores["meld3"] = calc.meld3(L["bilirubin"], L["inr"], L["creatinine"], L["sodium"],
                                     L["albumin"], female=female, age=inputs.age,
                                     dialysis=dialysis)
    return LiverScores(**scores, labs=labs, problems=tuple(problems),
                       missing={k: v for k, v in missing.items() if v})


def stored_score(derived: Mapping[str, Any] | None, key: str) -> dict[str, Any] | None:
    """A stored score for display: {"score", "class", "uncapped", "formula_id", "missing"}, or
    None when the row holds nothing for ``key``. Reads what storage stored, never recomputes;
    tolerates rows written before ``forms.liver`` (no entry for a score not computed) and the
    ``value`` spelling of the score."""
    entry = (derived or {}).get(key)
    if not isinstance(entry, Mapping):
        return None
    score = entry.get("score", entry.get("value"))
    return {"score": score, "class": entry.get("class"), "uncapped": entry.get("uncapped"),
            "formula_id": entry.get("formula_id"), "missing": tuple(entry.get("missing") or ())}


def age_on(birth_year: int | None, on: date) -> int | None:
    """Age in whole years on ``on`` from the birth year only (the study stores no birth date):
    the age reached during that calendar year."""
    return None if birth_year is None else on.year - birth_year
