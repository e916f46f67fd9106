"""forms.liver at both sides of each threshold it uses: MELD 3.0's ages 12 and 120 (below 12
PELD applies, above 120 implausible), the 12–17 band in which sex is not needed (17 / 18), what
an empty or decimal-comma lab value means, and the shapes storage stores and screens read."""
from __future__ import annotations

import pytest

from forms.liver import (SCORES, LabProblem, LiverInputs, LiverScores, check_lab,
                         derive_liver_scores, stored_score)

LABS = {"bilirubin": {"value": "2.0", "unit": "mg/dL"}, "albumin": {"value": "3.0", "unit": "g/dL"},
        "inr": {"value": "1.8", "unit": ""}, "creatinine": {"value": "1.2", "unit": "mg/dL"},
        "sodium": {"value": "130", "unit": "mmol/L"}}


def full(**kw) -> LiverInputs:  # noqa: ANN003
    args = dict(labs=LABS, ascites="slight", encephalopathy="none", sex="F", age=60)
    args.update(kw)
    return LiverInputs(**args)


@pytest.mark.parametrize("age, computed", [(11, False), (12, True), (120, True), (121, False)])
def test_meld3_age_bounds_12_and_120(age, computed):
    s = derive_liver_scores(full(sex="M", age=age))
    assert s.computable["meld3"] is computed
    assert s.missing == ({} if computed else {"meld3": ("age",)})
    assert s.computable["meld"] and s.computable["child_pugh"]


@pytest.mark.parametrize("age, computed", [(11, False), (12, True), (17, True), (18, False),
                                           (None, False)])
def test_sex_is_not_needed_from_12_to_17(age, computed):
    s = derive_liver_scores(full(sex=None, age=age))
    assert s.computable["meld3"] is computed
    if computed:
        assert s.meld3.female_factor == 1 and s.meld3.female is None
    else:
        assert "sex" in s.missing["meld3"]


@pytest.mark.parametrize("sex, female", [("F", True), ("M", False)])
def test_sex_reaches_meld3(sex, female):
    assert derive_liver_scores(full(sex=sex)).meld3.female is female


@pytest.mark.parametrize("sex", ["f", "X", 1])
def test_a_sex_other_than_f_m_or_none_is_a_programming_error(sex):
    with pytest.raises(ValueError, match="sex must be F, M or None"):
        derive_liver_scores(full(sex=sex))


def test_empty_sex_is_not_given():
    assert derive_liver_scores(full(sex="", age=40)).missing == {"meld3": ("sex",)}


@pytest.mark.parametrize("dialysis, used", [(None, False), (False, False), (True, True)])
def test_dialysis_not_recorded_is_scored_as_none(dialysis, used):
    s = derive_liver_scores(full(dialysis=dialysis))
    assert s.meld.dialysis is used and s.meld_na.meld.dialysis is used and s.meld3.dialysis is used


@pytest.mark.parametrize("dialysis", ["yes", 1, 0])
def test_a_dialysis_that_is_not_a_bool_is_a_programming_error(dialysis):
    with pytest.raises(ValueError, match="^dialysis must be True, False or None$"):
        derive_liver_scores(full(dialysis=dialysis))


def test_invalid_may_only_name_inputs_with_a_default():
    with pytest.raises(ValueError, match="invalid may name dialysis, variant, sex, age, not 'x'"):
        derive_liver_scores(full(invalid=frozenset({"x"})))
    s = derive_liver_scores(full(invalid=frozenset({"age", "sex"})))
    assert s.missing == {"meld3": ("age", "sex")}
    below = derive_liver_scores(full(age=11, invalid=frozenset({"age"})))
    assert below.missing == {"meld3": ("age",)}                   # named once


@pytest.mark.parametrize("text, unit, got", [
    (None, "mg/dL", None), ("", "mg/dL", None), ("  ", "mg/dL", None),
    (" 1,5 ", "mg/dL", ("1.5", "mg/dL")), (2, None, ("2", "mg/dL")),
])
def test_check_lab_empty_and_decimal_comma(text, unit, got):
    res = check_lab("bilirubin", text, unit)
    assert (res if res is None else (res.raw, res.raw_unit)) == got


