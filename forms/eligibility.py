"""Enrolment eligibility: the protocol's inclusion and exclusion criteria as data, and one pure check.

Seed criteria (issue 6): age 18–70; decompensated cirrhosis with Child-Pugh B/C (7–12 points) **or**
MELD ≤ 21 (original UNOS MELD, see calculators.md "Decisions"); life expectancy > 2 months; HBV on
antiviral treatment; none of nine exclusions.

The nine exclusion texts below are PLACEHOLDERS written for a UC-MSC (umbilical-cord mesenchymal
stem cell) trial in HBV decompensated cirrhosis. They must be confirmed against the approved
protocol before use; each carries ``placeholder=True`` so the UI can say so.

Answers are three-valued: True / False / None (not yet answered or score not computable). A patient
is eligible only when every criterion is answered, every inclusion is met and no exclusion applies.
Stdlib only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

AGE_MIN = 18
AGE_MAX = 70
CHILD_PUGH_RANGE = (7, 12)
MELD_MAX = 21


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str            # "inclusion" | "exclusion"
    text: str            # English; the UI translates by id
    placeholder: bool = False
    computed: bool = False   # decided from entered data (age, labs), not ticked by staff


INCLUSIONS: tuple[Criterion, ...] = (
    Criterion("I1_age", "inclusion", f"Age {AGE_MIN} to {AGE_MAX} years at screening", computed=True),
    Criterion("I2_liver", "inclusion",
              f"Decompensated cirrhosis: Child-Pugh {CHILD_PUGH_RANGE[0]}–{CHILD_PUGH_RANGE[1]} "
              f"points or MELD ≤ {MELD_MAX} (computed from the entered labs)", computed=True),
    Criterion("I3_life", "inclusion", "Life expectancy more than 2 months"),
    Criterion("I4_hbv", "inclusion", "Chronic hepatitis B, on antiviral treatment"),
)

EXCLUSIONS: tuple[Criterion, ...] = tuple(
    Criterion(f"E{i}", "exclusion", text, placeholder=True) for i, text in enumerate((
        "Hepatocellular carcinoma or other active malignancy, or a liver lesion suspicious "
        "for HCC on imaging",
        "Gastrointestinal (variceal) bleeding within the past 2 months",
        "Uncontrolled infection, including spontaneous bacterial peritonitis or sepsis",
        "Hepatorenal syndrome or severe renal impairment (e.g. on dialysis)",
        "Severe heart, lung or other organ failure (e.g. heart failure NYHA III–IV)",
        "Hepatic encephalopathy grade 3–4 at screening",
        "Co-infection with HCV, HDV or HIV, or another primary liver disease "
        "(autoimmune, alcoholic with current drinking, Wilson, etc.)",
        "Pregnancy, breast-feeding, or not willing to use contraception during the study",
        "Previous liver transplantation, previous stem-cell therapy, or another "
        "interventional trial within the past 3 months",
    ), start=1))

CRITERIA: tuple[Criterion, ...] = INCLUSIONS + EXCLUSIONS


@dataclass(frozen=True)
class ScreeningInput:
    age: int | None = None
    child_pugh: int | None = None
    meld: int | None = None                       # original UNOS MELD
    life_expectancy_over_2_months: bool | None = None
    hbv_on_antivirals: bool | None = None
    exclusions: Mapping[str, bool | None] = field(default_factory=dict)  # id -> applies?


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    ok: bool | None      # True: this criterion does not stop enrolment; None: not decided yet
    detail: str = ""


@dataclass(frozen=True)
class Eligibility:
    results: tuple[CriterionResult, ...]

    @property
    def complete(self) -> bool:
        return all(r.ok is not None for r in self.results)

    @property
    def eligible(self) -> bool:
        return all(r.ok is True for r in self.results)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(r.criterion.id for r in self.results if r.ok is False)

    @property
    def undecided(self) -> tuple[str, ...]:
        return tuple(r.criterion.id for r in self.results if r.ok is None)


def age_on(birth: date, on: date) -> int:
    """Completed years on ``on`` (a birthday on 29 Feb counts from 1 Mar in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _or3(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def age_ok(age: int | None) -> bool | None:
    return None if age is None else AGE_MIN <= age <= AGE_MAX


def liver_ok(child_pugh: int | None, meld: int | None) -> bool | None:
    cp = None if child_pugh is None else CHILD_PUGH_RANGE[0] <= child_pugh <= CHILD_PUGH_RANGE[1]
    md = None if meld is None else meld <= MELD_MAX
    return _or3(cp, md)


def evaluate(inp: ScreeningInput) -> Eligibility:
    by_id = {c.id: c for c in CRITERIA}
    res = [
        CriterionResult(by_id["I1_age"], age_ok(inp.age),
                        "" if inp.age is None else f"age {inp.age}"),
        CriterionResult(by_id["I2_liver"], liver_ok(inp.child_pugh, inp.meld),
                        f"Child-Pugh {inp.child_pugh if inp.child_pugh is not None else '–'}, "
                        f"MELD {inp.meld if inp.meld is not None else '–'}"),
        CriterionResult(by_id["I3_life"], inp.life_expectancy_over_2_months),
        CriterionResult(by_id["I4_hbv"], inp.hbv_on_antivirals),
    ]
    for c in EXCLUSIONS:
        applies = inp.exclusions.get(c.id)
        res.append(CriterionResult(c, None if applies is None else not applies))
    return Eligibility(tuple(res))
