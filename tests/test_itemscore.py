"""forms.itemscore: the scoring an instrument file selects as data (sum / mean / count, the
``min_answered`` rule on both sides, prorating, value tables, alert rules and every error of
``parse_scoring`` with the path it names)."""
from __future__ import annotations

import pytest

from forms import alerts
from forms.errors import InstrumentError
from forms.itemscore import AlertRule, ItemScore, ItemScoring, parse_scoring

ITEMS = ("F1", "F2", "F3", "F4", "F5")


def _score(method: str, **kw) -> ItemScore:  # noqa: ANN003
    return ItemScore("s", method, ITEMS, kw.pop("min_answered", 3), **kw)


def test_value_maps_only_the_codes_of_the_table():
    s = _score("sum", values={"F5": {0: 4.0, 4: 0.0}})
    assert s.value("F5", 0) == 4.0 and s.value("F5", 4) == 0.0
    assert s.value("F5", 2) == 2.0          # a code the table does not map keeps its value
    assert s.value("F1", 0) == 0.0 and isinstance(s.value("F1", 3), float)


@pytest.mark.parametrize("bad", [None, True, False, "2", 2.0])
def test_only_int_codes_count_as_answered(bad):
    s = _score("sum", min_answered=1)
    assert s.compute({"F1": bad}) is None
    assert s.compute({"F1": bad, "F2": 3}) == 3.0


def test_min_answered_on_both_sides():
    s = _score("sum", min_answered=3)
    assert s.compute({"F1": 1, "F2": 2}) is None
    assert s.compute({"F1": 1, "F2": 2, "F3": 4}) == 7.0
    assert _score("mean", min_answered=3).compute({"F1": 1, "F2": 2}) is None
    assert _score("count", min_answered=3).compute({"F1": 1, "F2": 2}) is None


def test_nothing_answered_is_none_even_with_min_answered_zero():
    assert _score("sum", min_answered=0).compute({}) is None
    assert _score("mean", min_answered=0).compute({"F1": None}) is None


def test_sum_mean_and_prorated_sum():
    codes = {"F1": 1, "F2": 2, "F3": 4, "X": 4}
    assert _score("sum").compute(codes) == 7.0
    assert _score("mean").compute(codes) == pytest.approx(7 / 3)
    assert _score("mean", prorate=True).compute(codes) == pytest.approx(7 / 3)
    assert _score("sum", prorate=True).compute(codes) == pytest.approx(7 / 3 * 5)
    full = {i: 2 for i in ITEMS}
    assert _score("sum", prorate=True).compute(full) == 10.0 == _score("sum").compute(full)
    assert _score("sum", values={"F3": {4: 0.0}}).compute(codes) == 3.0


def test_count_at_least_on_both_sides():
    s = _score("count", at_least=2)
    assert s.compute({"F1": 1, "F2": 2, "F3": 3, "F4": 0}) == 2
    assert _score("count", at_least=2.5).compute({"F1": 2, "F2": 3, "F3": 3}) == 2
    assert isinstance(s.compute({"F1": 1, "F2": 2, "F3": 3}), int)


def test_count_without_at_least_counts_every_non_negative_value():
    s = _score("count", values={"F1": {1: -1.0}})
    assert s.compute({"F1": 1, "F2": 0, "F3": 0, "F4": 3}) == 3
    assert s.compute({"F1": 2, "F2": 0, "F3": 0}) == 3


@pytest.mark.parametrize("op, below, at, above", [
    (">=", False, True, True), (">", False, False, True), ("<=", True, True, False),
    ("<", True, False, False), ("==", False, True, False), ("!=", True, False, True)])
def test_alert_rule_operators_on_both_sides(op, below, at, above):
    rule = AlertRule("F1", op, 3.0, "amber")
    assert [rule.holds({"F1": c}) for c in (2, 3, 4)] == [below, at, above]
    assert rule.holds({"F1": None}) is False and rule.holds({}) is False


def test_alert_rule_finding_and_reason():
    rule = AlertRule("F1", ">=", 4.0, "red")
    assert rule.finding({"F1": 3}) is None
    found = rule.finding({"F1": 4})
    assert found == alerts.AlertFinding("red", alerts.ANSWER_THRESHOLD, "F1",
                                        {"code": 4, "op": ">=", "value": 4.0})
    assert found.code == "F1>=4" == rule.reason
    assert AlertRule("F2", "<", 2.5, "amber").reason == "F2<2.5"


