"""forms/labs.py at both sides of every bound it uses (calculators.md §1 plausible ranges,
inclusive; the optional labs of symptoms.md §4), its exact conversions, unit spellings, number
parsing and half-up rounding, with the field/value/unit/reason every refusal names."""
from __future__ import annotations

from decimal import Decimal

import pytest

from forms.labs import (CORE_LABS, OPTIONAL_LABS, UNIT_CHOICES, LabValue, LabValueError,
                        lab_value, normalise_unit, round_half_up, to_decimal)

# (field, canonical unit, low, high, a step just outside) — inclusive ranges
RANGES = [
    ("bilirubin", "mg/dL", "0.1", "80", "0.01"),
    ("creatinine", "mg/dL", "0.1", "25", "0.01"),
    ("albumin", "g/dL", "0.5", "7", "0.01"),
    ("sodium", "mmol/L", "100", "180", "0.1"),
    ("inr", "", "0.5", "15", "0.01"),
    ("afp", "ng/mL", "0", "1000000", "0.1"),
    ("alt", "U/L", "1", "10000", "0.1"),
    ("ast", "U/L", "1", "10000", "0.1"),
    ("platelets", "10^9/L", "1", "2000", "0.1"),
]


def _refusal(fn, *args):  # noqa: ANN001, ANN202
    with pytest.raises(LabValueError) as err:
        fn(*args)
    e = err.value
    return e.field, e.value, e.unit, e.reason


@pytest.mark.parametrize("field, unit, low, high, step", RANGES)
def test_plausible_range_is_inclusive_on_both_ends(field, unit, low, high, step):
    lo, hi, d = Decimal(low), Decimal(high), Decimal(step)
    assert lab_value(field, lo).canonical == lo
    assert lab_value(field, hi).canonical == hi
    rng = f"{low}–{high}{' ' + unit if unit else ''}"
    for outside in (lo - d, hi + d):
        got = _refusal(lab_value, field, outside)
        assert got[:3] == (field, format(outside, "f"), unit)
        assert got[3] == (f"implausible value (plausible range {rng}); check the value and "
                          "its unit")


def test_a_converted_implausible_value_shows_the_conversion():
    got = _refusal(lab_value, "bilirubin", 1500, "umol/L")
    assert got == ("bilirubin", "1500", "umol/L", "implausible value = 87.719 mg/dL (plausible "
                   "range 0.1–80 mg/dL); check the value and its unit")


@pytest.mark.parametrize("field, value, unit, canonical", [
    ("bilirubin", "51.3", "umol/L", Decimal(3)), ("bilirubin", 17.1, "µmol/L", Decimal(1)),
    ("bilirubin", "34.2", "μmol/l", Decimal(2)), ("bilirubin", 2, "MG/DL", Decimal(2)),
    ("creatinine", "88.4", "umol/L", Decimal(1)), ("creatinine", "132.6", "UMOL/L",
                                                     Decimal("1.5")),
    ("albumin", "35", "g/L", Decimal("3.5")), ("albumin", "3.5", "g/dl", Decimal("3.5")),
    ("sodium", "130", "mEq/L", Decimal(130)), ("sodium", "130", " mmol/l ", Decimal(130)),
    ("inr", "1.7", "ratio", Decimal("1.7")), ("inr", "1.7", "INR", Decimal("1.7")),
    ("inr", "1.7", "1", Decimal("1.7")), ("inr", "1.7", None, Decimal("1.7")),
    ("platelets", "150", "×10⁹/L", Decimal(150)), ("platelets", "150", "G/L", Decimal(150)),
    ("platelets", "150", "x10^9/l", Decimal(150)), ("afp", "0", "ng/mL", Decimal(0)),
    ("alt", "40", "U/L", Decimal(40)), ("ast", "40", "u/l", Decimal(40)),
])
def test_exact_conversion_and_unit_spellings(field, value, unit, canonical):
    assert lab_value(field, value, unit).canonical == canonical


def test_lab_value_keeps_raw_value_unit_and_canonical_unit():
    v = lab_value("bilirubin", 51.3, "µmol/L")
    assert v == LabValue("bilirubin", "51.3", "umol/L", Decimal(3), "mg/dL")
    assert v.converted and v.value == 3.0
    same = lab_value("albumin", "3.0", "")
    assert same == LabValue("albumin", "3.0", "g/dL", Decimal("3.0"), "g/dL")
    assert not same.converted


