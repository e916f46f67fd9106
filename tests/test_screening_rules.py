"""forms/screening_rules.py at both sides of every threshold a rule kind uses, with the study's
numbers (age 18–70, Child-Pugh 7–12, MELD ≤ 21): each decision is three-valued (True met,
False not met, None undecided), and each parameter check names its path and reason."""
from __future__ import annotations

from datetime import date

import pytest

from forms.screening_rules import (BOOL_INPUTS, DECOMPENSATION_KINDS, EXCLUSION_PREFIX, RULES,
                                   SCORE_RANGES, age_in_years)

SCREEN = date(2026, 6, 15)
AGE = {"min": 18, "max": 70}
SCORES = {"child_pugh": [7, 12], "meld_max": 21}


def decide(kind: str, params: dict, cid: str = "c1", **inputs):  # noqa: ANN201
    return RULES[kind].decide(cid, params, inputs.get)


def born(years: int, days: int = 0) -> date:
    """Birth date making the person ``years`` old at SCREEN, ``days`` later (younger)."""
    return date(SCREEN.year - years, SCREEN.month, SCREEN.day + days)


# ---------------------------------------------------------------- age 18–70, on the birthday
@pytest.mark.parametrize("birth, met", [(born(18), True), (born(18, 1), False),
                                        (born(70), True), (born(71, 1), True),
                                        (born(71), False)])
def test_age_range_both_ends(birth, met):
    assert decide("age_range", AGE, birth_date=birth, screening_date=SCREEN) is met


