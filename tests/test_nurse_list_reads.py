"""The workstation's patient list and opened patient as the screens get them (issue 16: built
fast, as named tuples, each text made once per call), on a real services-made database: the
list at its edges (open alerts, a withdrawn patient without visits and without a summary row),
the audit trail's texts."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from forms import schedule as sched
from storage import services as sv
from storage.db import open_database
from storage.demo import generate_demo_data
from ui.nurse import audit_text
from ui.nurse.backend import StorageBackend
from storage_fixtures import storage_day


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("listreads")) / "demo.db"
    made = open_database(f"sqlite:///{path}")
    generate_demo_data(made, patients=3, seed=1)     # through the services: alerts, labs, scores
    made.dispose()
    con = sqlite3.connect(path)            # a withdrawn patient written outside the services:
    study_id, arm = con.execute("SELECT study_id, arm FROM patient LIMIT 1").fetchone()
    con.execute("INSERT INTO patient (study_id, subject_id, initials, sex, birth_year, arm,"
                " consent_date, day1_date, status, full_name, created_at, version_id) VALUES"
                " (?, 'ZZ-0001', 'WD', 'F', 1960, ?, '2026-01-01', '2026-01-08', 'withdrawn',"
                " NULL, ?, 1)", (study_id, arm, datetime.now(timezone.utc).isoformat()))
    con.commit()                           # no visits, no patient_summary row
    con.close()
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()


def test_list_rows_at_the_edges(qapp, db) -> None:  # noqa: ANN001
    rows = {r.subject_id: r for r in StorageBackend(db).list_patients()}
    labels = sv.arm_labels(db, "en")
    protocol = sv.current_protocol(db)
    stored = {r.subject_id: r for r in sv.list_patients(db)}
    assert set(rows) == set(stored) and len(rows) == 4
    for subject, r in rows.items():
        s = stored[subject]
        assert r.arm == labels[s.arm] != s.arm                       # a label, never the id
        if s.next_visit_code:
            assert r.next_visit == sched.visit_label(protocol, s.next_visit_code, "en")
            assert r.next_visit_date == s.next_visit_date.isoformat()
            assert r.window_status == s.next_visit_window_status
    withdrawn = rows["ZZ-0001"]
    assert (withdrawn.next_visit, withdrawn.next_visit_date, withdrawn.window_status,
            withdrawn.last_pcs, withdrawn.alert, withdrawn.alert_count) == (
        None, None, None, None, None, 0)
    open_alerts = sv.list_alerts(db, unacknowledged=True)
    with_alerts = {a.subject_id for a in open_alerts}
    assert with_alerts, "the demo study raises alerts"
    for subject in with_alerts:
        mine = [a for a in open_alerts if a.subject_id == subject]
        r = rows[subject]
        assert r.alert_count == len(mine)
        assert r.alert == ("red" if any(a.severity == "red" for a in mine) else "amber")
        assert r.alert_reason and r.alert_reason not in {a.reason for a in mine}   # words
    assert all(r.alert_count == 0 for s, r in rows.items() if s not in with_alerts)


def test_audit_rows_carry_each_text_as_audit_text_makes_it(qapp, db) -> None:  # noqa: ANN001
    pid = sv.find_patient(db, "DEMO-0001").id
    rows = StorageBackend(db).audit(patient_id=pid)
    trail = sv.audit_trail(db, pid)
    assert len(rows) == len(trail) > 100
    for r, t in zip(rows, trail):
        assert (r.seq, r.old_value, r.new_value, r.visit_code) == (
            t.seq, t.old_value, t.new_value, t.visit_code)
        assert r.role == audit_text.role_text(t.actor_role or t.actor_kind)
        assert r.action_text == audit_text.action_text(t.action)
        assert r.field_text == audit_text.field_text(t.field, t.instrument_id, t.item_id, "en")
        assert r.old_text == audit_text.value_text(t.old_value, t.field, t.instrument_id,
                                                   t.item_id, "en")
        assert r.new_text == audit_text.value_text(t.new_value, t.field, t.instrument_id,
                                                   t.item_id, "en")
    assert any(r.item_id for r in trail) and any("(" in (r.new_text or "") for r in rows)


def test_list_rows_are_the_services_view_with_or_without_the_cache(qapp, db) -> None:  # noqa: ANN001
    """Every list row (built column by column) is the patient's own data: ordered by subject
    id, the next visit's window status as ``patient_visits`` (forms.schedule) gives it, and the
    same row when the patient's ``patient_summary`` row is missing (computed on the fly)."""
    rows = sv.list_patients(db)
    assert [r.subject_id for r in rows] == sorted(r.subject_id for r in rows)
    seen = set()
    for r in rows:
        p = sv.get_patient(db, r.id)
        assert (r.subject_id, r.initials, r.arm, r.status, r.full_name) == (
            p.subject_id, p.initials, p.arm, p.status, p.full_name)
        if not r.next_visit_code:
            continue
        v = next(v for v in sv.patient_visits(db, r.id) if v.code == r.next_visit_code)
        assert r.next_visit_date == v.planned_date
        # before, in and after the window (storage's clock moved): the status forms gives
        for day in (v.earliest_date - timedelta(days=1), v.earliest_date, v.latest_date,
                    v.latest_date + timedelta(days=1)):
            with storage_day(day):
                (listed,) = [x for x in sv.list_patients(db) if x.id == r.id]
                expected = next(x.window_status for x in sv.patient_visits(db, r.id)
                                if x.code == r.next_visit_code)
            assert listed.next_visit_window_status == expected
            seen.add(expected)
    assert {sched.NOT_YET_DUE, sched.DUE, sched.OVERDUE} <= seen
    pid = sv.find_patient(db, "DEMO-0002").id
    con = sqlite3.connect(db.engine.url.database)
    con.row_factory = sqlite3.Row
    saved = dict(con.execute("SELECT * FROM patient_summary WHERE patient_id = ?",
                             (pid,)).fetchone())
    con.execute("DELETE FROM patient_summary WHERE patient_id = ?", (pid,))
    con.commit()
    try:
        assert sv.list_patients(db) == rows
    finally:
        con.execute(f"INSERT INTO patient_summary ({', '.join(saved)}) VALUES"
                    f" ({', '.join('?' * len(saved))})", tuple(saved.values()))
        con.commit()
        con.close()
    assert sv.list_patients(db) == rows
