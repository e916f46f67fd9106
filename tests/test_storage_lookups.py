"""Read look-ups for the screens (storage/services/lookups.py) on the real SQLite storage."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage import services as sv
from storage_fixtures import answer_all, enrol, sqlite_db, sqlite_template, staff  # noqa: F401


def _submit_battery(db, visit_id, instruments):
    nurse = staff(db, "nurse")
    for inst in instruments:
        aid = sv.start_administration(db, nurse, visit_id=visit_id, instrument_id=inst,
                                      language="en")
        answer_all(db, nurse, aid)
        sv.submit_administration(db, nurse, aid)


def _with_questionnaires(db, visits):
    proto = sv.current_protocol(db)
    return [v for v in visits if v.status in ("planned", "in_progress")
            and sv.visit_battery(v.code, proto)]


def test_study_arms_are_the_protocols(sqlite_db):
    assert sv.study_arms(sqlite_db) == tuple(a.id for a in sv.current_protocol(sqlite_db).arms)
    assert sv.study_arms(sqlite_db)


def test_open_visits_first_visit_with_questionnaires_per_patient_in_subject_order(sqlite_db):
    b = enrol(sqlite_db, "S-002")
    a = enrol(sqlite_db, "S-001", day1=date.today() - timedelta(days=30))
    first_a = _with_questionnaires(sqlite_db, sv.patient_visits(sqlite_db, a.patient_id))[0]
    first_b = _with_questionnaires(sqlite_db, sv.patient_visits(sqlite_db, b.patient_id))[0]
    assert [(o.subject_id, o.visit_id) for o in sv.open_visits(sqlite_db)] == [
        ("S-001", first_a.id), ("S-002", first_b.id)]
    _submit_battery(sqlite_db, first_a.id, sv.remaining_battery(sqlite_db, first_a.id))
    nxt = _with_questionnaires(sqlite_db, sv.patient_visits(sqlite_db, a.patient_id))[0]
    got = sv.open_visits(sqlite_db)
    assert [(o.subject_id, o.visit_id, o.visit_code) for o in got] == [
        ("S-001", nxt.id, nxt.code), ("S-002", first_b.id, first_b.code)]
    o = got[0]
    assert (o.patient_id, o.initials, o.planned_date, o.status) == (
        a.patient_id, "AB", nxt.planned_date, "planned")


def test_remaining_battery_after_one_instrument(sqlite_db):
    v = enrol(sqlite_db).visits[0]
    full = sv.remaining_battery(sqlite_db, v.id)
    assert full == sv.visit_battery(v.code, sv.current_protocol(sqlite_db)) and len(full) >= 2
    _submit_battery(sqlite_db, v.id, full[:1])
    assert sv.remaining_battery(sqlite_db, v.id) == full[1:]
    with pytest.raises(sv.NotFound):
        sv.remaining_battery(sqlite_db, 10_000)


def test_visit_overview(sqlite_db):
    e = enrol(sqlite_db, "S-007")
    v = e.visits[2]
    o = sv.visit_overview(sqlite_db, v.id)
    assert o == sv.VisitOverview(v.id, e.patient_id, "S-007", "AB", v.code, v.planned_date,
                                 "planned")
    with pytest.raises(sv.NotFound):
        sv.visit_overview(sqlite_db, 10_000)