def test_check_lab_problems_keep_the_unit_as_entered():
    assert check_lab("creatinine", "0.05", None) == LabProblem(
        "creatinine", "0.05", "mg/dL", "implausible", "0.1", "25")
    assert check_lab("creatinine", "3000", "umol/L") == LabProblem(
        "creatinine", "3000", "umol/L", "implausible", "8.84", "2210")
    assert check_lab("albumin", "x", "g/L") == LabProblem("albumin", "x", "g/L", "not_a_number")
    assert check_lab("albumin", "30", "mg") == LabProblem("albumin", "30", "mg", "unit")
    assert check_lab("albumin", "3.0", None).raw_unit == "g/dL"


def test_grades_empty_means_not_given_and_a_bad_grade_is_a_problem():
    s = derive_liver_scores(full(ascites=" ", encephalopathy=None))
    assert s.missing == {"child_pugh": ("ascites", "encephalopathy")} and s.problems == ()
    bad = derive_liver_scores(full(encephalopathy="grade5"))
    assert bad.problems == (LabProblem("encephalopathy", "grade5", "", "invalid"),)
    assert bad.missing == {"child_pugh": ("encephalopathy",)}


def test_derived_is_what_storage_stores():
    s = derive_liver_scores(full(sex=None, age=40, variant="pbc"))
    d = s.derived()
    assert list(d) == ["child_pugh", "meld", "meld_na", "meld3"] and tuple(d) == SCORES
    assert d["child_pugh"] == {"score": s.child_pugh.score, "class": s.child_pugh.child_class,
                               "variant": "pbc", "formula_id": "CTP-Pugh1973-INR-PBC"}
    assert d["meld"] == {"score": s.meld.score, "uncapped": s.meld.uncapped,
                         "unrounded": s.meld.meld_i, "dialysis": False,
                         "formula_id": "MELD-UNOS-2002"}
    assert d["meld_na"] == {"score": s.meld_na.score, "unrounded": str(s.meld_na.unrounded),
                            "na_applied": True, "formula_id": "MELD-Na-OPTN-2016"}
    assert d["meld3"] == {"score": None, "missing": ["sex"]}
    m3 = derive_liver_scores(full()).derived()["meld3"]
    assert set(m3) == {"score", "uncapped", "unrounded", "formula_id"}
    assert m3["formula_id"] == "MELD-3.0-OPTN-2023" and isinstance(m3["unrounded"], float)
    assert derive_liver_scores(LiverInputs(labs={})).derived()["meld"] == {
        "score": None, "missing": ["bilirubin", "inr", "creatinine"]}


def test_stored_score_reads_every_key():
    entry = {"score": 9, "class": "B", "uncapped": 9, "formula_id": "F", "missing": ["x"]}
    assert stored_score({"child_pugh": entry}, "child_pugh") == {
        "score": 9, "class": "B", "uncapped": 9, "formula_id": "F", "missing": ("x",)}
    assert stored_score({"meld": {"value": 12}}, "meld")["score"] == 12
    assert stored_score({"meld": {"score": 0, "value": 12}}, "meld")["score"] == 0
    assert stored_score({"meld": {"score": None, "missing": None}}, "meld")["missing"] == ()
    assert stored_score({"meld": 12}, "meld") is None
    assert stored_score(None, "meld") is None and stored_score({}, "meld") is None


def test_a_result_without_scores_stores_each_as_not_computed():
    assert LiverScores().derived() == {k: {"score": None, "missing": []} for k in SCORES}


@pytest.mark.parametrize("unit, shown", [("ratio", "ratio"), (None, ""), ("", "")])
def test_a_unitless_lab_problem_shows_the_unit_as_entered(unit, shown):
    assert check_lab("inr", "abc", unit) == LabProblem("inr", "abc", shown, "not_a_number")


def test_an_unknown_lab_id_names_the_known_ones():
    with pytest.raises(ValueError) as err:
        derive_liver_scores(full(labs={"ggt": {"value": "3"}}))
    assert str(err.value) == ("unknown lab 'ggt' (use bilirubin, albumin, inr, creatinine, "
                              "sodium, afp, alt, ast, platelets)")
