"""forms.visit_start: when a visit's questionnaires can start (recall period at its boundary, the
battery left in order, the window flag on both edges of the window)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from forms import schedule as sched
from forms import visit_start as rule

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
PV = sched.plan(sched.VisitDef("W1", 8, 7, 9), date(2026, 1, 1))  # window 2026-01-07 .. 01-09


def test_window_flag_on_both_edges():
    assert [rule.window_flag(PV, date(2026, 1, d)) for d in (6, 7, 8, 9, 10)] == [
        "early", "", "", "", "late"]
    assert rule.window_flag(None, date(2026, 1, 6)) == ""
    assert (rule.EARLY, rule.LATE) == ("early", "late")


def test_remaining_battery_keeps_battery_order():
    assert rule.remaining_battery(("c", "a", "b", "d"), {"a"}, ("d",)) == ("c", "b")
    assert rule.remaining_battery(("a", "b"), {"b"}) == ("a",)
    assert rule.battery_complete((), set())
    assert not rule.battery_complete(("a",), set(), ("b",))
    assert rule.battery_complete(("a",), {"a"})
    assert rule.battery_complete(("a", "b"), {"a"}, ("b",))
    assert not rule.battery_complete(("a", "b"), {"a"})


def test_recall_period_boundary():
    days = {"a": 28}
    at = {"a": NOW - timedelta(days=28)}
    assert rule.visit_start(("a",), set(), at, days, NOW) == rule.VisitStart(True, ("a",), ())
    just = {"a": NOW - timedelta(days=28) + timedelta(seconds=1)}
    got = rule.visit_start(("a",), set(), just, days, NOW)
    assert got == rule.VisitStart(False, ("a",), (
        rule.RecallBlock("a", NOW + timedelta(seconds=1), 28),))


def test_no_recall_period_or_no_earlier_answer_never_blocks():
    assert rule.visit_start(("a",), set(), {"a": NOW}, {}, NOW).startable
    assert rule.visit_start(("a",), set(), {}, {"a": 28}, NOW).startable
    assert rule.visit_start(("a",), set(), {"a": NOW}, {"a": 0}, NOW).startable


def test_every_blocked_instrument_is_named_in_battery_order():
    last = {"b": NOW - timedelta(days=1), "a": NOW - timedelta(days=2), "c": NOW}
    got = rule.visit_start(("b", "a", "c"), set(), last, {"a": 7, "b": 28, "c": 0}, NOW)
    assert not got.startable and got.remaining == ("b", "a", "c")
    assert got.blocks == (rule.RecallBlock("b", NOW + timedelta(days=27), 28),
                          rule.RecallBlock("a", NOW + timedelta(days=5), 7))
    assert isinstance(got.blocks, tuple)


def test_a_submitted_instrument_inside_its_recall_period_does_not_block():
    got = rule.visit_start(("a", "b"), {"a"}, {"a": NOW}, {"a": 28}, NOW)
    assert got == rule.VisitStart(True, ("b",), ())


def test_nothing_left_is_not_startable():
    got = rule.visit_start(("a", "b"), {"a"}, {}, {}, NOW, not_done=("b",))
    assert got == rule.VisitStart(False, (), ())


def test_window_flag_only_with_a_day():
    assert rule.visit_start(("a",), set(), {}, {}, NOW, PV).window == ""
    early = rule.visit_start(("a",), set(), {}, {}, NOW, PV, date(2026, 1, 6))
    assert early == rule.VisitStart(True, ("a",), (), "early")
    assert rule.visit_start(("a",), set(), {}, {}, NOW, None, date(2026, 1, 6)).window == ""
