"""forms.enrolment.RawScreening as stored (JSON): every field both ways, defaults of a partial
record, and each refusal with the message the user reads."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from forms.enrolment import SCREENING_LABS, RawScreening, screen_raw
from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol

PROTO = load_protocol(DEFAULT_PROTOCOL_PATH)
FULL = RawScreening(
    screening_date=date(2026, 3, 1), birth_date=date(1960, 6, 1), consent_date=date(2026, 2, 27),
    decompensated=True, decompensation_kinds=("ascites", "bleeding"),
    labs={"bilirubin": {"value": "2.5", "unit": "mg/dL"}, "inr": {"value": "1.5"}},
    ascites="slight", encephalopathy="none", life_expectancy_over_2_months=False, hbv=True,
    antiviral=None, exclusions={"pregnancy": False, "hcc": None})
FULL_JSON = {"screening_date": "2026-03-01", "birth_date": "1960-06-01",
             "consent_date": "2026-02-27", "decompensated": True,
             "decompensation_kinds": ["ascites", "bleeding"],
             "labs": {"bilirubin": {"value": "2.5", "unit": "mg/dL"},
                      "inr": {"value": "1.5", "unit": ""}},
             "ascites": "slight", "encephalopathy": "none",
             "life_expectancy_over_2_months": False, "hbv": True, "antiviral": None,
             "exclusions": {"pregnancy": False, "hcc": None}}


def test_to_json_exactly():
    assert FULL.to_json() == FULL_JSON
    assert RawScreening(labs={"sodium": {"value": 135, "unit": None}}).to_json()["labs"] == {
        "sodium": {"value": "135", "unit": ""}}
    assert RawScreening(labs={"sodium": {}}).to_json()["labs"] == {
        "sodium": {"value": "", "unit": ""}}


def test_from_json_exactly():
    got = RawScreening.from_json(FULL_JSON)
    assert got.labs["inr"] == {"value": "1.5", "unit": ""}
    assert got == RawScreening(**{**FULL.__dict__, "labs": {
        "bilirubin": {"value": "2.5", "unit": "mg/dL"}, "inr": {"value": "1.5", "unit": ""}}})
    assert got.decompensation_kinds == ("ascites", "bleeding")


def test_from_json_of_a_partial_record():
    assert RawScreening.from_json({}) == RawScreening()
    got = RawScreening.from_json({"labs": {"inr": None, 7: {"value": 1.5, "unit": None}},
                                  "decompensation_kinds": [1], "exclusions": None,
                                  "birth_date": date(1960, 6, 1)})
    assert got.labs == {"inr": {"value": "", "unit": ""}, "7": {"value": "1.5", "unit": ""}}
    assert got.decompensation_kinds == ("1",) and got.exclusions == {}
    assert got.birth_date == date(1960, 6, 1)
    assert RawScreening.from_json({"exclusions": {5: True}}).exclusions == {"5": True}


@pytest.mark.parametrize("key, what", [
    ("decompensated", "Decompensated"), ("life_expectancy_over_2_months", "Life expectancy"),
    ("hbv", "HBV"), ("antiviral", "Antiviral")])
def test_a_yes_no_field_that_is_not_a_bool_is_refused_by_name(key, what):
    for bad in ("yes", 1, 0):
        with pytest.raises(UserError) as err:
            RawScreening.from_json({key: bad})
        assert str(err.value) == f"{what} must be yes, no or not known."
    with pytest.raises(UserError) as err:
        RawScreening.from_json({"exclusions": {"hcc": "no"}})
    assert str(err.value) == "Exclusion hcc must be yes, no or not known."


@pytest.mark.parametrize("key, what", [
    ("screening_date", "Screening date"), ("birth_date", "Date of birth"),
    ("consent_date", "Consent date")])
def test_a_date_field_is_refused_by_name(key, what):
    with pytest.raises(UserError) as err:
        RawScreening.from_json({key: "01/03/2026"})
    assert str(err.value) == f"{what}: use YYYY-MM-DD."
    for bad in (20260301, datetime(2026, 3, 1, 9, 0)):
        with pytest.raises(UserError) as err:
            RawScreening.from_json({key: bad})
        assert str(err.value) == f"{what} must be a date."


def test_unknown_labs_are_named_sorted():
    assert SCREENING_LABS == ("bilirubin", "albumin", "inr", "creatinine", "sodium")
    with pytest.raises(UserError) as err:
        screen_raw(PROTO, RawScreening(labs={"zinc": {"value": "1"}, "afp": {"value": "3"},
                                             "inr": {"value": "1.2"}}))
    assert str(err.value) == "Unknown screening lab(s): afp, zinc."


LABS = {"bilirubin": {"value": "2.5", "unit": "mg/dL"}, "albumin": {"value": "30", "unit": "g/L"},
        "inr": {"value": "1.5", "unit": ""}, "creatinine": {"value": "1.0", "unit": "mg/dL"},
        "sodium": {"value": "135", "unit": "mmol/L"}}


def _screen(birth: date | None, sex: str | None):  # noqa: ANN202
    return screen_raw(PROTO, RawScreening(screening_date=date(2026, 3, 1), birth_date=birth,
                                          labs=LABS, ascites="slight", encephalopathy="none"),
                      sex)


def test_sex_and_age_at_screening_reach_meld3():
    adult = date(1960, 6, 1)
    female, male = _screen(adult, "F").liver.meld3, _screen(adult, "M").liver.meld3
    assert (female.female_factor, male.female_factor) == (1, 0) and female.score > male.score
    assert _screen(adult, None).liver.meld3 is None                   # sex needed
    teen = _screen(date(2010, 3, 2), "M").liver.meld3                 # 15 on screening day
    assert teen.female_factor == 1 and teen.age == 15
    assert _screen(date(2016, 3, 1), "M").liver.meld3 is None         # 10: PELD, not MELD 3.0
    assert _screen(None, "M").liver.meld3.age is None                 # not known: an adult
    no_day = screen_raw(PROTO, RawScreening(birth_date=date(2010, 3, 2), labs=LABS,
                                            ascites="slight", encephalopathy="none"), "M")
    assert no_day.liver.meld3.age is None and no_day.liver.meld3.female_factor == 0


def test_every_raw_input_reaches_the_criteria():
    r = RawScreening(screening_date=date(2026, 3, 1), birth_date=date(1960, 6, 1),
                     consent_date=date(2026, 2, 27), decompensated=True,
                     decompensation_kinds=("ascites",), labs=LABS, ascites="slight",
                     encephalopathy="none", life_expectancy_over_2_months=True, hbv=True,
                     antiviral=False, exclusions={"pregnancy": None})
    got = screen_raw(PROTO, r).inputs
    assert got.to_json() == {
        "screening_date": "2026-03-01", "birth_date": "1960-06-01", "consent_date": "2026-02-27",
        "decompensated": True, "decompensation_kinds": ["ascites"], "child_pugh": 8, "meld": 14,
        "life_expectancy_over_2_months": True, "hbv": True, "antiviral": False,
        "exclusions": {"pregnancy": None}}
