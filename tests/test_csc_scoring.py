"""CSC v1.0 scoring (symptoms.md §3): every rule at its boundaries, plus properties."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms import csc
from forms.csc import (ABSENT, IMPROVED, RESOLVED, STABLE, WORSENED, CscCodeError,
                       alert_level, change_from_baseline, score_batch_row, score_csc,
                       score_visit, symptom_category)

S_ITEMS = ("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8")


def answers(core=(0, 0, 0, 0), s=(0,) * 8, **other):
    d = dict(zip(csc.CORE_ITEMS, core))
    d.update(zip(S_ITEMS, s))
    d.update(other)
    return d


# --- constants ------------------------------------------------------------------------------

def test_algorithm_id_and_batch_columns():
    assert csc.ALGORITHM_ID == "csc-1.0"
    assert csc.BATCH_OUTPUT_COLUMNS == ("id", "rss", "tsb", "nmod", "alert")
    assert csc.BATCH_INPUT_COLUMNS[0] == "C1" and csc.BATCH_INPUT_COLUMNS[-1] == "A7"
    assert len(csc.BATCH_INPUT_COLUMNS) == 24
    assert list(csc.VALID_CODES) == list(csc.BATCH_INPUT_COLUMNS)
    assert csc.VALID_CODES["A1"] == frozenset({0, 1, 9})
    assert csc.VALID_CODES["G2"] == frozenset(range(1, 8))
    assert csc.VALID_CODES["C1"] == frozenset(range(5))


# --- RSS ------------------------------------------------------------------------------------

def test_rss_all_four_answered_is_plain_sum():
    assert score_visit(answers(core=(1, 2, 3, 4))).rss == 10.0


def test_rss_three_answered_is_prorated_exactly():
    s = score_visit({"C1": 1, "C2": 0, "C3": 0})
    assert s.rss == 4 / 3 and s.rss == float(Fraction(4, 3))
    assert s.rss_answered == 3
    # 1+1+2 = 4, mean 4/3, x4 = 16/3
    assert score_visit({"C1": 1, "C2": 1, "C4": 2}).rss == float(Fraction(16, 3))


def test_rss_two_answered_is_not_computed():
    s = score_visit({"C1": 4, "C2": 4, "S1": 1})
    assert s.rss is None and s.rss_answered == 2


def test_rss_prorating_is_correctly_rounded_for_every_sum():
    for total in range(0, 13):  # three answers summing to `total`
        a = min(4, total)
        b = min(4, total - a)
        c = total - a - b
        vals = (a, b, c)
        got = score_visit({"C1": vals[0], "C2": vals[1], "C4": vals[2]}).rss
        assert got == float(Fraction(4 * total, 3))


def test_rss_ignores_non_core_items():
    base = score_visit(answers(core=(1, 1, 1, 1))).rss
    assert score_visit(answers(core=(1, 1, 1, 1), s=(4,) * 8, C2b=4, G1=4, G2=7)).rss == base


# --- TSB ------------------------------------------------------------------------------------

def test_tsb_all_twelve():
    s = score_visit(answers(core=(4, 4, 4, 4), s=(4,) * 8))
    assert s.tsb == 100.0 and s.tsb_answered == 12
    assert score_visit(answers()).tsb == 0.0
    s = score_visit(answers(core=(1, 2, 3, 4), s=(0, 1, 2, 3, 4, 0, 1, 2)))
    assert s.tsb == 100 * 23 / 48


def test_tsb_nine_answered_is_computed_from_answered_only():
    d = answers(core=(1, 1, 1, 1), s=(1, 1, 1, 1, 2, None, None, None))
    s = score_visit(d)
    assert s.tsb_answered == 9
    assert s.tsb == float(Fraction(100 * 10, 36))  # 27.77...


def test_tsb_eight_answered_is_not_computed():
    d = answers(core=(1, 1, 1, 1), s=(1, 1, 1, 1, None, None, None, None))
    assert score_visit(d).tsb is None
    assert score_visit(d).tsb_answered == 8


def test_tsb_exact_for_eleven_answered():
    d = answers(core=(1, 0, 0, 0), s=(0, 0, 0, 0, 0, 0, 0, None))
    assert score_visit(d).tsb == float(Fraction(100, 44))


# --- NMOD -----------------------------------------------------------------------------------

def test_nmod_counts_scored_items_at_two_or_more():
    d = answers(core=(2, 1, 4, 0), s=(3, 1, 2, 0, 1, 1, None, None),
                C2b=4, G1=4, P1=1, A1=1)
    assert score_visit(d).nmod == 4  # C1, C3, S1, S3; C2b/G1 (=4) are not scored


def test_nmod_boundary_one_vs_two():
    assert score_visit({"S5": 1}).nmod == 0
    assert score_visit({"S5": 2}).nmod == 1


def test_nmod_none_when_no_scored_item_answered():
    assert score_visit({}).nmod is None
    assert score_visit({"C2b": 4, "G1": 3, "A1": 1}).nmod is None


# --- missing and code 9 ---------------------------------------------------------------------

def test_missing_is_not_zero():
    # With C4 missing the prorated RSS is 4*mean(2,2,2)=8, not 6 (which 0 would give).
    assert score_visit({"C1": 2, "C2": 2, "C3": 2, "C4": None}).rss == 8.0


def test_code_9_on_yes_no_items_is_never_scored():
    plain = score_visit(answers(core=(1, 2, 1, 0)))
    with9 = score_visit(answers(core=(1, 2, 1, 0), P1=9, P2=9, A1=9, A2=9))
    assert (plain.rss, plain.tsb, plain.nmod) == (with9.rss, with9.tsb, with9.nmod)


@pytest.mark.parametrize("item,value", [("C1", 9), ("S4", 5), ("S1", -1), ("A1", 2),
                                        ("G2", 0), ("G2", 8), ("P1", 4), ("C2b", 9),
                                        ("C3", True), ("C3", "2"), ("C3", 2.0)])
def test_invalid_codes_are_rejected_naming_the_item(item, value):
    with pytest.raises(CscCodeError) as exc:
        score_visit({item: value})
    assert exc.value.item == item and item in str(exc.value)
    with pytest.raises(ValueError):
        score_batch_row({item: value})


# --- categories -----------------------------------------------------------------------------

@pytest.mark.parametrize("base,now,expected", [
    (1, 0, RESOLVED), (4, 0, RESOLVED),
    (2, 1, IMPROVED), (4, 1, IMPROVED), (4, 3, IMPROVED),
    (1, 1, STABLE), (3, 3, STABLE),
    (0, 1, WORSENED), (1, 2, WORSENED), (3, 4, WORSENED),
    (0, 0, ABSENT),
    (None, 2, None), (2, None, None), (None, None, None),
])
def test_symptom_category(base, now, expected):
    assert symptom_category(base, now) == expected


def test_change_from_baseline_items_and_scores():
    base = answers(core=(3, 2, 2, 1), s=(1, 1, 0, 0, 2, 2, 0, None))
    cur = answers(core=(1, 2, 0, None), s=(1, 2, 0, 0, 1, 2, 0, 4))
    ch = change_from_baseline(cur, base)
    assert ch.item_change["C1"] == -2 and ch.item_change["C2"] == 0
    assert ch.item_change["C4"] is None and ch.item_change["S8"] is None
    assert ch.categories["C1"] == IMPROVED and ch.categories["C3"] == RESOLVED
    assert ch.categories["S3"] == ABSENT and ch.categories["S2"] == WORSENED
    assert ch.categories["C4"] is None
    assert set(ch.item_change) == set(csc.SCORED_ITEMS) == set(ch.categories)
    # RSS now = 4*3/3 = 4 ; baseline 8 ; TSB from exact rationals
    assert ch.rss_change == -4.0
    tsb_now = Fraction(100 * 13, 4 * 11)
    tsb_base = Fraction(100 * 14, 4 * 11)
    assert ch.tsb_change == float(tsb_now - tsb_base)


def test_change_is_none_when_a_score_is_not_computable():
    ch = change_from_baseline({"C1": 1, "C2": 1}, answers(core=(2, 2, 2, 2)))
    assert ch.rss_change is None and ch.tsb_change is None and ch.responder is None


# --- alerts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("a_item", csc.ALERT_ITEMS)
def test_any_yes_is_red(a_item):
    assert alert_level({a_item: 1}).level == "red"
    assert score_batch_row({a_item: 1})["alert"] == "red"


@pytest.mark.parametrize("a_item", csc.ALERT_ITEMS)
def test_any_not_sure_is_amber(a_item):
    assert alert_level({a_item: 9}).level == "amber"
    assert score_batch_row({a_item: 9})["alert"] == "amber"


def test_red_wins_over_amber_and_reasons_list_items():
    a = alert_level({"A2": 9, "A5": 1})
    assert a.level == "red" and a.reasons == ("A5=yes", "A2=not_sure")


def test_no_alert_when_all_no_or_missing():
    assert alert_level({i: 0 for i in csc.ALERT_ITEMS}).level == ""
    assert alert_level({}).level == ""
    assert score_batch_row({})["alert"] == ""


def test_p_items_yes_do_not_alert():
    assert alert_level({"P1": 1, "P2": 1}).level == ""


@pytest.mark.parametrize("core", csc.CORE_ITEMS)
def test_amber_when_core_worsened_by_two_since_previous_visit(core):
    prev = answers(core=(1, 1, 1, 1))
    assert alert_level({**prev, core: 2}, previous=prev).level == ""   # +1: no alert
    a = alert_level({**prev, core: 3}, previous=prev)                   # +2: amber
    assert a.level == "amber" and a.reasons == (f"{core}+2_vs_previous",)


def test_non_core_worsening_and_missing_previous_do_not_alert():
    prev = answers(core=(1, 1, 1, 1))
    assert alert_level({**prev, "S1": 4}, previous=prev).level == ""
    assert alert_level({**prev, "C1": 4}, previous={**prev, "C1": None}).level == ""
    assert alert_level({**prev, "C1": 4}).level == ""  # no previous visit


def test_worsening_uses_previous_not_baseline():
    base = answers(core=(0, 0, 0, 0))
    prev = answers(core=(2, 0, 0, 0))
    cur = answers(core=(3, 0, 0, 0))
    r = score_csc(cur, baseline=base, previous=prev)
    assert r.alert.level == ""  # +1 vs previous although +3 vs baseline
    assert r.change is not None and r.change.categories["C1"] == WORSENED


def test_batch_row_ignores_previous_visit_rule_and_extra_keys():
    out = score_batch_row({"id": "P01", **answers(core=(4, 4, 4, 4))})
    assert out == {"rss": 16.0, "tsb": float(Fraction(1600, 48)), "nmod": 4, "alert": ""}


# --- responder (exploratory) ----------------------------------------------------------------

def _resp(base_core, cur_core, base_s=(2,) * 8, cur_s=(2,) * 8):
    return change_from_baseline(answers(core=cur_core, s=cur_s),
                                answers(core=base_core, s=base_s)).responder


def test_responder_when_both_thresholds_met():
    # ΔRSS = -2 ; ΔTSB = 100*(Σnow-Σbase)/48 = -10 needs ΔΣ = -4.8 -> use ΔΣ = -5
    assert _resp((2, 2, 2, 2), (1, 1, 2, 2), cur_s=(2, 2, 2, 2, 2, 2, 1, 0)) is True


def test_responder_rss_change_minus_one_fails():
    assert _resp((2, 2, 2, 2), (1, 2, 2, 2), cur_s=(0, 0, 2, 2, 2, 2, 2, 2)) is False


def test_responder_tsb_boundary():
    # ΔΣ = -4 -> ΔTSB = -8.33 (fails); exactly -10 with 10 answered items and ΔΣ = -4
    assert _resp((2, 2, 2, 2), (1, 1, 2, 2), cur_s=(2, 2, 2, 2, 2, 2, 2, 0)) is False
    base = answers(core=(2, 2, 2, 2), s=(2, 2, 2, 2, 2, 2, None, None))
    cur = answers(core=(1, 1, 2, 2), s=(2, 2, 2, 2, 1, 1, None, None))
    ch = change_from_baseline(cur, base)
    assert ch.tsb_change == -10.0 and ch.rss_change == -2.0 and ch.responder is True


def test_responder_blocked_by_core_symptom_worse_by_two_vs_baseline():
    # ΔRSS = -2 overall but C4 is +2 vs baseline -> not a responder
    assert _resp((3, 3, 2, 0), (1, 1, 2, 2), cur_s=(0,) * 8) is False
    # C4 only +1 -> responder
    assert _resp((3, 3, 2, 0), (1, 1, 2, 1), cur_s=(0,) * 8) is True


def test_score_csc_values_are_flat_and_labelled():
    r = score_csc(answers(core=(1, 1, 1, 1)), baseline=answers(core=(3, 3, 3, 3)))
    v = r.values()
    assert r.algorithm == "csc-1.0" and r.instrument_version == "1.0"
    assert v["rss"] == 4.0 and v["rss_change"] == -8.0 and "responder_exploratory" in v
    assert score_csc(answers()).change is None
    assert "rss_change" not in score_csc(answers()).values()


def test_score_csc_values_exactly():
    cur = answers(core=(1, 1, 1, 1), A1=csc.NOT_SURE, A2=0)
    v = score_csc(cur, baseline=answers(core=(3, 3, 3, 3))).values()
    assert v == {"rss": 4.0, "tsb": 100 * 4 / 48, "nmod": 0, "rss_answered": 4,
                 "tsb_answered": 12, "alert": "amber", "alert_reasons": ["A1=not_sure"],
                 "rss_change": -8.0, "tsb_change": -800 / 48, "responder_exploratory": True,
                 "item_change": {**dict.fromkeys(csc.CORE_ITEMS, -2), **dict.fromkeys(S_ITEMS, 0)},
                 "category": {**dict.fromkeys(csc.CORE_ITEMS, IMPROVED),
                              **dict.fromkeys(S_ITEMS, ABSENT)}}
    assert score_csc({"C1": 2, "C2": 3}).values() == {
        "rss": None, "tsb": None, "nmod": 2, "rss_answered": 2, "tsb_answered": 2,
        "alert": "", "alert_reasons": []}


def test_score_csc_alert_compares_with_the_previous_visit():
    prev = answers(core=(1, 1, 1, 1))
    r = score_csc({**prev, "C3": 3}, previous=prev)
    assert r.alert == csc.CscAlert("amber", ("C3+2_vs_previous",))


def test_alert_findings_carry_their_parameters_in_order():
    prev = answers(core=(0, 1, 1, 1))
    found = csc.alert_findings({**prev, "C1": 2, "A2": csc.YES, "A1": csc.NOT_SURE}, prev)
    assert [(f.severity, f.reason, f.item_id, dict(f.params)) for f in found] == [
        ("red", "warning_sign_yes", "A2", {"code": 1}),
        ("amber", "warning_sign_unsure", "A1", {"code": 9}),
        ("amber", "core_worsened", "C1", {"previous": 0, "now": 2})]


def test_invalid_code_error_message_and_value():
    with pytest.raises(CscCodeError) as exc:
        score_visit({"S4": 5})
    assert str(exc.value) == "S4: invalid code 5 (allowed: 0, 1, 2, 3, 4 or empty)"
    assert (exc.value.item, exc.value.value) == ("S4", 5)
    assert str(CscCodeError("A3", "x")) == "A3: invalid code 'x' (allowed: 0, 1, 9 or empty)"

# --- properties -----------------------------------------------------------------------------

code = st.one_of(st.none(), st.integers(0, 4))
scored_answers = st.fixed_dictionaries({i: code for i in csc.SCORED_ITEMS})


@settings(max_examples=300, deadline=None)
@given(scored_answers)
def test_property_ranges_and_counts(d):
    s = score_visit(d)
    answered = sum(v is not None for v in d.values())
    if s.rss is not None:
        assert 0 <= s.rss <= 16
    if s.tsb is not None:
        assert 0 <= s.tsb <= 100
    assert (s.nmod is None) == (answered == 0)
    assert s.nmod is None or 0 <= s.nmod <= answered
    assert (s.rss is None) == (sum(d[i] is not None for i in csc.CORE_ITEMS) < 3)
    assert (s.tsb is None) == (answered < 9)


@settings(max_examples=300, deadline=None)
@given(scored_answers, st.sampled_from(csc.SCORED_ITEMS))
def test_property_raising_one_answer_never_lowers_scores(d, item):
    if d[item] is None or d[item] == 4:
        return
    lo = score_visit(d)
    hi = score_visit({**d, item: d[item] + 1})
    for attr in ("rss", "tsb", "nmod"):
        a, b = getattr(lo, attr), getattr(hi, attr)
        assert (a is None) == (b is None)
        if a is not None:
            assert b >= a


@settings(max_examples=200, deadline=None)
@given(scored_answers)
def test_property_change_against_self_is_zero_and_not_responder(d):
    ch = change_from_baseline(d, d)
    assert ch.rss_change in (None, 0.0) and ch.tsb_change in (None, 0.0)
    assert ch.responder in (None, False)
    assert all(c in (None, STABLE, ABSENT) for c in ch.categories.values())
