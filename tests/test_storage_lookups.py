"""Read look-ups for the screens (storage/services/lookups.py) on the real SQLite storage."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from storage import services as sv
from storage.models import PatientSummary, Study
from storage_fixtures import answer_all, enrol, sqlite_db, sqlite_template, staff  # noqa: F401


def _submit_battery(db, visit_id, instruments):
    nurse = staff(db, "nurse")
    for inst in instruments:
        aid = sv.start_administration(db, nurse, visit_id=visit_id, instrument_id=inst,
                                      language="en")
        answer_all(db, nurse, aid)
        sv.submit_administration(db, nurse, aid)


def test_study_arms_are_the_stored_ones(sqlite_db):
    with sqlite_db.session() as s:
        stored = tuple(s.scalar(select(Study.arms)))
    assert sv.study_arms(sqlite_db) == stored and stored


def test_open_visits_next_open_visit_per_patient_in_subject_order(sqlite_db):
    b = enrol(sqlite_db, "S-002")
    a = enrol(sqlite_db, "S-001", day1=date.today() - timedelta(days=30))
    first = sv.patient_visits(sqlite_db, a.patient_id)
    assert [(o.subject_id, o.visit_id) for o in sv.open_visits(sqlite_db)] == [
        ("S-001", first[0].id), ("S-002", b.visits[0].id)]
    _submit_battery(sqlite_db, first[0].id, sv.remaining_battery(sqlite_db, first[0].id))
    got = sv.open_visits(sqlite_db)
    assert [(o.subject_id, o.visit_id, o.visit_code) for o in got] == [
        ("S-001", first[1].id, first[1].code), ("S-002", b.visits[0].id, b.visits[0].code)]
    o = got[0]
    assert (o.patient_id, o.initials, o.planned_date, o.status) == (
        a.patient_id, "AB", first[1].planned_date, "planned")


def test_open_visits_without_the_summary_cache(sqlite_db):
    """Rows written outside the services have no patient_summary row: computed, same answer."""
    enrol(sqlite_db, "S-001")
    enrol(sqlite_db, "S-002")
    before = sv.open_visits(sqlite_db)
    with sqlite_db.session() as s:
        s.execute(delete(PatientSummary))
    assert sv.open_visits(sqlite_db) == before and len(before) == 2


def test_remaining_battery_after_one_instrument(sqlite_db):
    v = enrol(sqlite_db).visits[0]
    full = sv.remaining_battery(sqlite_db, v.id)
    assert full == sv.visit_battery(v.code) and len(full) >= 2
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
