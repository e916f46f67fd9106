"""``forms.calc_batch.calc_row`` / ``parse_bool``: every input column reaches its score, exactly
(calculators.md "Batch"). Rows are built inside each test (mutation testing sees each test)."""
from __future__ import annotations

import pytest

from forms.calc_batch import calc_row, parse_bool
from forms.labs import LabValueError

# bilirubin 2.5 mg/dL (2 points), albumin 2.9 g/dL (2), INR 1.8 (2); MELD 19.7 -> 20;
# MELD-Na 20 + 1.32*7 - 0.033*20*7 = 24.6 -> 25; MELD 3.0 24 (male) / 26 (female, +1.33)
LABS = {"id": "F1", "bilirubin": "2.5", "inr": "1.8", "creatinine": "1.4", "sodium": "130",
        "albumin": "2.9"}


def test_every_score_under_its_output_column():
    out, errors = calc_row({**LABS, "ascites": "none", "encephalopathy": "none",
                            "female": "true"})
    assert errors == []
    assert out == {"id": "F1", "child_pugh": 8, "child_pugh_class": "B", "meld": 20,
                   "meld_na": 25, "meld3": 26, "meld3_uncapped": 26}


def test_capped_meld3_keeps_its_uncapped_value():
    out, errors = calc_row({"id": "P4", "bilirubin": "30", "inr": "4.0", "creatinine": "3.0",
                            "sodium": "125", "albumin": "1.5", "female": "true"})
    assert errors == []
    assert (out["meld3"], out["meld3_uncapped"]) == (40, 47)


@pytest.mark.parametrize("female, meld3", [("true", 26), ("1", 26), (" TRUE ", 26),
                                           ("false", 24), ("0", 24), ("False", 24)])
def test_female_column_sets_the_sex_term(female, meld3):
    out, errors = calc_row({**LABS, "female": female})
    assert errors == [] and out["meld3"] == meld3 == out["meld3_uncapped"]


@pytest.mark.parametrize("female", [None, "", "  "], ids=["absent", "empty", "spaces"])
def test_adult_without_female_gets_no_meld3(female):
    row = dict(LABS) if female is None else {**LABS, "female": female}
    out, errors = calc_row(row)
    assert errors == []
    assert out == {"id": "F1", "meld": 20, "meld_na": 25}


def test_unreadable_female_is_reported_and_only_meld3_left_empty():
    out, errors = calc_row({**LABS, "female": "yes"})
    assert out == {"id": "F1", "meld": 20, "meld_na": 25}
    assert [(e.field, str(e)) for e in errors] == [("female", "female yes: use true/false or 1/0")]


def test_parse_bool_message_names_field_and_value():
    assert parse_bool("dialysis", " 1 ") is True and parse_bool("dialysis", "FALSE") is False
    with pytest.raises(LabValueError) as caught:
        parse_bool("dialysis", "maybe")
    assert (caught.value.field, caught.value.value, caught.value.reason) == \
        ("dialysis", "maybe", "use true/false or 1/0")
    assert str(caught.value) == "dialysis maybe: use true/false or 1/0"


@pytest.mark.parametrize("ascites, encephalopathy, points", [
    ("none", "none", 8), ("slight", "none", 9), ("mild", "none", 9), ("moderate", "none", 10),
    ("severe", "none", 10), ("none", "grade1-2", 9), ("none", "grade3-4", 10),
    ("moderate", "grade3-4", 12)])
def test_ascites_and_encephalopathy_reach_child_pugh(ascites, encephalopathy, points):
    out, errors = calc_row({**LABS, "ascites": ascites, "encephalopathy": encephalopathy})
    assert errors == [] and out["child_pugh"] == points


@pytest.mark.parametrize("given", [{"ascites": "none"}, {"encephalopathy": "none"},
                                   {"ascites": "", "encephalopathy": "none"}])
def test_child_pugh_needs_both_grades(given):
    out, errors = calc_row({**LABS, **given})
    assert errors == [] and "child_pugh" not in out and "child_pugh_class" not in out


def test_unreadable_grade_reported_child_pugh_left_empty():
    out, errors = calc_row({**LABS, "ascites": "lots", "encephalopathy": "none"})
    assert "child_pugh" not in out and out["meld"] == 20
    assert [(e.field, e.value) for e in errors] == [("ascites", "lots")]


def test_pbc_variant_uses_its_bilirubin_bands():
    # 2.5 mg/dL: 2 points in the standard bands (2-3), 1 point in the PBC bands (< 4)
    base = {**LABS, "ascites": "none", "encephalopathy": "none"}
    assert calc_row({**base, "variant": "pbc"})[0]["child_pugh"] == 7
    assert calc_row({**base, "variant": "PBC "})[0]["child_pugh"] == 7
    assert calc_row({**base, "variant": ""})[0]["child_pugh"] == 8
    assert calc_row({**base, "variant": "standard"})[0]["child_pugh"] == 8


def test_unknown_variant_reported_child_pugh_left_empty_melds_computed():
    out, errors = calc_row({**LABS, "ascites": "none", "encephalopathy": "none",
                            "female": "0", "variant": "psc"})
    assert out == {"id": "F1", "meld": 20, "meld_na": 25, "meld3": 24, "meld3_uncapped": 24}
    assert [(e.field, str(e)) for e in errors] == [("variant", "variant psc: use standard or pbc")]


def test_albumin_unit_is_read():
    # 29 g/L = 2.9 g/dL (2 points); read as g/dL 29 would be implausible
    out, errors = calc_row({**LABS, "albumin": "29", "albumin_unit": "g/L",
                            "ascites": "none", "encephalopathy": "none"})
    assert errors == [] and out["child_pugh"] == 8


def test_only_bilirubin_albumin_creatinine_have_a_unit_column():
    # an inr_unit / sodium_unit cell is not an input column: never read
    out, errors = calc_row({**LABS, "inr_unit": "g/L", "sodium_unit": "g/L"})
    assert errors == [] and (out["meld"], out["meld_na"]) == (20, 25)


def test_row_without_age_is_an_adult_without_error():
    out, errors = calc_row({**LABS, "female": "false", "age": ""})
    assert errors == [] and out["meld3"] == 24


def test_implausible_age_reported():
    out, errors = calc_row({**LABS, "female": "false", "age": "130"})
    assert "meld3" not in out and out["meld_na"] == 25
    assert [(e.field, str(e)) for e in errors] == \
        [("age", "age 130 years: implausible age (plausible range 0–120 years)")]


def test_row_without_id_key_writes_an_empty_id():
    assert calc_row({}) == ({"id": ""}, [])
    assert calc_row({"inr": "1"}) == ({"id": ""}, [])
