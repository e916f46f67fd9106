"""The calculators' input handling and results, pinned so that each small wrong change fails
(survivors of ``make mutation`` on forms/calculators.py): what a missing or odd grade/variant
means, the field/value/reason every refusal names, that a unit given to a calculator reaches the
lab value, that every input is kept in the result, the mortality band above 40 and the 90-day
survival of MELD 3.0."""
from __future__ import annotations

from decimal import Decimal

import pytest

from forms import calculators as calc
from forms.labs import LabValueError

ASCITES_SHOWN = "use one of none, slight (mild), moderate (severe)"
ENC_SHOWN = "use one of none, grade1-2, grade3-4"


def _refusal(fn, *args, **kwargs):  # noqa: ANN001, ANN202
    with pytest.raises(LabValueError) as err:
        fn(*args, **kwargs)
    e = err.value
    return e.field, e.value, e.unit, e.reason


# ---------------------------------------------------------------- grades and variant
@pytest.mark.parametrize("fn", [calc.parse_ascites, calc.parse_encephalopathy])
def test_a_missing_grade_is_refused_not_read_as_none(fn):
    """str(None) is "none", a valid grade: a missing value must not become "no ascites"."""
    field = "ascites" if fn is calc.parse_ascites else "encephalopathy"
    assert _refusal(fn, None)[:3] == (field, None, "")


def test_grade_refusals_name_field_value_and_choices():
    assert _refusal(calc.parse_ascites, "lots") == ("ascites", "lots", "", ASCITES_SHOWN)
    assert _refusal(calc.parse_encephalopathy, "coma") == ("encephalopathy", "coma", "", ENC_SHOWN)
    assert str(_refusal(calc.parse_ascites, "")[3]) == ASCITES_SHOWN


@pytest.mark.parametrize("text, grade", [("grade1–2", "grade1-2"), ("Grade 3 – 4", "grade3-4"),
                                         (" Mild ", "slight"), ("SEVERE", "moderate")])
def test_grades_accept_en_dashes_spaces_and_case(text, grade):
    parse = calc.parse_encephalopathy if "grade" in grade else calc.parse_ascites
    assert parse(text) == grade


@pytest.mark.parametrize("value", [None, "", "  "])
def test_variant_missing_or_empty_is_standard(value):
    assert calc.parse_variant(value) == "standard"


@pytest.mark.parametrize("value", ["none", "psc", 0])
def test_variant_refusal_names_field_value_and_choices(value):
    assert _refusal(calc.parse_variant, value) == ("variant", value, "", "use standard or pbc")


# ---------------------------------------------------------------- true/false flags
@pytest.mark.parametrize("fn, kwargs, field", [
    (calc.meld, {"dialysis": "false"}, "dialysis"),
    (calc.meld3, {"dialysis": 1, "female": False}, "dialysis"),
    (calc.meld3, {"female": "true"}, "female"),
])
def test_flag_refusals_name_the_flag_and_value(fn, kwargs, field):
    labs = (2, 1.5, 1.2) if fn is calc.meld else (2, 1.5, 1.2, 135, 3.0)
    got = _refusal(fn, *labs, **kwargs)
    assert got == (field, kwargs[field], "", "must be true or false")


def test_meld3_without_sex_for_an_adult_names_the_field_and_reason():
    got = _refusal(calc.meld3, 2, 1.5, 1.2, 135, 3.0, female=None)
    assert got == ("female", None, "", "sex is required for MELD 3.0 (true/false)")


@pytest.mark.parametrize("age", ["twelve", None, True])
def test_age_that_is_not_a_number_is_refused_as_age_in_years(age):
    field, value, unit, _reason = _refusal(calc.check_age, age)
    assert (field, value, unit) == ("age", age, "years")


