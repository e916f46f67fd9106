"""forms.liver: the one derivation of Child-Pugh / MELD / MELD-Na / MELD 3.0 from clinician inputs."""
from __future__ import annotations

import json
from datetime import date

import pytest

from forms import calculators as calc
from forms.liver import (SCORES, LiverInputs, LabProblem, age_on, derive_liver_scores,
                         stored_score)

LABS = {"bilirubin": {"value": "51.3", "unit": "umol/L"}, "albumin": {"value": "30", "unit": "g/L"},
        "inr": {"value": "1.8", "unit": ""}, "creatinine": {"value": "1.2", "unit": "mg/dL"},
        "sodium": {"value": "130", "unit": "mmol/L"}}


def full(**kw) -> LiverInputs:
    args = dict(labs=LABS, ascites="slight", encephalopathy="none", sex="F", age=60)
    args.update(kw)
    return LiverInputs(**args)


def test_all_scores_from_complete_inputs_equal_the_calculators() -> None:
    s = derive_liver_scores(full())
    assert s.computable == dict.fromkeys(SCORES, True) and not s.missing and not s.problems
    bili = calc.lab_value("bilirubin", "51.3", "umol/L")
    alb = calc.lab_value("albumin", "30", "g/L")
    assert s.child_pugh == calc.child_pugh(bili, alb, 1.8, "slight", "none")
    assert s.meld == calc.meld(bili, "1.8", "1.2")
    assert s.meld_na == calc.meld_na(bili, "1.8", "1.2", "130")
    assert s.meld3 == calc.meld3(bili, "1.8", "1.2", "130", alb, female=True, age=60)
    d = s.derived()
    assert json.loads(json.dumps(d)) == d                   # storable as JSON as is
    assert d["child_pugh"] == {"score": 9, "class": "B", "variant": "standard",
                               "formula_id": calc.CTP_FORMULA_ID}
    assert d["meld"]["score"] == 19 and d["meld"]["formula_id"] == calc.MELD_FORMULA_ID
    assert d["meld_na"]["score"] == 24 and d["meld_na"]["na_applied"] is True
    assert d["meld3"]["score"] == s.meld3.score and d["meld3"]["uncapped"] == s.meld3.uncapped


def test_missing_inputs_are_named_per_score() -> None:
    s = derive_liver_scores(full(labs={k: LABS[k] for k in ("bilirubin", "inr", "creatinine")},
                                 encephalopathy=None, sex=None))
    assert s.computable == {"child_pugh": False, "meld": True, "meld_na": False, "meld3": False}
    assert s.missing == {"child_pugh": ("albumin", "encephalopathy"), "meld_na": ("sodium",),
                         "meld3": ("sodium", "albumin", "sex")}
    assert s.derived()["meld_na"] == {"score": None, "missing": ["sodium"]}


def test_problems_name_field_value_unit_and_range_and_block_the_score() -> None:
    labs = dict(LABS, bilirubin={"value": "2000", "unit": "umol/L"},
                sodium={"value": "abc", "unit": "mmol/L"}, inr={"value": "1.2", "unit": "%"})
    s = derive_liver_scores(full(labs=labs, ascites="lots"))
    assert set(s.problems) == {
        LabProblem("bilirubin", "2000", "umol/L", "implausible", "1.71", "1368"),
        LabProblem("sodium", "abc", "mmol/L", "not_a_number"),
        LabProblem("inr", "1.2", "%", "unit"),
        LabProblem("ascites", "lots", "", "invalid")}
    assert not any(s.computable.values())
    assert s.missing["meld"] == ("bilirubin", "inr")


def test_meld3_sex_and_age_rules() -> None:
    assert derive_liver_scores(full(sex=None, age=15)).meld3.female_factor == 1   # 12-17
    assert derive_liver_scores(full(sex=None, age=None)).missing == {"meld3": ("sex",)}
    assert derive_liver_scores(full(sex="M", age=11)).missing == {"meld3": ("age",)}
    assert derive_liver_scores(full(sex="M", age=None)).meld3.female_factor == 0
    with pytest.raises(ValueError):
        derive_liver_scores(full(sex="female"))


def test_dialysis_and_variant_reach_the_formulas() -> None:
    not_recorded = derive_liver_scores(full(dialysis=None))
    assert not_recorded.meld == derive_liver_scores(full(dialysis=False)).meld
    on = derive_liver_scores(full(dialysis=True))
    assert on.meld.creatinine_used == 4.0 and on.derived()["meld"]["dialysis"] is True
    pbc = derive_liver_scores(full(variant="pbc"))
    assert pbc.derived()["child_pugh"]["formula_id"] == calc.CTP_PBC_FORMULA_ID
    with pytest.raises(calc.LabValueError):
        derive_liver_scores(full(variant="other"))


def test_unknown_lab_id_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown lab"):
        derive_liver_scores(full(labs={"bili": {"value": "1"}}))


def test_optional_labs_are_checked_and_feed_no_score() -> None:
    s = derive_liver_scores(full(labs=dict(LABS, platelets={"value": "90", "unit": "10^9/L"},
                                           afp={"value": "-1", "unit": "ng/mL"})))
    assert "platelets" in s.labs and s.problems[0].field == "afp"
    assert s.derived() == derive_liver_scores(full()).derived()


def test_stored_score_reads_current_old_and_value_spelled_rows() -> None:
    now = derive_liver_scores(full(sex=None)).derived()
    assert stored_score(now, "child_pugh")["class"] == "B"
    assert stored_score(now, "meld3") == {"score": None, "class": None, "uncapped": None,
                                          "formula_id": None, "missing": ("sex",)}
    old = {"meld": {"score": 17, "formula_id": "MELD-UNOS-2002"}}     # before forms.liver
    assert stored_score(old, "meld")["score"] == 17 and stored_score(old, "meld_na") is None
    assert stored_score({"meld": {"value": 12}}, "meld")["score"] == 12
    assert stored_score(None, "meld") is None


def test_age_on_uses_the_birth_year() -> None:
    assert age_on(1960, date(2026, 1, 1)) == 66 and age_on(None, date(2026, 1, 1)) is None


def test_inputs_given_but_rejected_block_the_scores_that_need_them() -> None:
    assert derive_liver_scores(full(invalid=frozenset({"dialysis"}))).missing == {
        "meld": ("dialysis",), "meld_na": ("dialysis",), "meld3": ("dialysis",)}
    assert derive_liver_scores(full(invalid=frozenset({"variant"}))).computable["child_pugh"] \
        is False
    teen = derive_liver_scores(full(sex=None, age=15, invalid=frozenset({"sex"})))
    assert teen.missing == {"meld3": ("sex",)}         # a rejected sex is not "not needed"
    assert derive_liver_scores(full(age=None, invalid=frozenset({"age"}))).missing == \
        {"meld3": ("age",)}
    with pytest.raises(ValueError):
        derive_liver_scores(full(invalid=frozenset({"bilirubin"})))
