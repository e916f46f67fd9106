"""Optional labs of the clinician assessment (symptoms.md §4): AFP, ALT, AST, platelets.

Parsed and plausibility-checked by ``forms.labs.lab_value`` like the core labs (errors name the
field, the value and the unit); they feed no score."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms import calculators as calc
from forms.errors import UserError
from forms.labs import CORE_LABS, OPTIONAL_LABS, LabValueError, lab_value


@pytest.mark.parametrize("field, value, unit, canonical_unit", [
    ("afp", "12.5", "ng/mL", "ng/mL"),
    ("afp", "0", None, "ng/mL"),
    ("alt", "40", "U/L", "U/L"),
    ("alt", 40, "u/l", "U/L"),
    ("ast", 55.5, "", "U/L"),
    ("platelets", "150", "10^9/L", "10^9/L"),
])
def test_optional_lab_accepted_in_its_unit(field, value, unit, canonical_unit):
    lv = lab_value(field, value, unit)
    assert lv.field == field
    assert lv.unit == canonical_unit and lv.raw_unit == canonical_unit
    assert lv.canonical == Decimal(str(value))
    assert not lv.converted


@pytest.mark.parametrize("unit", ["×10⁹/L", "x10^9/L", "X10^9/L", "10^9/L", "G/L", "g/l",
                                  " ×10⁹/L ", "10⁹/L"])
def test_platelet_unit_spellings_are_one_unit(unit):
    lv = lab_value("platelets", "123", unit)
    assert (lv.raw_unit, lv.unit, lv.canonical) == ("10^9/L", "10^9/L", Decimal("123"))


@pytest.mark.parametrize("field, low, high, unit", [
    ("afp", "0", "1000000", "ng/mL"),
    ("alt", "1", "10000", "U/L"),
    ("ast", "1", "10000", "U/L"),
    ("platelets", "1", "2000", "10^9/L"),
])
def test_plausible_range_edges_inclusive(field, low, high, unit):
    assert lab_value(field, low, unit).canonical == Decimal(low)
    assert lab_value(field, high, unit).canonical == Decimal(high)
    step = Decimal("0.001")
    for bad in (Decimal(low) - step, Decimal(high) + step):
        with pytest.raises(LabValueError) as ei:
            lab_value(field, str(bad), unit)
        msg = str(ei.value)
        assert ei.value.field == field
        assert msg.startswith(f"{field} {bad} {unit}: implausible value")
        assert f"plausible range {low}–{high} {unit}" in msg


def test_implausible_afp_message_names_field_value_unit():
    with pytest.raises(LabValueError) as ei:
        lab_value("afp", "2000000", "ng/mL")
    assert str(ei.value) == ("afp 2000000 ng/mL: implausible value (plausible range "
                             "0–1000000 ng/mL); check the value and its unit")
    assert isinstance(ei.value, UserError)        # main prints it, no traceback


@pytest.mark.parametrize("field, unit", [("afp", "ug/L"), ("alt", "ukat/L"), ("ast", "mg/dL"),
                                         ("platelets", "/uL"), ("platelets", "mmol/L")])
def test_unknown_unit_refused_with_choices(field, unit):
    with pytest.raises(LabValueError) as ei:
        lab_value(field, "10", unit)
    assert ei.value.field == f"{field}_unit"
    assert f"unknown unit for {field}" in str(ei.value)
    assert unit in str(ei.value)


@pytest.mark.parametrize("value", ["abc", "nan", "inf", None, True, ""])
def test_not_a_number_refused(value):
    with pytest.raises(LabValueError) as ei:
        lab_value("alt", value, "U/L")
    assert ei.value.field == "alt"
    assert "number" in str(ei.value)


def test_optional_labs_listed_apart_from_core():
    assert OPTIONAL_LABS == ("afp", "alt", "ast", "platelets")
    assert CORE_LABS == ("bilirubin", "albumin", "inr", "creatinine", "sodium")
    assert not set(OPTIONAL_LABS) & set(CORE_LABS)


def test_optional_labs_are_no_calculator_input():
    """The calculators take only the core labs: an optional LabValue in a core slot is refused."""
    afp = lab_value("afp", "5", "ng/mL")
    with pytest.raises(ValueError, match="expected a bilirubin value"):
        calc.meld(afp, "1.0", "1.0")


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=1, max_value=2000, places=1, allow_nan=False, allow_infinity=False),
       st.sampled_from(["×10⁹/L", "x10^9/L", "10^9/L", "G/L"]))
def test_platelets_in_range_round_trip(value, unit):
    lv = lab_value("platelets", str(value), unit)
    assert lv.canonical == value and lv.raw == format(value, "f")