def test_scoring_values_alert_level_and_reasons_in_rule_order():
    scoring = ItemScoring("fat5-1.0", "1.0", (_score("sum", min_answered=5),), (
        AlertRule("F2", ">=", 3.0, "amber"), AlertRule("F1", ">=", 4.0, "red")))
    got = scoring.score({"F1": 4, "F2": 3})
    assert got == {"fat5-1.0": {"s": None, "alert": "red", "alert_reasons": ["F2>=3", "F1>=4"]}}
    assert [f.item_id for f in scoring.findings({"F1": 4, "F2": 3})] == ["F2", "F1"]
    assert scoring.score({"F2": 3})["fat5-1.0"]["alert"] == "amber"
    assert scoring.score({"F2": 1})["fat5-1.0"] | {"s": 0} == {
        "s": 0, "alert": "", "alert_reasons": []}
    plain = ItemScoring("a", "1.0", (_score("mean", min_answered=1),))
    assert plain.score({"F1": 2}) == {"a": {"s": 2.0}}
    assert plain.findings({"F1": 2}) == ()


FULL = {"algorithm": "fat5-1.0", "version": "2.1",
        "scores": [{"key": "total", "method": "sum", "items": list(ITEMS), "min_answered": 4,
                    "prorate": True, "values": {"F5": {"0": 4, "4": "0"}}},
                   {"key": "n", "method": "count", "items": ["F1", "F2"], "at_least": 3}],
        "alerts": [{"item": "F1", "op": ">=", "value": 4, "level": "amber"}]}


def test_parse_scoring_reads_every_field():
    got = parse_scoring(FULL, ITEMS, "fat5.json")
    assert got.algorithm == "fat5-1.0" and got.version == "2.1"
    total, n = got.scores
    assert total == ItemScore("total", "sum", ITEMS, 4, True, {"F5": {0: 4.0, 4: 0.0}}, None)
    assert n == ItemScore("n", "count", ("F1", "F2"), 2, False, None, 3)
    assert got.alerts == (AlertRule("F1", ">=", 4.0, "amber"),)
    assert isinstance(got.alerts[0].value, float)


def test_parse_scoring_defaults():
    got = parse_scoring({"algorithm": 7, "scores": []}, ITEMS, "x")
    assert got == ItemScoring("7", "1.0", (), ())
    assert parse_scoring({**FULL, "alerts": None}, ITEMS, "x").alerts == ()


def _bad(data, msg: str) -> None:  # noqa: ANN001
    with pytest.raises(InstrumentError) as err:
        parse_scoring(data, ITEMS, "f.json")
    assert str(err.value) == msg


def _with_score(**kw) -> dict:  # noqa: ANN003
    return {"algorithm": "a", "scores": [{"key": "k", "method": "sum", "items": ["F1"], **kw}]}


def test_parse_scoring_errors_name_the_path():
    _bad([], "f.json: scoring: must be an object")
    _bad({"scores": []}, "f.json: scoring: missing required field 'algorithm'")
    _bad({"algorithm": "a"}, "f.json: scoring: missing required field 'scores'")
    _bad({"algorithm": "a", "scores": ["x"]}, "f.json: scoring.scores[0]: needs a 'key'")
    _bad({"algorithm": "a", "scores": [{"key": 1}]}, "f.json: scoring.scores[0]: needs a 'key'")
    _bad(_with_score(method="median"),
         "f.json: scoring.scores[0].method: one of sum, mean, count")
    _bad(_with_score(items=["F1", "Z9"]), "f.json: scoring.scores[0].items: unknown or no "
                                          "items ['Z9']")
    _bad(_with_score(items=[]), "f.json: scoring.scores[0].items: unknown or no items []")
    _bad(_with_score(min_answered=0), "f.json: scoring.scores[0].min_answered: between 1 and 1")
    _bad(_with_score(min_answered=2), "f.json: scoring.scores[0].min_answered: between 1 and 1")
    for values in ({"F1": [1]}, {"F1": {"x": 1}}, {"F1": {"1": None}}):
        _bad(_with_score(values=values), "f.json: scoring.scores[0].values: item -> "
                                         "{code: value}")
    two = _with_score()
    two["scores"] = [*two["scores"], {"key": "k", "method": "mean", "items": ["F2"]}]
    _bad(two, "f.json: scoring.scores: duplicate keys")
    second = _with_score()
    second["scores"].append({"method": "sum"})
    _bad(second, "f.json: scoring.scores[1]: needs a 'key'")


@pytest.mark.parametrize("rule", [
    "x", {"op": ">=", "value": 1, "level": "red"}, {"item": "Z9", "op": ">=", "value": 1,
                                                    "level": "red"},
    {"item": "F1", "op": "=>", "value": 1, "level": "red"},
    {"item": "F1", "op": ">=", "value": 1, "level": "green"},
    {"item": "F1", "op": ">=", "value": "1", "level": "red"},
    {"item": "F1", "op": ">=", "level": "red"}])
def test_parse_scoring_refuses_a_bad_alert_rule(rule):
    ok = {"item": "F1", "op": ">=", "value": 1, "level": "red"}
    _bad({**_with_score(), "alerts": [ok, rule]}, "f.json: scoring.alerts[1]: needs item (an "
                                                  "item id), op, value and level (red/amber)")