def test_age_in_years_goes_up_on_the_birthday_and_29_february():
    assert age_in_years(date(2000, 6, 15), date(2018, 6, 14)) == 17
    assert age_in_years(date(2000, 6, 15), date(2018, 6, 15)) == 18
    assert age_in_years(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert age_in_years(date(2000, 2, 29), date(2018, 3, 1)) == 18
    assert age_in_years(date(2000, 12, 31), date(2001, 1, 1)) == 0


@pytest.mark.parametrize("birth, screening", [(None, SCREEN), (born(30), None), (None, None)])
def test_age_undecided_without_dates(birth, screening):
    assert decide("age_range", AGE, birth_date=birth, screening_date=screening) is None


# ---------------------------------------------------------------- consent not after screening
@pytest.mark.parametrize("consent, met", [(date(2026, 6, 14), True), (SCREEN, True),
                                          (date(2026, 6, 16), False), (None, None)])
def test_consent_not_after_screening(consent, met):
    assert decide("consent_not_after_screening", {}, consent_date=consent,
                  screening_date=SCREEN) is met
    assert decide("consent_not_after_screening", {}, consent_date=consent,
                  screening_date=None) is None


# ---------------------------------------------------------------- Child-Pugh 7–12 or MELD <= 21
@pytest.mark.parametrize("cp, met", [(6, False), (7, True), (12, True), (13, False)])
def test_child_pugh_range_both_ends(cp, met):
    assert decide("decompensated_with_scores", SCORES, decompensated=True, child_pugh=cp,
                  meld=30) is met


@pytest.mark.parametrize("meld, met", [(20, True), (21, True), (22, False)])
def test_meld_max_both_sides(meld, met):
    assert decide("decompensated_with_scores", SCORES, decompensated=True, child_pugh=5,
                  meld=meld) is met


@pytest.mark.parametrize("dec, cp, meld, met", [
    (False, 8, 10, False),        # not decompensated: scores do not matter
    (None, 8, 10, None), (None, 5, 30, False),
    (True, None, 30, None), (True, None, 10, True), (True, 8, None, True),
    (True, 5, None, None), (True, None, None, None), (False, None, None, False),
])
def test_scores_three_valued(dec, cp, meld, met):
    assert decide("decompensated_with_scores", SCORES, decompensated=dec, child_pugh=cp,
                  meld=meld) is met


# ---------------------------------------------------------------- yes, conditional, exclusion
@pytest.mark.parametrize("value", [True, False, None])
def test_yes_is_the_input(value):
    assert decide("yes", {"input": "hbv"}, hbv=value) is value


@pytest.mark.parametrize("hbv, antiviral, met", [
    (False, None, True), (False, False, True), (True, True, True), (True, False, False),
    (True, None, None), (None, True, True), (None, False, None), (None, None, None)])
def test_conditional_yes(hbv, antiviral, met):
    assert decide("conditional_yes", {"if": "hbv", "then": "antiviral"}, hbv=hbv,
                  antiviral=antiviral) is met


@pytest.mark.parametrize("applies, met", [(True, False), (False, True), (None, None)])
def test_exclusion_met_when_it_does_not_apply(applies, met):
    inputs = {EXCLUSION_PREFIX + "hcc": applies}
    assert RULES["exclusion"].decide("hcc", {}, inputs.get) is met


def test_inputs_and_lists_of_each_kind():
    assert RULES["exclusion"].inputs("hcc", {}) == ("exclusions.hcc",)
    assert RULES["yes"].inputs("c", {"input": "hbv"}) == ("hbv",)
    assert RULES["conditional_yes"].inputs("c", {"if": "hbv", "then": "antiviral"}) == \
        ("hbv", "antiviral")
    assert RULES["age_range"].inputs("c", AGE) == ("birth_date", "screening_date")
    assert RULES["consent_not_after_screening"].inputs("c", {}) == ("consent_date",
                                                                   "screening_date")
    assert RULES["decompensated_with_scores"].inputs("c", SCORES) == (
        "decompensated", "child_pugh", "meld")
    assert {k: r.used_for for k, r in RULES.items()} == {
        "consent_not_after_screening": "inclusion", "age_range": "inclusion",
        "decompensated_with_scores": "inclusion", "yes": "inclusion",
        "conditional_yes": "inclusion", "exclusion": "exclusion"}
    assert {k: r.params for k, r in RULES.items()} == {
        "consent_not_after_screening": (), "age_range": ("min", "max"),
        "decompensated_with_scores": ("child_pugh", "meld_max"), "yes": ("input",),
        "conditional_yes": ("if", "then"), "exclusion": ()}
    assert SCORE_RANGES == {"child_pugh": (5, 15), "meld": (6, 40)}
    assert BOOL_INPUTS == ("decompensated", "life_expectancy_over_2_months", "hbv", "antiviral")
    assert DECOMPENSATION_KINDS == ("ascites", "variceal_bleeding", "encephalopathy", "jaundice")


# ---------------------------------------------------------------- parameter checks
def check(kind: str, params: dict) -> list[tuple[str, str]]:
    return RULES[kind].check(params)


@pytest.mark.parametrize("params, problems", [
    ({"min": 0, "max": 150}, []), ({"min": 18, "max": 18}, []),
    ({"min": -1, "max": 70}, [("min", "must be between 0 and 150")]),
    ({"min": 18, "max": 151}, [("max", "must be between 0 and 150")]),
    ({"min": 19, "max": 18}, [("min", "must not exceed max")]),
    ({"min": "18", "max": 70}, [("min", "expected a whole number")]),
    ({"min": True, "max": 70}, [("min", "expected a whole number")]),
    ({"min": 18.0, "max": 70}, [("min", "expected a whole number")]),
    ({"max": 70}, [("min", "expected a whole number")]),
])
def test_age_params(params, problems):
    assert check("age_range", params) == problems


@pytest.mark.parametrize("params, problems", [
    ({"child_pugh": [5, 15], "meld_max": 6}, []), ({"child_pugh": [7, 7], "meld_max": 40}, []),
    ({"child_pugh": [4, 15], "meld_max": 21}, [("child_pugh[0]", "must be between 5 and 15")]),
    ({"child_pugh": [7, 16], "meld_max": 21}, [("child_pugh[1]", "must be between 5 and 15")]),
    ({"child_pugh": [8, 7], "meld_max": 21}, [("child_pugh", "lowest exceeds highest")]),
    ({"child_pugh": [9, 4], "meld_max": 21}, [("child_pugh[1]", "must be between 5 and 15")]),
    ({"child_pugh": [7], "meld_max": 21}, [("child_pugh", "expected [lowest, highest] points")]),
    ({"child_pugh": (7, 12), "meld_max": 21},
     [("child_pugh", "expected [lowest, highest] points")]),
    ({"child_pugh": [7, 12], "meld_max": 5}, [("meld_max", "must be between 6 and 40")]),
    ({"child_pugh": [7, 12], "meld_max": 41}, [("meld_max", "must be between 6 and 40")]),
])
def test_score_params(params, problems):
    assert check("decompensated_with_scores", params) == problems


YES_NO = "must name a yes/no input (decompensated, life_expectancy_over_2_months, hbv, antiviral)"


@pytest.mark.parametrize("kind, params, problems", [
    ("yes", {"input": "hbv"}, []), ("yes", {"input": "consent_date"}, [("input", YES_NO)]),
    ("yes", {}, [("input", YES_NO)]),
    ("conditional_yes", {"if": "hbv", "then": "antiviral"}, []),
    ("conditional_yes", {"if": "hbv", "then": "hbv"}, [("then", "must differ from 'if'")]),
    ("conditional_yes", {"if": "x", "then": "hbv"}, [("if", YES_NO)]),
    ("conditional_yes", {"if": "hbv", "then": "x"}, [("then", YES_NO)]),
    ("conditional_yes", {"if": "x", "then": "x"}, [("if", YES_NO), ("then", YES_NO)]),
    ("exclusion", {"anything": 1}, []), ("consent_not_after_screening", {}, []),
])
def test_input_params(kind, params, problems):
    assert check(kind, params) == problems
