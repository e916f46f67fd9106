"""forms.schedule, each rule at its edges: which protocol visits are planned (computed inside the
test), window edges, study day -1/1, the recall period at exactly ``min_days`` and its refusals
with their messages, schedule rows, unscheduled visit numbering."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone, tzinfo

import pytest

from forms import schedule as sch
from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, Protocol, load_protocol, parse_protocol

NCT = load_protocol(DEFAULT_PROTOCOL_PATH)
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def _protocol(**visit_changes) -> Protocol:  # noqa: ANN003
    d = json.loads(DEFAULT_PROTOCOL_PATH.read_bytes())
    for v in d["visits"]:
        v.update(visit_changes.get(v["id"], {}))
        if v.get("window", 0) is None:
            del v["window"]
    return parse_protocol(json.dumps(d).encode())


def test_planned_visits_of_the_protocol():
    got = sch.protocol_schedule(NCT)
    assert isinstance(got, tuple) and all(isinstance(v, sch.VisitDef) for v in got)
    assert [(v.code, v.target_day, v.earliest_day, v.latest_day) for v in got] == [
        ("BL", 1, -7, 1), ("W1", 8, 7, 9), ("W2", 15, 13, 17), ("W4", 29, 26, 32),
        ("W8", 57, 50, 64), ("W12", 85, 78, 92), ("W24", 169, 155, 183),
        ("W36", 253, 239, 267), ("W52", 365, 351, 379)]


def test_a_visit_without_window_is_due_on_its_day_and_staff_forms_alone_plan_it():
    p = _protocol(W1={"window": None}, W2={"battery": []}, W4={"battery": [],
                                                              "staff_forms": ["dose"]})
    got = {v.code: (v.target_day, v.earliest_day, v.latest_day) for v in sch.protocol_schedule(p)}
    assert got["W1"] == (8, 8, 8)
    assert got["W2"] == (15, 13, 17)                    # labs/clinician are recorded here
    assert "W4" not in got and "D1" not in got and "SCR" not in got
    assert list(got)[-1] == "W52"


def test_a_protocol_visit_built_without_window_is_due_on_its_day():
    visits = tuple(replace(v, window=None) if v.id == "W2" else v for v in NCT.visits)
    got = {v.code: v for v in sch.protocol_schedule(replace(NCT, visits=visits))}
    assert got["W2"] == sch.VisitDef("W2", 15, 15, 15)


def test_is_baseline_and_around():
    assert sch.is_baseline(NCT, "BL") and sch.is_baseline(NCT, "baseline")
    assert not sch.is_baseline(NCT, "W1") and not sch.is_baseline(NCT, "SCR")
    assert sch.VisitDef.around("W4", 29, 3) == sch.VisitDef("W4", 29, 26, 32)


def test_visit_def_checks_with_messages():
    assert sch.VisitDef("X", 5, 5, 5).earliest_day == 5      # target on both window edges
    assert sch.VisitDef("X", -3, -3, 2).latest_day == 2
    with pytest.raises(UserError) as err:
        sch.VisitDef("X", 5, 0, 6)
    assert str(err.value) == "visit X: there is no study day 0"
    with pytest.raises(UserError) as err:
        sch.VisitDef("X", 5, 6, 8)
    assert str(err.value) == "visit X: target day must lie inside its window"
    with pytest.raises(UserError, match="inside its window"):
        sch.VisitDef("X", 9, 6, 8)


def test_study_day_edges_and_day_zero_message():
    day1 = date(2026, 1, 10)
    assert [sch.date_of_study_day(day1, n) for n in (-2, -1, 1, 2)] == [
        date(2026, 1, 8), date(2026, 1, 9), date(2026, 1, 10), date(2026, 1, 11)]
    with pytest.raises(ValueError) as err:
        sch.date_of_study_day(day1, 0)
    assert str(err.value) == "there is no study day 0"
    assert sch.plan(sch.VisitDef("W1", 8, 7, 9), day1) == sch.PlannedVisit(
        "W1", 8, date(2026, 1, 17), date(2026, 1, 16), date(2026, 1, 18))


def test_window_edges():
    pv = sch.plan(sch.VisitDef("W1", 8, 7, 9), date(2026, 1, 1))    # 01-07 .. 01-09
    assert [sch.window_deviation(pv, date(2026, 1, d)) for d in (5, 6, 7, 9, 10, 12)] == [
        -2, -1, 0, 0, 1, 3]
    assert [sch.window_status(pv, date(2026, 1, d)) for d in (6, 7, 9, 10)] == [
        "not_yet_due", "due", "due", "overdue"]
    assert sch.window_status(pv, date(2026, 1, 20), date(2026, 1, 9)) == "in_window"
    assert sch.window_status(pv, date(2026, 1, 8), date(2026, 1, 10)) == "out_of_window"


class _NoOffset(tzinfo):
    def utcoffset(self, dt):  # noqa: ANN001, ANN202
        return None


def test_recall_period_decisions_exactly():
    last = NOW - timedelta(days=7)
    assert sch.may_open(None, NOW, 7) == sch.OpenDecision(True, False, None)
    assert sch.may_open(last, NOW, 7) == sch.OpenDecision(True, False, NOW)
    early = last + timedelta(seconds=1)
    assert sch.may_open(early, NOW, 7) == sch.OpenDecision(False, True, NOW + timedelta(seconds=1))
    assert sch.may_open(early, NOW, 7, "  new symptoms ") == sch.OpenDecision(
        True, True, NOW + timedelta(seconds=1), "new symptoms")
    assert sch.may_open(early, NOW, 7, "  ") == sch.OpenDecision(
        False, True, NOW + timedelta(seconds=1))
    assert sch.may_open(NOW, NOW, 0) == sch.OpenDecision(True, False, NOW)


@pytest.mark.parametrize("bad", [-1, True, 1.5, "7"])
def test_recall_period_refuses_a_bad_min_days(bad):
    with pytest.raises(ValueError) as err:
        sch.may_open(None, NOW, bad)
    assert str(err.value) == "min_days must be a whole number >= 0"


def test_recall_period_needs_aware_times_and_names_which():
    naive = datetime(2026, 3, 1, 9, 0)
    for now, prev, name in ((naive, None, "now"), (NOW, naive, "previous_completed_at"),
                            (NOW.replace(tzinfo=_NoOffset()), None, "now"),
                            (NOW, NOW.replace(tzinfo=_NoOffset()), "previous_completed_at")):
        with pytest.raises(ValueError) as err:
            sch.may_open(prev, now, 7)
        assert str(err.value) == f"{name} must be timezone-aware"


def test_schedule_rows_round_trip_with_note():
    rows = [{"code": "A", "target_day": 2, "earliest_day": 1, "latest_day": 3, "note": "n"},
            {"code": "B", "target_day": 9, "earliest_day": 9, "latest_day": 9}]
    got = sch.schedule_from_rows(rows)
    assert got == (sch.VisitDef("A", 2, 1, 3, "n"), sch.VisitDef("B", 9, 9, 9, ""))
    assert sch.schedule_to_rows(got) == [rows[0], {**rows[1], "note": ""}]


def test_schedule_rows_errors():
    row = {"code": "A", "target_day": 2, "earliest_day": 1, "latest_day": 3}
    with pytest.raises(UserError) as err:
        sch.schedule_from_rows([row, {**row, "note": "again"}])
    assert str(err.value) == "visit schedule has duplicate visit codes"
    with pytest.raises(UserError) as err:
        sch.schedule_from_rows([])
    assert str(err.value) == "visit schedule is empty"
    with pytest.raises(UserError, match=r"^visit schedule row .* is invalid \("):
        sch.schedule_from_rows([{"code": "A"}])


def test_unscheduled_visit_takes_the_first_free_number():
    assert sch.unscheduled_visit({"UNS1", "UNS3"}, " fall ") == sch.UnscheduledVisit("UNS2", "fall")
    assert sch.unscheduled_visit((), "x").code == "UNS1"
    with pytest.raises(UserError) as err:
        sch.unscheduled_visit(set(), "  ")
    assert str(err.value) == "an unscheduled visit needs a reason"


def test_unscheduled_code_in_a_protocol_without_an_unscheduled_visit():
    d = json.loads(DEFAULT_PROTOCOL_PATH.read_bytes())
    d["visits"] = [v for v in d["visits"] if v["kind"] != "unscheduled"]
    p = parse_protocol(json.dumps(d).encode())
    assert sch.visit_definition(p, "UNS2") is None
    assert sch.visit_label(p, "UNS2", "en") == "UNS2"