# ---------------------------------------------------------------- units reach the lab values
def test_child_pugh_keeps_every_input_in_its_result():
    res = calc.child_pugh(34.2, 30, 1.8, "mild", "grade1–2", bilirubin_unit="umol/L",
                          albumin_unit="g/L")
    assert (res.bilirubin.raw, res.bilirubin.raw_unit, res.bilirubin.canonical) == \
        ("34.2", "umol/L", Decimal(2))
    assert (res.albumin.raw, res.albumin.raw_unit, res.albumin.canonical) == ("30", "g/L", 3)
    assert (res.inr.field, res.inr.canonical) == ("inr", Decimal("1.8"))
    assert (res.ascites, res.encephalopathy) == ("slight", "grade1-2")
    assert (res.variant, res.formula_id) == ("standard", calc.CTP_FORMULA_ID)


def test_meld_keeps_every_input_and_the_values_used():
    res = calc.meld(0.8, 1.6, 2.0, dialysis=False)
    assert (res.bilirubin.canonical, res.inr.canonical, res.creatinine.canonical) == \
        (Decimal("0.8"), Decimal("1.6"), Decimal(2))
    assert (res.inr.field, res.creatinine.field) == ("inr", "creatinine")
    assert (res.bilirubin_used, res.inr_used, res.creatinine_used) == (1.0, 1.6, 2.0)


def test_meld_na_uses_the_sodium_unit_given_and_keeps_the_sodium():
    res = calc.meld_na(3.0, 1.8, 1.4, 130, sodium_unit="mEq/L")
    assert (res.sodium.field, res.sodium.raw, res.sodium.raw_unit) == ("sodium", "130", "mEq/L")
    with pytest.raises(LabValueError, match="sodium_unit"):
        calc.meld_na(3.0, 1.8, 1.4, 130, sodium_unit="mg/dL")


def test_meld3_uses_every_unit_given_and_keeps_every_input():
    res = calc.meld3(51.3, 1.6, 132.6, 130, 30, female=True, bilirubin_unit="umol/L",
                     creatinine_unit="umol/L", albumin_unit="g/L", sodium_unit="mEq/L",
                     dialysis=False, age=40)
    assert (res.bilirubin.raw_unit, res.bilirubin.canonical) == ("umol/L", Decimal(3))
    assert (res.creatinine.raw_unit, res.creatinine.canonical) == ("umol/L", Decimal("1.5"))
    assert (res.albumin.raw_unit, res.albumin.canonical) == ("g/L", Decimal(3))
    assert (res.sodium.raw_unit, res.sodium.canonical) == ("mEq/L", Decimal(130))
    assert (res.inr.field, res.inr.canonical) == ("inr", Decimal("1.6"))
    assert (res.female, res.age, res.dialysis) == (True, Decimal(40), False)
    assert (res.bilirubin_used, res.inr_used, res.creatinine_used) == (3.0, 1.6, 1.5)
    assert (res.sodium_used, res.albumin_used) == (130.0, 3.0)


@pytest.mark.parametrize("female, age, stored", [(True, None, True), (False, None, False),
                                                 (None, 15, None), (False, 15, False)])
def test_meld3_stores_sex_as_given(female, age, stored):
    assert calc.meld3(2, 1.5, 1.2, 135, 3.0, female=female, age=age).female is stored


def test_meld3_stores_dialysis():
    assert calc.meld3(2, 1.5, 1.2, 135, 3.0, female=False, dialysis=True).dialysis is True


# ---------------------------------------------------------------- display helpers
@pytest.mark.parametrize("score, band", [(39, ("30–39", 52.6)), (40, ("≥ 40", 71.3)),
                                         (41, ("≥ 40", 71.3)), (47, ("≥ 40", 71.3))])
def test_mortality_band_at_and_above_40(score, band):
    """An uncapped MELD above 40 falls into the last band."""
    assert calc.meld_mortality_band(score) == band


@pytest.mark.parametrize("score, survival", [(6, 0.99545), (20, 0.94706), (30, 0.72669)])
def test_meld3_survival_90d_values(score, survival):
    """0.946 ** exp(0.17698·MELD − 3.56) (Kim 2021), to 5 decimals."""
    assert calc.meld3_survival_90d(score) == pytest.approx(survival, abs=5e-6)


def test_to_record_refuses_a_non_result_with_a_message():
    with pytest.raises(TypeError, match="^expected a calculator result$"):
        calc.to_record(3)
