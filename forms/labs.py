"""Laboratory values for the liver calculators: units, exact conversion, plausibility, rounding.

Rules from ``calculators.md`` §1 and "Decisions":

* Conversion constants are fixed: bilirubin mg/dL = µmol/L ÷ 17.1, creatinine mg/dL = µmol/L ÷ 88.4,
  albumin g/dL = g/L ÷ 10, sodium mEq/L = mmol/L. Conversion is done in ``decimal`` arithmetic on the
  value *as written* (``repr`` of a float), so 51.3 µmol/L is exactly 3 mg/dL, not 2.9999999999999996.
* Plausible ranges are checked in canonical units (bounds inclusive); an implausible value raises
  :class:`LabValueError` naming the field, the value and the unit. Nothing is clamped here; only the
  formulas' own bounds (floors and caps) are applied later by the calculators.
* A unit that is not given (``None`` or empty) means the canonical unit (mg/dL, g/dL, mmol/L).
* Optional labs (AFP ng/mL, ALT and AST U/L, platelets 10^9/L — "×10⁹/L", "x10^9/L", "G/L" are
  the same unit) are checked the same way but feed no score.
* Rounding is always explicit half-up (:func:`round_half_up`), never Python's banker's ``round``.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Union

from forms.errors import UserError

Number = Union[int, float, Decimal, str]

BILIRUBIN_UMOL_PER_MG = Decimal("17.1")
CREATININE_UMOL_PER_MG = Decimal("88.4")
ALBUMIN_G_L_PER_G_DL = Decimal("10")


class LabValueError(UserError, ValueError):
    """A calculator input is missing, not a number, in an unknown unit, or implausible.

    ``field``, ``value`` and ``unit`` are kept as attributes; the message names all three.
    """

    def __init__(self, field: str, value: object, unit: str | None, message: str) -> None:
        self.field = field
        self.value = value
        self.unit = unit or ""
        self.reason = message
        shown = "(missing)" if value is None or value == "" else str(value)
        where = f"{field} {shown}{' ' + self.unit if self.unit else ''}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class _Analyte:
    canonical_unit: str
    divisors: dict[str, tuple[str, Decimal]]  # lower-cased spelling -> (display unit, divisor)
    low: Decimal
    high: Decimal


_MG_DL = ("mg/dL", Decimal(1))
_UMOL = {"umol/l", "µmol/l", "μmol/l"}  # ASCII u, micro sign U+00B5, Greek mu U+03BC
# 10^9 cells per litre, all one unit (G/L = giga per litre); lower-cased spellings
_PLATELET_UNITS = {"10^9/l", "×10⁹/l", "x10^9/l", "×10^9/l", "x10⁹/l", "10⁹/l", "g/l"}

ANALYTES: dict[str, _Analyte] = {
    "bilirubin": _Analyte("mg/dL", {"mg/dl": _MG_DL,
                                    **{u: ("umol/L", BILIRUBIN_UMOL_PER_MG) for u in _UMOL}},
                          Decimal("0.1"), Decimal("80")),
    "creatinine": _Analyte("mg/dL", {"mg/dl": _MG_DL,
                                     **{u: ("umol/L", CREATININE_UMOL_PER_MG) for u in _UMOL}},
                           Decimal("0.1"), Decimal("25")),
    "albumin": _Analyte("g/dL", {"g/dl": ("g/dL", Decimal(1)),
                                 "g/l": ("g/L", ALBUMIN_G_L_PER_G_DL)},
                        Decimal("0.5"), Decimal("7")),
    "sodium": _Analyte("mmol/L", {"mmol/l": ("mmol/L", Decimal(1)),
                                  "meq/l": ("mEq/L", Decimal(1))},
                       Decimal("100"), Decimal("180")),
    "inr": _Analyte("", {"": ("", Decimal(1))}, Decimal("0.5"), Decimal("15")),
    # optional labs (symptoms.md §4): stored and reported, used by no score
    "afp": _Analyte("ng/mL", {"ng/ml": ("ng/mL", Decimal(1))}, Decimal("0"), Decimal("1000000")),
    "alt": _Analyte("U/L", {"u/l": ("U/L", Decimal(1))}, Decimal("1"), Decimal("10000")),
    "ast": _Analyte("U/L", {"u/l": ("U/L", Decimal(1))}, Decimal("1"), Decimal("10000")),
    "platelets": _Analyte("10^9/L", {u: ("10^9/L", Decimal(1)) for u in _PLATELET_UNITS},
                          Decimal("1"), Decimal("2000")),
}
CORE_LABS = ("bilirubin", "albumin", "inr", "creatinine", "sodium")   # inputs of the scores
OPTIONAL_LABS = ("afp", "alt", "ast", "platelets")                   # feed no score
UNIT_CHOICES = {name: sorted({d for d, _ in a.divisors.values() if d}) for name, a in ANALYTES.items()}


def to_decimal(field: str, value: Number, unit: str | None = None) -> Decimal:
    """Parse a number as written (floats via their shortest ``repr``); reject bools, NaN, inf."""
    if isinstance(value, bool) or value is None:
        raise LabValueError(field, value, unit, "a number is required")
    try:
        if isinstance(value, Decimal):
            dec = value
        elif isinstance(value, float):
            dec = Decimal(repr(value))
        elif isinstance(value, (int, str)):
            dec = Decimal(str(value).strip())
        else:
            raise TypeError
    except (InvalidOperation, TypeError, ValueError):
        raise LabValueError(field, value, unit, "not a number") from None
    if not dec.is_finite():
        raise LabValueError(field, value, unit, "not a finite number")
    return dec


def round_half_up(value: float | Decimal, places: int = 0) -> Decimal:
    """Round to ``places`` decimals, halves away from zero (half-up for our positive scores).

    Floats are rounded by their exact binary value (``Decimal(float)`` is exact), so the result
    is the true half-up rounding of the number actually computed.
    """
    dec = value if isinstance(value, Decimal) else Decimal(value)
    return dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LabValue:
    """One lab input: as given (text and unit) and in canonical units (exact decimal)."""

    field: str
    raw: str            # the value as written
    raw_unit: str       # the unit as given, normalised spelling ("umol/L", "g/L", ...)
    canonical: Decimal  # exact quotient in canonical units (28 significant digits)
    unit: str           # canonical unit ("mg/dL", "g/dL", "mmol/L", "" for INR)

    @property
    def converted(self) -> bool:
        return self.raw_unit != self.unit

    @property
    def value(self) -> float:
        """Canonical value as a float (used by the log formulas)."""
        return float(self.canonical)

    @property
    def band_value(self) -> Decimal:
        """Value compared with Child-Pugh cut-offs: a *converted* value is rounded half-up to 2
        decimals (lab precision, calculators.md §2); a value given in canonical units is used as is.
        """
        return round_half_up(self.canonical, 2) if self.converted else self.canonical


def normalise_unit(field: str, unit: str | None) -> tuple[str, Decimal]:
    """(display unit, divisor to canonical) for ``unit``; empty or None = canonical unit."""
    analyte = ANALYTES[field]
    key = (unit or "").strip().lower()
    if key == "":
        return analyte.canonical_unit, Decimal(1)
    if field == "inr" and key in {"ratio", "inr", "1"}:
        return "", Decimal(1)
    if key not in analyte.divisors:
        choices = " or ".join(UNIT_CHOICES[field]) or "no unit"
        raise LabValueError(f"{field}_unit" if field != "inr" else field, unit, None,
                            f"unknown unit for {field} (use {choices})")
    return analyte.divisors[key]


def lab_value(field: str, value: Number | LabValue, unit: str | None = None) -> LabValue:
    """Parse, convert and plausibility-check one lab value.

    Raises :class:`LabValueError` for a non-number, an unknown unit or an implausible value.
    """
    if isinstance(value, LabValue):
        if value.field != field:
            raise ValueError(f"expected a {field} value, got {value.field}")
        return value
    if field not in ANALYTES:
        raise ValueError(f"unknown lab field {field!r}")
    shown_unit, divisor = normalise_unit(field, unit)
    dec = to_decimal(field, value, shown_unit)
    analyte = ANALYTES[field]
    canonical = dec / divisor
    if not analyte.low <= canonical <= analyte.high:
        conv = "" if divisor == 1 else f" = {round_half_up(canonical, 3).normalize():f} " \
                                        f"{analyte.canonical_unit}"
        rng = f"{analyte.low}–{analyte.high}{' ' + analyte.canonical_unit if analyte.canonical_unit else ''}"
        raise LabValueError(field, format(dec, "f"), shown_unit,
                            f"implausible value{conv} (plausible range {rng}); check the value "
                            f"and its unit")
    return LabValue(field, format(dec, "f"), shown_unit, canonical, analyte.canonical_unit)
