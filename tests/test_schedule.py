"""Visit schedule (protocol.md §2): the protocol's planned visits, study days, windows,
unscheduled visits, the recall-period rule."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from forms import schedule as sch
from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol

DAY1 = date(2024, 3, 10)  # first infusion
TZ = timezone(timedelta(hours=8))

# protocol.md §2, planned at enrolment (screening is the enrolment record; ET / UNS on demand;
# D1 has only a dose record, which the app does not record yet)
SPEC_TABLE = [("BL", 1, -7, 1), ("W1", 8, 7, 9), ("W2", 15, 13, 17),
              ("W4", 29, 26, 32), ("W8", 57, 50, 64), ("W12", 85, 78, 92),
              ("W24", 169, 155, 183), ("W36", 253, 239, 267), ("W52", 365, 351, 379)]
PROTOCOL = load_protocol(DEFAULT_PROTOCOL_PATH)
SCHEDULE = sch.protocol_schedule(PROTOCOL)


def test_protocol_schedule_matches_spec():
    got = [(v.code, v.target_day, v.earliest_day, v.latest_day) for v in SCHEDULE]
    assert got == SPEC_TABLE


def test_visit_kind_and_context_for_instrument_conditions():
    assert sch.visit_context(PROTOCOL, "BL") == {"visit": "BL", "visit_kind": "baseline"}
    assert sch.visit_kind(PROTOCOL, "W52") == "end_of_study"
    assert sch.visit_kind(PROTOCOL, "UNS3") == "unscheduled"
    assert sch.visit_kind(PROTOCOL, "ET") == "early_termination"
    assert sch.visit_kind(PROTOCOL, "baseline") == "baseline"     # databases before 0005
    assert sch.visit_kind(PROTOCOL, "UNSX") == ""
    assert sch.baseline_codes(PROTOCOL) == ("BL", "baseline")


# --- study day ------------------------------------------------------------------------------

@pytest.mark.parametrize("offset,day", [(-8, -8), (-7, -7), (-1, -1), (0, 1), (1, 2), (7, 8),
                                        (336, 337)])
def test_study_day_has_no_day_zero(offset, day):
    d = DAY1 + timedelta(days=offset)
    assert sch.study_day(DAY1, d) == day
    assert sch.date_of_study_day(DAY1, day) == d


def test_day_zero_does_not_exist():
    with pytest.raises(ValueError):
        sch.date_of_study_day(DAY1, 0)
    assert 0 not in {sch.study_day(DAY1, DAY1 + timedelta(days=k)) for k in range(-30, 30)}
    with pytest.raises(UserError):
        sch.VisitDef("X", 2, 0, 3)


def test_planned_dates_from_day1():
    pv = {p.code: p for p in sch.planned_visits(DAY1, SCHEDULE)}
    assert pv["BL"].earliest == date(2024, 3, 3)  # day -7
    assert pv["BL"].latest == pv["BL"].target_date == DAY1
    assert pv["W1"].target_date == date(2024, 3, 17)
    assert (pv["W1"].earliest, pv["W1"].latest) == (date(2024, 3, 16), date(2024, 3, 18))
    assert pv["W52"].target_date == DAY1 + timedelta(days=364)


# --- windows: every edge on both sides --------------------------------------------------------

@pytest.mark.parametrize("code,target,first,last", SPEC_TABLE)
def test_window_edges_actual_dates(code, target, first, last):
    pv = sch.plan(next(v for v in SCHEDULE if v.code == code), DAY1)
    on = lambda day: sch.date_of_study_day(DAY1, day)  # noqa: E731
    before_first = first - 1 if first - 1 != 0 else -1
    assert sch.window_status(pv, today=on(last), actual=on(first)) == sch.IN_WINDOW
    assert sch.window_status(pv, today=on(last), actual=on(last)) == sch.IN_WINDOW
    assert sch.window_status(pv, today=on(last), actual=on(target)) == sch.IN_WINDOW
    assert sch.window_status(pv, today=on(last), actual=on(before_first)) == sch.OUT_OF_WINDOW
    after_last = last + 1
    assert sch.window_status(pv, today=on(after_last), actual=on(after_last)) == sch.OUT_OF_WINDOW
    assert sch.window_deviation(pv, on(before_first)) == -1
    assert sch.window_deviation(pv, on(after_last)) == 1
    assert sch.window_deviation(pv, on(first)) == 0


@pytest.mark.parametrize("code,target,first,last", SPEC_TABLE)
def test_window_edges_today_without_visit(code, target, first, last):
    pv = sch.plan(next(v for v in SCHEDULE if v.code == code), DAY1)
    first_date, last_date = pv.earliest, pv.latest
    assert sch.window_status(pv, first_date - timedelta(days=1)) == sch.NOT_YET_DUE
    assert sch.window_status(pv, first_date) == sch.DUE
    assert sch.window_status(pv, last_date) == sch.DUE
    assert sch.window_status(pv, last_date + timedelta(days=1)) == sch.OVERDUE


def test_baseline_window_spans_day_minus_7_to_day_1_skipping_day_0():
    pv = sch.planned_visits(DAY1, SCHEDULE)[0]
    assert (pv.latest - pv.earliest).days == 7  # days -7..-1 and 1: eight calendar dates
    assert sch.window_status(pv, DAY1, actual=DAY1 + timedelta(days=1)) == sch.OUT_OF_WINDOW


# --- editable schedule ----------------------------------------------------------------------

def test_schedule_rows_round_trip_and_validation():
    rows = sch.schedule_to_rows(SCHEDULE)
    assert sch.schedule_from_rows(rows) == SCHEDULE
    with pytest.raises(UserError, match="duplicate"):
        sch.schedule_from_rows(rows + rows[:1])
    with pytest.raises(UserError, match="inside its window"):
        sch.schedule_from_rows([{"code": "W1", "target_day": 8, "earliest_day": 9,
                                 "latest_day": 10}])
    with pytest.raises(UserError, match="invalid"):
        sch.schedule_from_rows([{"code": "W1", "target_day": "x", "earliest_day": 7,
                                 "latest_day": 9}])
    with pytest.raises(UserError, match="empty"):
        sch.schedule_from_rows([])


# --- unscheduled visits ---------------------------------------------------------------------

def test_unscheduled_visit_needs_reason_and_gets_next_code():
    v = sch.unscheduled_visit(["BL", "W1"], "ascites tap")
    assert (v.code, v.reason) == ("UNS1", "ascites tap")
    assert sch.unscheduled_visit(["UNS1", "UNS2"], " fever ").code == "UNS3"
    assert sch.unscheduled_visit(["UNS2"], "x").code == "UNS1"
    for bad in ("", "   ", None):
        with pytest.raises(UserError, match="reason"):
            sch.unscheduled_visit([], bad)  # type: ignore[arg-type]


# --- recall-period rule (protocol min_days_between) -----------------------------------------

DONE = datetime(2024, 3, 10, 9, 30, tzinfo=timezone.utc)


def test_protocol_recall_periods():
    assert (PROTOCOL.min_days_between("rand36"), PROTOCOL.min_days_between("csc")) == (28, 7)


def test_first_administration_always_opens():
    d = sch.may_open(None, DONE, 28)
    assert d.allowed and not d.needs_override


@pytest.mark.parametrize("days", [7, 28])
def test_one_second_short_of_the_recall_period_is_too_early(days):
    d = sch.may_open(DONE, DONE + timedelta(days=days, seconds=-1), days)
    assert not d.allowed and d.needs_override and d.earliest == DONE + timedelta(days=days)


@pytest.mark.parametrize("days", [7, 28])
def test_exactly_the_recall_period_opens(days):
    d = sch.may_open(DONE, DONE + timedelta(days=days), days)
    assert d.allowed and not d.needs_override
    assert sch.may_open(DONE, DONE + timedelta(days=60), days).allowed


def test_sf36_is_not_open_after_seven_days():
    assert sch.may_open(DONE, DONE + timedelta(days=7), 7).allowed
    assert not sch.may_open(DONE, DONE + timedelta(days=7), 28).allowed


def test_recall_period_is_elapsed_time_across_offsets():
    # completed 17:30 at UTC+8 == 09:30 UTC; 7 days later in UTC opens
    local_done = DONE.astimezone(TZ)
    assert sch.may_open(local_done, DONE + timedelta(days=7), 7).allowed
    assert not sch.may_open(local_done, (DONE + timedelta(days=7, seconds=-1)), 7).allowed


def test_override_with_reason_opens_early_and_is_recorded():
    d = sch.may_open(DONE, DONE + timedelta(days=3), 28, override_reason="  visit moved by PI ")
    assert d.allowed and d.needs_override and d.override_reason == "visit moved by PI"
    blank = sch.may_open(DONE, DONE + timedelta(days=3), 28, override_reason="   ")
    assert not blank.allowed


def test_naive_datetimes_and_bad_periods_are_rejected():
    with pytest.raises(ValueError):
        sch.may_open(datetime(2024, 3, 1), DONE, 7)
    with pytest.raises(ValueError):
        sch.may_open(DONE, datetime(2024, 3, 20), 7)
    for bad in (-1, 7.0, True):
        with pytest.raises(ValueError):
            sch.may_open(DONE, DONE, bad)  # type: ignore[arg-type]


def test_short_visit_label_leaves_out_a_closing_remark_in_brackets():
    p = load_protocol(DEFAULT_PROTOCOL_PATH)
    short = {c: (sch.visit_label(p, c, "en", short=True), sch.visit_label(p, c, "zh_CN", short=True))
             for c in ("BL", "D1", "W12", "W52", "UNS2", "ET", "XX")}
    assert short == {"BL": ("Baseline", "基线"), "D1": ("Day 1", "第1天"),
                     "W12": ("Week 12", "第12周"), "W52": ("Week 52", "第52周"),
                     "UNS2": ("Unscheduled visit 2", "计划外访视 2"),
                     "ET": ("Early termination", "提前终止"), "XX": ("XX", "XX")}
    assert sch.visit_label(p, "BL", "en") == "Baseline (before dose)"     # the full label
    assert sch.visit_label(p, "W52", "zh_CN") == "第52周（研究结束）"


def test_window_status_between_is_window_status() -> None:
    """The patient list computes the status from the window's dates (no PlannedVisit per row)."""
    d = date(2024, 3, 10)
    pv = sch.PlannedVisit("W4", 29, d, d - timedelta(days=3), d + timedelta(days=3))
    for off in range(-6, 7):
        today = d + timedelta(days=off)
        for actual in (None, today, d - timedelta(days=4), d + timedelta(days=4)):
            assert sch.window_status_between(pv.earliest, pv.latest, today, actual) == \
                sch.window_status(pv, today, actual)
