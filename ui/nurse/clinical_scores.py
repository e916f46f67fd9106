"""Plain (Qt-free) glue between the clinician form's inputs and ``forms.calculators``.

Each lab is checked on its own so every problem is reported at once, naming the field, the value
and the unit; a score is computed only when all its inputs are present and plausible. Nothing is
clamped here beyond the formulas' own floors and caps (calculators.md "Decisions").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

from forms import calculators as calc
# The core labs feed the scores; the optional ones (AFP, ALT, AST, platelets) are checked by the
# same ``forms.labs.lab_value`` (units and plausible ranges there) and feed no score.
from forms.labs import (ANALYTES, CORE_LABS, OPTIONAL_LABS, LabValue,  # noqa: F401 (re-exported)
                        LabValueError, lab_value, normalise_unit)


@dataclass(frozen=True)
class LabProblem:
    field: str
    value: str
    unit: str
    kind: str                  # "not_a_number" | "implausible" | "unit"
    low: str = ""              # plausible range in the entered unit
    high: str = ""


@dataclass
class ScoreSet:
    child_pugh: calc.ChildPughResult | None = None
    meld: calc.MeldResult | None = None
    meld_na: calc.MeldNaResult | None = None
    meld3: calc.Meld3Result | None = None
    labs: dict[str, LabValue] = field(default_factory=dict)
    problems: list[LabProblem] = field(default_factory=list)

    def derived(self) -> dict[str, Any]:
        """What is stored with the assessment: final values, unrounded intermediates, formula ids."""
        out: dict[str, Any] = {}
        if self.child_pugh:
            cp = self.child_pugh
            out["child_pugh"] = {"value": cp.score, "class": cp.child_class,
                                 "formula_id": cp.formula_id, "variant": cp.variant}
        if self.meld:
            out["meld"] = {"value": self.meld.score, "uncapped": self.meld.uncapped,
                           "unrounded": self.meld.meld_i, "formula_id": self.meld.formula_id}
        if self.meld_na:
            out["meld_na"] = {"value": self.meld_na.score, "unrounded": str(self.meld_na.unrounded),
                              "formula_id": self.meld_na.formula_id}
        if self.meld3:
            out["meld3"] = {"value": self.meld3.score, "uncapped": self.meld3.uncapped,
                            "unrounded": self.meld3.unrounded, "formula_id": self.meld3.formula_id}
        return out


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def check_lab(name: str, text: str, unit: str | None) -> LabValue | LabProblem | None:
    """None when empty; a LabValue when plausible; otherwise a LabProblem."""
    text = (text or "").strip().replace(",", ".")
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


def compute(labs: Mapping[str, tuple[str, str | None]], *, ascites: str | None,
            encephalopathy: str | None, dialysis: bool, female: bool | None,
            age: int | None, variant: str = "standard") -> ScoreSet:
    """``labs``: name -> (text as typed, unit). Returns every score whose inputs are complete."""
    out = ScoreSet()
    for name, (text, unit) in labs.items():
        res = check_lab(name, text, unit)
        if isinstance(res, LabProblem):
            out.problems.append(res)
        elif res is not None:
            out.labs[name] = res
    L = out.labs
    have = lambda *names: all(n in L for n in names)  # noqa: E731
    if have("bilirubin", "albumin", "inr") and ascites and encephalopathy:
        out.child_pugh = calc.child_pugh(L["bilirubin"], L["albumin"], L["inr"], ascites,
                                         encephalopathy, variant=variant)
    if have("bilirubin", "inr", "creatinine"):
        out.meld = calc.meld(L["bilirubin"], L["inr"], L["creatinine"], dialysis=dialysis)
        if have("sodium"):
            out.meld_na = calc.meld_na(L["bilirubin"], L["inr"], L["creatinine"], L["sodium"],
                                       dialysis=dialysis)
            if have("albumin") and (female is not None or (age is not None and age < 18)):
                try:
                    out.meld3 = calc.meld3(L["bilirubin"], L["inr"], L["creatinine"], L["sodium"],
                                           L["albumin"], female=female, age=age,
                                           dialysis=dialysis)
                except LabValueError:  # age < 12: PELD territory, not for this adult trial
                    out.meld3 = None
    return out
