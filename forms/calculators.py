"""Liver severity calculators: Child-Pugh, MELD (UNOS), MELD-Na (OPTN 2016), MELD 3.0 (OPTN 2023).

Exactly per ``calculators.md``. Every function takes lab values as numbers (with a unit) or as
:class:`forms.labs.LabValue` (already parsed), validates them (:class:`LabValueError` naming the
field, value and unit) and returns a frozen dataclass holding the canonical inputs, the unrounded
intermediate, the final integer and the formula id, ready for the storage layer to persist.

Rounding: every rounding is an explicit half-up (:func:`forms.labs.round_half_up`, ``decimal``
``ROUND_HALF_UP``), never Python's banker's ``round``. MELD rounds MELD(i) to one decimal and
multiplies by 10 (spec §3); MELD-Na is evaluated in exact decimal arithmetic from the integer MELD
and the sodium as written; MELD 3.0 rounds the float formula value by its exact binary value.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal

from forms.labs import (LabValue, LabValueError, Number, lab_value, round_half_up,
                        to_decimal)

__all__ = [
    "CTP_FORMULA_ID", "CTP_PBC_FORMULA_ID", "MELD_FORMULA_ID", "MELD_NA_FORMULA_ID",
    "MELD3_FORMULA_ID", "ChildPughResult", "MeldResult", "MeldNaResult", "Meld3Result",
    "LabValue", "LabValueError", "lab_value", "child_pugh", "meld", "meld_na", "meld3",
    "parse_ascites", "parse_encephalopathy", "parse_variant", "meld_mortality_band",
    "meld3_survival_90d", "round_half_up", "check_age", "meld3_age_defined",
    "meld3_sex_irrelevant", "to_record",
]

CTP_FORMULA_ID = "CTP-Pugh1973-INR"
CTP_PBC_FORMULA_ID = "CTP-Pugh1973-INR-PBC"   # same table, PBC/PSC bilirubin bands (4 / 10 mg/dL)
MELD_FORMULA_ID = "MELD-UNOS-2002"
MELD_NA_FORMULA_ID = "MELD-Na-OPTN-2016"
MELD3_FORMULA_ID = "MELD-3.0-OPTN-2023"
SCORE_CAP = 40

ASCITES = ("none", "slight", "moderate")
ENCEPHALOPATHY = ("none", "grade1-2", "grade3-4")
VARIANTS = ("standard", "pbc")
_ASCITES_ALIASES = {"none": "none", "absent": "none", "slight": "slight", "mild": "slight",
                    "moderate": "moderate", "severe": "moderate"}
_ENC_ALIASES = {"none": "none", "absent": "none", "grade1-2": "grade1-2",
                "grade3-4": "grade3-4"}

# Child-Pugh bands: (upper bound of 1 point, upper bound of 2 points); middle band inclusive.
_BILI_BANDS = {"standard": (Decimal("2.0"), Decimal("3.0")), "pbc": (Decimal("4"), Decimal("10"))}
_INR_BANDS = (Decimal("1.7"), Decimal("2.3"))


def _grade(field: str, value: object, aliases: dict[str, str], shown: tuple[str, ...]) -> str:
    key = str(value).strip().lower().replace(" ", "").replace("–", "-") if value is not None else ""
    if key not in aliases:
        raise LabValueError(field, value, None, f"use one of {', '.join(shown)}")
    return aliases[key]


def parse_ascites(value: object) -> str:
    """'none' | 'slight' | 'moderate' (also 'mild' = slight, 'severe' = moderate)."""
    return _grade("ascites", value, _ASCITES_ALIASES, ("none", "slight (mild)", "moderate (severe)"))


def parse_encephalopathy(value: object) -> str:
    """'none' | 'grade1-2' | 'grade3-4' (West Haven; spaces and en dashes tolerated)."""
    return _grade("encephalopathy", value, _ENC_ALIASES, ENCEPHALOPATHY)


def parse_variant(value: object) -> str:
    """'standard' (default when None/empty) | 'pbc' (PBC/PSC bilirubin bands)."""
    key = "" if value is None else str(value).strip().lower()
    if key == "":
        return "standard"
    if key not in VARIANTS:
        raise LabValueError("variant", value, None, "use standard or pbc")
    return key


def _three_band(x: Decimal, low: Decimal, high: Decimal) -> int:
    """1 point below ``low``, 2 for low ≤ x ≤ high (inclusive both ends), 3 above ``high``."""
    return 1 if x < low else (2 if x <= high else 3)


def _albumin_points(x: Decimal) -> int:
    """> 3.5 g/dL → 1, 2.8–3.5 (inclusive both ends) → 2, < 2.8 → 3."""
    return 1 if x > Decimal("3.5") else (2 if x >= Decimal("2.8") else 3)


def _flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):  # "false" would be truthy: demand a real bool
        raise LabValueError(field, value, None, "must be true or false")
    return value


@dataclass(frozen=True)
class ChildPughResult:
    formula_id: str
    variant: str                      # "standard" | "pbc"
    bilirubin: LabValue               # canonical mg/dL (+ raw value/unit)
    albumin: LabValue                 # canonical g/dL
    inr: LabValue
    ascites: str
    encephalopathy: str
    bilirubin_points: int
    albumin_points: int
    inr_points: int
    ascites_points: int
    encephalopathy_points: int
    score: int                        # 5–15
    child_class: str                  # "A" 5–6, "B" 7–9, "C" 10–15


def child_pugh(bilirubin: Number | LabValue, albumin: Number | LabValue, inr: Number | LabValue,
               ascites: str, encephalopathy: str, *, bilirubin_unit: str | None = "mg/dL",
               albumin_unit: str | None = "g/dL", variant: str = "standard") -> ChildPughResult:
    """Child-Turcotte-Pugh score with INR bands (Pugh 1973 / CCJM table), calculators.md §2.

    Middle bands inclusive at both ends. Converted SI values are rounded half-up to 2 decimals
    before comparison. ``variant="pbc"`` uses the cholestatic bilirubin bands and formula id
    ``CTP-Pugh1973-INR-PBC``.
    """
    variant = parse_variant(variant)
    bili = lab_value("bilirubin", bilirubin, bilirubin_unit)
    alb = lab_value("albumin", albumin, albumin_unit)
    inr_v = lab_value("inr", inr)
    asc = parse_ascites(ascites)
    enc = parse_encephalopathy(encephalopathy)
    pts = (
        _three_band(bili.band_value, *_BILI_BANDS[variant]),
        _albumin_points(alb.band_value),
        _three_band(inr_v.band_value, *_INR_BANDS),
        ASCITES.index(asc) + 1,
        ENCEPHALOPATHY.index(enc) + 1,
    )
    total = sum(pts)
    klass = "A" if total <= 6 else ("B" if total <= 9 else "C")
    return ChildPughResult(CTP_PBC_FORMULA_ID if variant == "pbc" else CTP_FORMULA_ID, variant,
                           bili, alb, inr_v, asc, enc, *pts, score=total, child_class=klass)


@dataclass(frozen=True)
class MeldResult:
    formula_id: str
    bilirubin: LabValue
    inr: LabValue
    creatinine: LabValue
    dialysis: bool
    bilirubin_used: float    # after the 1.0 floor
    inr_used: float
    creatinine_used: float   # after floor 1.0 / cap 4.0, or 4.0 on dialysis
    meld_i: float            # unrounded 0.957·ln Cr + 0.378·ln bili + 1.120·ln INR + 0.643
    uncapped: int            # round(MELD(i), 1) × 10
    score: int               # min(uncapped, 40)


def _bounded(v: LabValue) -> float:
    return max(v.value, 1.0)


def meld(bilirubin: Number | LabValue, inr: Number | LabValue, creatinine: Number | LabValue, *,
         dialysis: bool = False, bilirubin_unit: str | None = "mg/dL",
         creatinine_unit: str | None = "mg/dL") -> MeldResult:
    """Original UNOS MELD (Kamath 2001 without etiology; OPTN 2002–2016), calculators.md §3."""
    bili = lab_value("bilirubin", bilirubin, bilirubin_unit)
    inr_v = lab_value("inr", inr)
    cr = lab_value("creatinine", creatinine, creatinine_unit)
    dialysis = _flag("dialysis", dialysis)
    b, i = _bounded(bili), _bounded(inr_v)
    c = 4.0 if dialysis else min(_bounded(cr), 4.0)
    meld_i = 0.957 * math.log(c) + 0.378 * math.log(b) + 1.120 * math.log(i) + 0.643
    uncapped = int(round_half_up(meld_i, 1) * 10)
    return MeldResult(MELD_FORMULA_ID, bili, inr_v, cr, bool(dialysis), b, i, c, meld_i,
                      uncapped, min(uncapped, SCORE_CAP))


@dataclass(frozen=True)
class MeldNaResult:
    formula_id: str
    meld: MeldResult         # the integer MELD used (score, capped at 40)
    sodium: LabValue
    sodium_used: Decimal     # bounded 125–137 (only applied when MELD > 11)
    na_applied: bool         # MELD > 11
    unrounded: Decimal       # exact MELD + 1.32·(137−Na) − 0.033·MELD·(137−Na)
    score: int               # min(round half-up, 40)


def meld_na(bilirubin: Number | LabValue, inr: Number | LabValue, creatinine: Number | LabValue,
            sodium: Number | LabValue, *, dialysis: bool = False,
            bilirubin_unit: str | None = "mg/dL", creatinine_unit: str | None = "mg/dL",
            sodium_unit: str | None = "mmol/L") -> MeldNaResult:
    """MELD-Na as OPTN policy 9.1.D (January 2016), calculators.md §4.

    The ``> 11`` test and the sodium term both use the rounded integer MELD (not MELD(i)).
    """
    base = meld(bilirubin, inr, creatinine, dialysis=dialysis, bilirubin_unit=bilirubin_unit,
                creatinine_unit=creatinine_unit)
    na = lab_value("sodium", sodium, sodium_unit)
    na_used = min(max(na.canonical, Decimal(125)), Decimal(137))
    m = Decimal(base.score)
    applied = base.score > 11
    value = m + Decimal("1.32") * (137 - na_used) - Decimal("0.033") * m * (137 - na_used) \
        if applied else m
    return MeldNaResult(MELD_NA_FORMULA_ID, base, na, na_used, applied, value,
                        min(int(round_half_up(value)), SCORE_CAP))


@dataclass(frozen=True)
class Meld3Result:
    formula_id: str
    bilirubin: LabValue
    inr: LabValue
    creatinine: LabValue
    sodium: LabValue
    albumin: LabValue
    female: bool | None
    age: Decimal | None      # None = not given (assumed adult)
    dialysis: bool
    female_factor: int       # 1 if (female and adult) or aged 12–17, else 0
    bilirubin_used: float
    inr_used: float
    creatinine_used: float   # floor 1.0, cap 3.0; 3.0 on dialysis
    sodium_used: float       # 125–137
    albumin_used: float      # 1.5–3.5 g/dL
    unrounded: float
    uncapped: int            # stored (Kim 2021 scale, no cap)
    score: int               # OPTN allocation value, capped at 40 (shown)


def meld3(bilirubin: Number | LabValue, inr: Number | LabValue, creatinine: Number | LabValue,
          sodium: Number | LabValue, albumin: Number | LabValue, *, female: bool | None,
          age: Number | None = None, dialysis: bool = False,
          bilirubin_unit: str | None = "mg/dL", creatinine_unit: str | None = "mg/dL",
          albumin_unit: str | None = "g/dL", sodium_unit: str | None = "mmol/L") -> Meld3Result:
    """MELD 3.0 (Kim 2021; OPTN policy 9.1.D since 13 July 2023), calculators.md §5.

    ``age`` None means an adult. Ages 12–17 get the 1.33 term regardless of sex (``female`` may
    then be None). Below 12 MELD 3.0 is not defined (PELD applies): :class:`LabValueError`.
    """
    bili = lab_value("bilirubin", bilirubin, bilirubin_unit)
    inr_v = lab_value("inr", inr)
    cr = lab_value("creatinine", creatinine, creatinine_unit)
    na = lab_value("sodium", sodium, sodium_unit)
    alb = lab_value("albumin", albumin, albumin_unit)
    dialysis = _flag("dialysis", dialysis)
    age_d = None if age is None else check_age(age)
    if meld3_sex_irrelevant(age_d):
        factor = 1
    elif female is None:
        raise LabValueError("female", None, None, "sex is required for MELD 3.0 (true/false)")
    else:
        factor = 1 if _flag("female", female) else 0
    b, i = _bounded(bili), _bounded(inr_v)
    c = 3.0 if dialysis else min(_bounded(cr), 3.0)
    n = min(max(na.value, 125.0), 137.0)
    a = min(max(alb.value, 1.5), 3.5)
    lb, lc = math.log(b), math.log(c)
    raw = (1.33 * factor + 4.56 * lb + 0.82 * (137 - n) - 0.24 * (137 - n) * lb
           + 9.09 * math.log(i) + 11.14 * lc + 1.85 * (3.5 - a) - 1.83 * (3.5 - a) * lc + 6)
    uncapped = int(round_half_up(raw))
    return Meld3Result(MELD3_FORMULA_ID, bili, inr_v, cr, na, alb,
                       None if female is None else bool(female), age_d, bool(dialysis), factor,
                       b, i, c, n, a, raw, uncapped, min(uncapped, SCORE_CAP))


MELD3_MIN_AGE = 12      # below: PELD applies, not MELD
MELD3_MAX_AGE = 120     # above: implausible
MELD3_ADULT_AGE = 18    # below (12-17): the 1.33 term whatever the sex


def meld3_age_defined(age: Number | None) -> bool:
    """True if MELD 3.0 is defined at ``age`` (None = an adult): 12–120 years."""
    return age is None or MELD3_MIN_AGE <= age <= MELD3_MAX_AGE


def meld3_sex_irrelevant(age: Number | None) -> bool:
    """True at ages 12–17, where MELD 3.0 adds the 1.33 term whatever the sex."""
    return age is not None and MELD3_MIN_AGE <= age < MELD3_ADULT_AGE


def check_age(age: Number) -> Decimal:
    """Age in years for MELD 3.0: 12–120 (below 12, PELD applies, not MELD)."""
    dec = to_decimal("age", age, "years")
    if dec < 0 or dec > MELD3_MAX_AGE:
        raise LabValueError("age", age, "years", "implausible age (plausible range 0–120 years)")
    if dec < MELD3_MIN_AGE:
        raise LabValueError("age", age, "years",
                            "MELD 3.0 is defined from age 12 (PELD applies below 12)")
    return dec


_MORTALITY_BANDS = ((9, "≤ 9", 1.9), (19, "10–19", 6.0), (29, "20–29", 19.6),
                    (39, "30–39", 52.6), (SCORE_CAP, "≥ 40", 71.3))


def meld_mortality_band(score: int) -> tuple[str, float]:
    """(band label, 3-month mortality %) for an integer MELD (Wiesner 2003), for display only."""
    for upper, label, pct in _MORTALITY_BANDS:
        if score <= upper:
            return label, pct
    return _MORTALITY_BANDS[-1][1:]


def meld3_survival_90d(score: float) -> float:
    """Estimated 90-day survival (Kim 2021): 0.946 ** exp(0.17698·MELD3.0 − 3.56)."""
    return 0.946 ** math.exp(0.17698 * score - 3.56)


def to_record(result: object) -> dict:
    """A JSON-safe dict of a result dataclass for storage: Decimals as strings (exact), lab values
    as {"raw", "raw_unit", "value", "unit"}; nested MELD of a MELD-Na result included."""
    def plain(v: object) -> object:
        if isinstance(v, LabValue):
            return {"raw": v.raw, "raw_unit": v.raw_unit, "value": str(v.canonical), "unit": v.unit}
        if isinstance(v, Decimal):
            return str(v)
        if is_dataclass(v):
            return {f.name: plain(getattr(v, f.name)) for f in fields(v)}
        return v
    if not is_dataclass(result):
        raise TypeError("expected a calculator result")
    return plain(result)  # type: ignore[return-value]
