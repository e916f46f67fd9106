"""Only startable visits (issue 12 item 4): the rule in forms.visit_start, the list from storage
(real SQLite) — recall periods of the stored protocol, battery left, window flagged, never
refused."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from forms import schedule as sched
from forms import visit_start as rule
from storage import services as sv
from storage.clock import use_clock
from storage_fixtures import answer_all, enrol, sqlite_db, sqlite_template, staff  # noqa: F401

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_rule_every_remaining_instrument_must_be_past_its_recall_period():
    last = {"a": NOW - timedelta(days=10), "b": NOW - timedelta(days=30)}
    got = rule.visit_start(("a", "b"), set(), last, {"a": 28, "b": 7}, NOW)
    assert not got.startable
    assert got.blocks == (rule.RecallBlock("a", NOW + timedelta(days=18), 28),)
    assert rule.visit_start(("a", "b"), {"a"}, last, {"a": 28, "b": 7}, NOW).startable
    assert not rule.visit_start(("a",), {"a"}, {}, {}, NOW).startable      # battery complete


def test_rule_window_is_flagged_never_refused():
    pv = sched.plan(sched.VisitDef("W1", 8, 7, 9), date(2026, 1, 1))
    for today, flag in ((date(2026, 1, 5), rule.EARLY), (date(2026, 1, 8), ""),
                        (date(2026, 1, 20), rule.LATE)):
        got = rule.visit_start(("a",), set(), {}, {}, NOW, pv, today)
        assert got.startable and got.window == flag


def _submit_battery(db, visit_id: int) -> None:
    nurse = staff(db, "nurse")
    for inst in sv.remaining_battery(db, visit_id):
        aid = sv.start_administration(db, nurse, visit_id=visit_id, instrument_id=inst,
                                      language="en")
        answer_all(db, nurse, aid)
        sv.submit_administration(db, nurse, aid)


def test_list_respects_the_recall_period_of_the_stored_protocol(sqlite_db):
    v = enrol(sqlite_db, "S-REC")
    first = sv.kiosk_visits(sqlite_db)
    assert [(k.visit_id, k.startable, k.start.window) for k in first] == [(v.visit_id, True, "")]
    assert first[0].label["en"] and first[0].label["zh_CN"]
    _submit_battery(sqlite_db, v.visit_id)
    nxt = sv.kiosk_visits(sqlite_db)
    assert len(nxt) == 1 and nxt[0].visit_id != v.visit_id and not nxt[0].startable
    block, = nxt[0].start.blocks
    days = sv.current_protocol(sqlite_db).min_days_between(block.instrument_id)
    assert block.min_days == days
    # the same rule start_administration enforces: refused now, opens at opens_at
    later = block.opens_at + timedelta(hours=1)
    with use_clock(lambda: later):
        assert [k.startable for k in sv.kiosk_visits(sqlite_db)] == [True]


def test_late_visit_is_offered_and_flagged(sqlite_db):
    enrol(sqlite_db, "S-LATE", day1=date.today() - timedelta(days=20))
    got, = sv.kiosk_visits(sqlite_db)
    assert got.startable and got.start.window == rule.LATE


def _submit_first(db, visit_id: int) -> tuple[str, ...]:
    """Submit the visit's first questionnaire (the kiosk stopped before the next one); returns
    the rest of the battery."""
    first, *rest = sv.remaining_battery(db, visit_id)
    assert rest                                   # the baseline gives two questionnaires
    nurse = staff(db, "nurse")
    aid = sv.start_administration(db, nurse, visit_id=visit_id, instrument_id=first,
                                  language="en")
    answer_all(db, nurse, aid)
    sv.submit_administration(db, nurse, aid)
    return tuple(rest)


def _status(db, patient_id: int, visit_id: int) -> str:
    return next(v.status for v in sv.patient_visits(db, patient_id) if v.id == visit_id)


def test_a_battery_left_unfinished_today_is_offered_again(sqlite_db):
    v = enrol(sqlite_db, "S-PART")
    rest = _submit_first(sqlite_db, v.visit_id)
    got, = sv.kiosk_visits(sqlite_db)
    assert (got.visit_id, got.startable, got.start.remaining) == (v.visit_id, True, rest)


def test_a_visit_is_completed_only_when_its_whole_battery_is_submitted(sqlite_db):
    """The first questionnaire's submission no longer completes the visit: it stays in
    progress (not awaiting a signature) until the last one of its battery is submitted."""
    v = enrol(sqlite_db, "S-BAT")
    rest = _submit_first(sqlite_db, v.visit_id)
    assert _status(sqlite_db, v.patient_id, v.visit_id) == "in_progress"
    assert v.visit_id not in {a.visit_id for a in sv.signing_queue(sqlite_db)}
    # the next day the visit is still the one to hand over, with what is left of it
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    with use_clock(lambda: tomorrow):
        got, = sv.kiosk_visits(sqlite_db)
        assert (got.visit_id, got.start.remaining) == (v.visit_id, rest)
    _submit_battery(sqlite_db, v.visit_id)
    assert _status(sqlite_db, v.patient_id, v.visit_id) == "completed"
    assert v.visit_id in {a.visit_id for a in sv.signing_queue(sqlite_db)}
    assert sv.kiosk_visits(sqlite_db)[0].visit_id != v.visit_id


def test_a_staff_form_does_not_complete_a_visit_whose_questionnaires_are_pending(sqlite_db):
    v = enrol(sqlite_db, "S-FORM")
    sv.record_outcome(sqlite_db, staff(sqlite_db, "nurse"), v.patient_id, "imaging",
                      {"date": date.today(), "modality": "ultrasound", "liver_size_cm": 14.0,
                       "portal_vein_mm": 13}, visit_id=v.visit_id)
    assert _status(sqlite_db, v.patient_id, v.visit_id) == "in_progress"
    got, = sv.kiosk_visits(sqlite_db)                 # still offered at the kiosk
    assert got.visit_id == v.visit_id and got.startable


def test_rule_battery_complete():
    assert rule.remaining_battery(("a", "b", "c"), {"b"}) == ("a", "c")
    assert not rule.battery_complete(("a", "b"), {"a"})
    assert rule.battery_complete(("a", "b"), {"b", "a", "x"})
    assert rule.battery_complete((), set())         # nothing to give: done once recorded


def test_a_questionnaire_recorded_not_done_is_never_offered(sqlite_db):
    """The kiosk list offers what is left of the battery without a questionnaire recorded not
    done; once only not-done ones are left the visit is completed and leaves the list."""
    v = enrol(sqlite_db, "S-ND")
    rest = _submit_first(sqlite_db, v.visit_id)
    nurse = staff(sqlite_db, "nurse")
    if len(rest) > 1:
        sv.mark_not_done(sqlite_db, nurse, v.visit_id, rest[0], reason="refused")
        got, = sv.kiosk_visits(sqlite_db)
        assert got.start.remaining == rest[1:]
    for inst in rest[len(rest) > 1:]:
        sv.mark_not_done(sqlite_db, nurse, v.visit_id, inst, reason="too_unwell")
    assert _status(sqlite_db, v.patient_id, v.visit_id) == "completed"
    assert v.visit_id not in {k.visit_id for k in sv.kiosk_visits(sqlite_db)}
    assert not sv.kiosk_visit(sqlite_db, v.visit_id).startable
    assert sv.remaining_battery(sqlite_db, v.visit_id) == ()


def test_rule_not_done_is_accounted_for():
    assert rule.remaining_battery(("a", "b", "c"), {"b"}, {"c"}) == ("a",)
    assert rule.battery_complete(("a", "b"), {"a"}, {"b"})
    assert not rule.battery_complete(("a", "b"), set(), {"b"})