def test_band_value_rounds_only_a_converted_value_half_up_to_2_decimals():
    conv = lab_value("bilirubin", "34.25", "umol/L")          # 2.00292… mg/dL
    assert conv.band_value == Decimal("2.00")
    assert lab_value("albumin", "20.05", "g/L").band_value == Decimal("2.01")     # 2.005 up
    assert lab_value("albumin", "20.04", "g/L").band_value == Decimal("2.00")
    assert lab_value("bilirubin", "2.004", "mg/dL").band_value == Decimal("2.004")


def test_unknown_units_are_refused_naming_the_unit_field_and_choices():
    assert _refusal(normalise_unit, "bilirubin", "mmol/L") == (
        "bilirubin_unit", "mmol/L", "", "unknown unit for bilirubin (use mg/dL or umol/L)")
    assert _refusal(normalise_unit, "inr", "%") == ("inr", "%", "", "unknown unit for inr "
                                                    "(use no unit)")
    assert normalise_unit("sodium", None) == ("mmol/L", Decimal(1))
    assert normalise_unit("bilirubin", "umol/l") == ("umol/L", Decimal("17.1"))
    assert normalise_unit("creatinine", "umol/l") == ("umol/L", Decimal("88.4"))
    assert normalise_unit("albumin", "g/l") == ("g/L", Decimal("10"))


def test_unit_choices_and_lab_groups():
    assert UNIT_CHOICES["bilirubin"] == ["mg/dL", "umol/L"]
    assert UNIT_CHOICES["albumin"] == ["g/L", "g/dL"]
    assert UNIT_CHOICES["inr"] == []
    assert CORE_LABS == ("bilirubin", "albumin", "inr", "creatinine", "sodium")
    assert OPTIONAL_LABS == ("afp", "alt", "ast", "platelets")


@pytest.mark.parametrize("value, reason", [(None, "a number is required"),
                                           (True, "a number is required"),
                                           ("abc", "not a number"), ([1], "not a number"),
                                           ("", "not a number"),
                                           ("NaN", "not a finite number"),
                                           (float("inf"), "not a finite number")])
def test_to_decimal_refusals(value, reason):
    assert _refusal(to_decimal, "sodium", value, "mmol/L") == ("sodium", value, "mmol/L", reason)


@pytest.mark.parametrize("value, dec", [(0.1, Decimal("0.1")), (3, Decimal(3)),
                                        (" 2.50 ", Decimal("2.50")), (Decimal("1.5"),
                                                                     Decimal("1.5"))])
def test_to_decimal_reads_the_number_as_written(value, dec):
    assert str(to_decimal("x", value)) == str(dec)


def test_lab_value_passes_a_lab_value_of_the_same_field_and_refuses_another():
    v = lab_value("inr", "1.2")
    assert lab_value("inr", v) is v
    with pytest.raises(ValueError, match="expected a creatinine value, got inr"):
        lab_value("creatinine", v)
    with pytest.raises(ValueError, match="unknown lab field 'ggt'"):
        lab_value("ggt", 3)


@pytest.mark.parametrize("value, places, out", [(Decimal("2.5"), 0, "3"), (Decimal("3.5"), 0, "4"),
                                                (Decimal("2.45"), 1, "2.5"), (2.675, 2, "2.67"),
                                                (Decimal("-0.5"), 0, "-1"), (12.34, 1, "12.3")])
def test_round_half_up(value, places, out):
    """Halves away from zero; a float by its exact binary value (2.675 is 2.67499…)."""
    assert str(round_half_up(value, places)) == out


def test_error_message_names_field_value_and_unit():
    e = LabValueError("sodium", 90, "mmol/L", "too low")
    assert str(e) == "sodium 90 mmol/L: too low"
    assert str(LabValueError("sodium", None, None, "x")) == "sodium (missing): x"
    assert str(LabValueError("sodium", "", "", "x")) == "sodium (missing): x"
    assert str(LabValueError("inr", 0, None, "x")) == "inr 0: x"


def test_an_inr_written_with_its_unit_name_is_not_a_conversion():
    v = lab_value("inr", "1.705", "ratio")
    assert (v.raw_unit, v.unit, v.converted, v.band_value) == ("", "", False, Decimal("1.705"))


def test_a_value_that_is_not_a_number_is_refused_naming_field_and_unit():
    assert _refusal(lab_value, "sodium", "abc", "mEq/L") == ("sodium", "abc", "mEq/L",
                                                             "not a number")


def test_exponent_notation_is_kept_as_a_plain_number():
    assert lab_value("sodium", "1.3E+2").raw == "130"
    assert lab_value("afp", "1e-5").raw == "0.00001"
    assert _refusal(lab_value, "sodium", "1E+3")[1] == "1000"
