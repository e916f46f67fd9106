"""Eligibility at screening (protocol.md §3): three-valued evaluation, edge cases, boundaries."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol
from forms.screening import (ScreeningInputs, ScreeningResult, age_in_years, criterion_inputs,
                             evaluate)

NCT = load_protocol(DEFAULT_PROTOCOL_PATH)
MADEUP = load_protocol(Path(__file__).parent / "fixtures" / "protocols" / "madeup_two_arm.json")
SCREENING = date(2026, 3, 1)
NO_EXCLUSIONS = {c.id: False for c in NCT.exclusion}
ELIGIBLE = ScreeningInputs(
    screening_date=SCREENING, birth_date=date(1970, 6, 15), consent_date=date(2026, 2, 27),
    decompensated=True, decompensation_kinds=("ascites",), child_pugh=9, meld=15,
    life_expectancy_over_2_months=True, hbv=True, antiviral=True, exclusions=NO_EXCLUSIONS)


def met(criterion_id: str, protocol=NCT, **changes) -> bool | None:
    inputs = replace(ELIGIBLE, **changes) if protocol is NCT else changes.pop("_inputs")
    for o in evaluate(protocol, inputs).outcomes:
        if o.id == criterion_id:
            return o.met
    raise KeyError(criterion_id)


def test_all_met_is_eligible():
    r = evaluate(NCT, ELIGIBLE)
    assert (r.result, r.unmet, r.undetermined) == ("eligible", (), ())
    assert [o.id for o in r.outcomes] == [c.id for c in NCT.criteria]
    assert all(o.met is True for o in r.outcomes)


def test_nothing_known_is_undetermined_naming_every_criterion():
    r = evaluate(NCT, ScreeningInputs())
    assert r.result == "undetermined" and r.unmet == ()
    assert r.undetermined == tuple(c.id for c in NCT.criteria)


# --- age: whole years at the screening date, birthdays and leap days ---------------------------

@pytest.mark.parametrize("birth, on, age", [
    (date(2008, 3, 1), date(2026, 3, 1), 18),     # 18th birthday
    (date(2008, 3, 2), date(2026, 3, 1), 17),     # the day before it
    (date(2008, 2, 29), date(2026, 2, 28), 17),   # leap-day birth, common year: not yet
    (date(2008, 2, 29), date(2026, 3, 1), 18),    # ... reached on 1 March
    (date(2008, 2, 29), date(2028, 2, 29), 20),   # leap year: on the day
    (date(2008, 2, 28), date(2026, 2, 28), 18),
    (date(1955, 12, 31), date(2026, 1, 1), 70),
])
def test_age_in_whole_years(birth, on, age):
    assert age_in_years(birth, on) == age


@pytest.mark.parametrize("birth, expected", [
    (date(2008, 3, 1), True),     # 18 today
    (date(2008, 3, 2), False),    # 18 tomorrow
    (date(1955, 3, 2), True),     # 70, turns 71 tomorrow
    (date(1955, 3, 1), False),    # 71 today
])
def test_age_boundaries_on_birthdays(birth, expected):
    assert met("age", birth_date=birth) is expected


def test_leap_day_birthdays_at_both_limits():
    assert met("age", birth_date=date(2008, 2, 29), screening_date=date(2026, 2, 28),
               consent_date=date(2026, 2, 28)) is False
    assert met("age", birth_date=date(2008, 2, 29), screening_date=date(2026, 3, 1)) is True
    assert met("age", birth_date=date(1956, 2, 29), screening_date=date(2027, 2, 28)) is True
    assert met("age", birth_date=date(1956, 2, 29), screening_date=date(2027, 3, 1)) is False


def test_age_unknown_without_either_date():
    assert met("age", birth_date=None) is None
    assert met("age", screening_date=None) is None


# --- consent ---------------------------------------------------------------------------------

def test_consent_after_screening_is_unmet():
    r = evaluate(NCT, replace(ELIGIBLE, consent_date=date(2026, 3, 2)))
    assert (r.result, r.unmet) == ("ineligible", ("consent",))


def test_consent_on_screening_day_is_met_and_unknown_is_undecided():
    assert met("consent", consent_date=SCREENING) is True
    assert met("consent", consent_date=None) is None
    assert met("consent", screening_date=None) is None


# --- decompensated cirrhosis with Child-Pugh 7-12 or MELD <= 21 ------------------------------

@pytest.mark.parametrize("cp, meld, expected", [
    (13, 21, True),      # Child-Pugh 13 with MELD 21: the MELD branch holds
    (13, 22, False),
    (12, 30, True), (7, 30, True), (6, 22, False), (6, 21, True), (15, 40, False),
    (9, None, True),     # Child-Pugh settles it; MELD not needed
    (None, 21, True),
    (13, None, None), (6, None, None), (None, 22, None), (None, None, None),
])
def test_decompensated_scores(cp, meld, expected):
    assert met("decompensated_cirrhosis", child_pugh=cp, meld=meld) is expected


def test_compensated_is_unmet_whatever_the_scores():
    for cp, meld in ((9, 15), (None, None), (13, 30)):
        assert met("decompensated_cirrhosis", decompensated=False, decompensation_kinds=(),
                   child_pugh=cp, meld=meld) is False
    r = evaluate(NCT, replace(ELIGIBLE, decompensated=False, decompensation_kinds=(),
                              child_pugh=6, meld=8))
    assert (r.result, r.unmet) == ("ineligible", ("decompensated_cirrhosis",))


def test_decompensation_unknown():
    assert met("decompensated_cirrhosis", decompensated=None, decompensation_kinds=(),
               child_pugh=13, meld=22) is False      # no value of it could help
    assert met("decompensated_cirrhosis", decompensated=None, decompensation_kinds=(),
               child_pugh=9, meld=None) is None


# --- life expectancy, HBV and antivirals -------------------------------------------------------

def test_life_expectancy():
    assert met("life_expectancy", life_expectancy_over_2_months=False) is False
    assert met("life_expectancy", life_expectancy_over_2_months=None) is None


@pytest.mark.parametrize("hbv, antiviral, expected", [
    (False, None, True), (False, False, True), (False, True, True),
    (True, True, True), (True, False, False), (True, None, None),
    (None, True, True), (None, False, None), (None, None, None),
])
def test_hbv_antiviral(hbv, antiviral, expected):
    assert met("hbv_antiviral", hbv=hbv, antiviral=antiviral) is expected


# --- exclusions ----------------------------------------------------------------------------------

def test_several_exclusions_at_once_named_in_protocol_order():
    excl = dict(NO_EXCLUSIONS, pregnancy=True, allergy=True, other_study=True)
    r = evaluate(NCT, replace(ELIGIBLE, exclusions=excl))
    assert r.result == "ineligible"
    assert r.unmet == ("allergy", "pregnancy", "other_study")
    assert {o.id: o.met for o in r.outcomes if o.kind == "exclusion"}["pregnancy"] is False


def test_unanswered_exclusion_is_undetermined():
    excl = dict(NO_EXCLUSIONS)
    del excl["malignancy"]
    r = evaluate(NCT, replace(ELIGIBLE, exclusions=excl))
    assert (r.result, r.undetermined) == ("undetermined", ("malignancy",))


def test_unmet_wins_over_undetermined_and_lists_every_unmet_in_order():
    r = evaluate(NCT, replace(ELIGIBLE, consent_date=date(2026, 3, 5), birth_date=None,
                              hbv=True, antiviral=False, exclusions={"infection": True}))
    assert r.result == "ineligible"
    assert r.unmet == ("consent", "hbv_antiviral", "infection")
    assert r.undetermined[0] == "age" and "allergy" in r.undetermined


def test_stray_exclusion_id_is_refused():
    with pytest.raises(UserError, match="typo_id not in protocol"):
        evaluate(NCT, replace(ELIGIBLE, exclusions={**NO_EXCLUSIONS, "typo_id": False}))


# --- inputs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"decompensation_kinds": ("gout",)}, "unknown kind 'gout'"),
    ({"decompensation_kinds": ("ascites", "ascites")}, "listed twice"),
    ({"decompensated": False}, "given although decompensated is not yes"),
    ({"birth_date": date(2026, 3, 2)}, "birth_date: after the screening date"),
    ({"child_pugh": 4}, "child_pugh: expected a whole number 5-15"),
    ({"meld": 41}, "meld: expected a whole number 6-40"),
    ({"meld": True}, "meld: expected a whole number"),
    ({"hbv": "yes"}, "hbv: expected yes/no"),
    ({"screening_date": "2026-03-01"}, "screening_date: expected a date"),
    ({"exclusions": {"allergy": "no"}}, "exclusions.allergy: expected yes/no"),
])
def test_bad_inputs_are_refused(changes, message):
    with pytest.raises(UserError, match=message):
        replace(ELIGIBLE, **changes)


def test_inputs_json_round_trip():
    d = ELIGIBLE.to_json()
    assert d["screening_date"] == "2026-03-01" and d["decompensation_kinds"] == ["ascites"]
    assert d["exclusions"]["allergy"] is False and d["child_pugh"] == 9
    assert ScreeningInputs.from_json(d) == ELIGIBLE
    assert ScreeningInputs.from_json(ScreeningInputs().to_json()) == ScreeningInputs()
    assert ScreeningInputs.from_json({"hbv": True}).hbv is True
    assert hash(ScreeningInputs.from_json(d)) == hash(ELIGIBLE)


@pytest.mark.parametrize("d, message", [
    ({"colour": 1}, "unknown key"),
    ({"birth_date": "1.2.1970"}, "not a date"),
    ({"decompensation_kinds": "ascites"}, "expected a list"),
    ({"exclusions": []}, "expected an object"),
])
def test_inputs_from_bad_json(d, message):
    with pytest.raises(UserError, match=message):
        ScreeningInputs.from_json(d)


def test_result_json():
    r = evaluate(NCT, replace(ELIGIBLE, meld=None, child_pugh=13))
    assert isinstance(r, ScreeningResult)
    j = r.to_json()
    assert j["result"] == "undetermined" and j["undetermined"] == ["decompensated_cirrhosis"]
    assert j["outcomes"][2] == {"id": "decompensated_cirrhosis", "kind": "inclusion", "met": None}


def test_criterion_inputs():
    assert criterion_inputs(NCT.criteria[1]) == ("birth_date", "screening_date")
    assert criterion_inputs(NCT.criteria[4]) == ("hbv", "antiviral")
    assert criterion_inputs(NCT.exclusion[0]) == ("exclusions.allergy",)


# --- another protocol: same rule kinds, other ids and parameters -------------------------------

def madeup(**changes) -> ScreeningInputs:
    base = dict(screening_date=SCREENING, birth_date=date(1960, 1, 1),
                consent_date=SCREENING, decompensated=True, child_pugh=5, meld=30,
                life_expectancy_over_2_months=False, hbv=True,
                exclusions={"smoker": False, "breastfeeding": False})
    base.update(changes)
    return ScreeningInputs(**base)


def test_madeup_protocol_eligible_and_its_ids():
    r = evaluate(MADEUP, madeup())
    assert r.result == "eligible"
    assert [o.id for o in r.outcomes] == ["signed_consent", "older_adult", "liver",
                                          "hbv_positive", "treated_if_expected", "smoker",
                                          "breastfeeding"]


@pytest.mark.parametrize("birth, expected", [
    (date(1986, 3, 2), False), (date(1986, 3, 1), True),     # 39 / 40
    (date(1945, 3, 2), True), (date(1945, 3, 1), False),     # 80 / 81
])
def test_madeup_age_40_to_80(birth, expected):
    assert met("older_adult", MADEUP, _inputs=madeup(birth_date=birth)) is expected


@pytest.mark.parametrize("cp, meld, expected", [
    (5, 30, True), (9, 30, True), (10, 16, False), (10, 15, True), (13, 21, False),
])
def test_madeup_liver_parameters(cp, meld, expected):
    assert met("liver", MADEUP, _inputs=madeup(child_pugh=cp, meld=meld)) is expected


def test_madeup_other_rules_and_exclusions():
    r = evaluate(MADEUP, madeup(hbv=False, life_expectancy_over_2_months=True, antiviral=False,
                                exclusions={"smoker": True, "breastfeeding": None}))
    assert r.unmet == ("hbv_positive", "treated_if_expected", "smoker")
    assert r.undetermined == ("breastfeeding",)
    with pytest.raises(UserError):
        evaluate(MADEUP, madeup(exclusions={"allergy": False}))
