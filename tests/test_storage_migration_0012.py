"""Migration 0012: the clinician form's old imaging / vital status become typed outcome records.

Two old databases: the committed schema-0004 demo (``tests/fixtures/pre0005_demo.db.gz``: every
assessment holds the plain text "alive") upgraded through every migration, and a database whose
assessments hold the old ``key=value`` / ``died DATE`` text and the canonical JSON of the typed
clinician form (written here through an audited session, migrated down to 0011 and up again, on
SQLite and PostgreSQL). The typed records match the old values; what has no typed home stays
verbatim and is listed; the audit trail still verifies (every value equals its last audited
value).
"""
from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import select

from storage import audit
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.audit_verify import verify_audit
from storage.db import open_database
from storage.migrate import alembic_config, head_revision
from storage.models import AuditEvent, ClinicalAssessment
from storage_fixtures import (db, enrol, pg_server_url, pg_template,  # noqa: F401
                              sqlite_db, sqlite_template, staff)

FIXTURE = Path(__file__).parent / "fixtures" / "pre0005_demo.db.gz"


def _migrate(database, target: str, up: bool) -> None:  # noqa: ANN001
    cfg = alembic_config()
    with database.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.upgrade if up else command.downgrade)(cfg, target)


def _event(db) -> dict:  # noqa: ANN001
    with db.read_session() as s:
        [ev] = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "outcome.legacy_migrated", AuditEvent.operation == "event"))
        return json.loads(ev.detail)


def test_the_committed_old_demo_database_gets_typed_vital_status(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with gzip.open(FIXTURE) as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    con = sqlite3.connect(path)
    old = con.execute(
        "SELECT p.id, v.id, v.actual_date, ca.sample_date, ca.vital_status, u.username "
        "FROM clinical_assessment ca JOIN visit v ON v.id = ca.visit_id "
        "JOIN patient p ON p.id = v.patient_id JOIN user_account u ON u.id = ca.entered_by "
        "ORDER BY ca.id").fetchall()
    con.close()
    assert len(old) == 8 and {r[4] for r in old} == {"alive"}
    db = open_database(f"sqlite:///{path}")
    try:
        recs = sv.list_outcomes(db, None, kind="vital_status")
        got = sorted((r.patient_id, r.visit_id, dict(r.fields), r.entered_by) for r in recs)
        want = []
        for pid, vid, actual, sample, _text, who in old:
            day = (actual or sample)[:10]
            want.append((pid, vid, {"contact_date": day, "status": "alive",
                                    "last_known_alive": day}, who))
        assert got == sorted(want)
        with db.read_session() as s:
            assert s.scalars(select(ClinicalAssessment.vital_status)).all() == [None] * 8
        assert _event(db) == {"assessments": 8, "converted": {"imaging": 0, "vital_status": 8},
                              "kept": []}
        assert verify_audit(db).ok
        assert sv.list_alerts(db) == []                # nobody died: no alert
    finally:
        db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (
        head_revision(),)
    con.close()


def _store_old(db, visit_id: int, sample: date, imaging: str | None,  # noqa: ANN001
               vital: str | None) -> None:
    """An assessment as the code before 0012 left it (its text audited like any change)."""
    sv.enter_clinical_assessment(db, staff(db, "nurse"), visit_id, {"sample_date": sample})
    with db.session() as s:
        audit.set_context(s, system_actor(), "test.old_clinician_form")
        ca = s.scalar(select(ClinicalAssessment).where(ClinicalAssessment.visit_id == visit_id))
        ca.imaging, ca.vital_status = imaging, vital
        s.commit()


def test_old_text_and_json_become_typed_records_and_the_rest_stays_listed(  # noqa: F811
        db) -> None:
    today = date.today()
    day1 = today - timedelta(days=60)
    a = enrol(db, "T-OLD1", day1=day1)
    b = enrol(db, "T-OLD2", day1=day1)
    code = {x.code: x.id for x in a.visits}
    code_b = {x.code: x.id for x in b.visits}
    bl, w4, death = day1 - timedelta(days=2), day1 + timedelta(days=28), today - timedelta(days=3)
    _store_old(db, code["BL"], bl,
               "liver_size_cm=11.5; portal_vein_mm=14; spleen_size_cm=13; new_lesion_hcc=no",
               "alive")
    _store_old(db, code["W4"], w4, None, f"died {death.isoformat()}")
    _store_old(db, code_b["BL"], bl, '{"liver_size_cm":12,"portal_vein_mm":13.5}',
               '["alive",null]')
    _store_old(db, code_b["W4"], w4, "liver about 12 cm, PV normal", "died")
    _store_old(db, code_b["W8"], w4 + timedelta(days=28),
               "liver_size_cm=3; portal_vein_mm=12", None)
    _migrate(db, "0011", up=False)                         # the schema before 0012
    _migrate(db, "head", up=True)
    recs = {(r.subject_id, r.visit_code, r.kind): dict(r.fields)
            for r in sv.list_outcomes(db, None)}
    assert recs == {
        ("T-OLD1", "BL", "imaging"): {"date": bl.isoformat(), "liver_size_cm": 11.5,
                                      "portal_vein_mm": 14},
        ("T-OLD1", "BL", "vital_status"): {"contact_date": bl.isoformat(),
                                           "status": "alive",
                                           "last_known_alive": bl.isoformat()},
        ("T-OLD1", "W4", "vital_status"): {"contact_date": death.isoformat(),
                                           "status": "dead",
                                           "death_date": death.isoformat()},
        ("T-OLD2", "BL", "imaging"): {"date": bl.isoformat(), "liver_size_cm": 12,
                                      "portal_vein_mm": 13.5},
        ("T-OLD2", "BL", "vital_status"): {"contact_date": bl.isoformat(),
                                           "status": "alive",
                                           "last_known_alive": bl.isoformat()},
        ("T-OLD2", "W8", "imaging"): {"date": (w4 + timedelta(days=28)).isoformat(),
                                      "portal_vein_mm": 12},
    }
    assert all(r.entered_by == "nurse" for r in sv.list_outcomes(db, None))
    # what has no typed home stays on the clinician form, verbatim or as the old values
    left = {(v, c): (x["imaging"], x["vital_status"]) for v, c in (
        (a.patient_id, "BL"), (a.patient_id, "W4"), (b.patient_id, "BL"),
        (b.patient_id, "W4"), (b.patient_id, "W8"))
        for x in [sv.clinical_assessment(db, (code if v == a.patient_id else code_b)[c])]}
    assert left[(a.patient_id, "BL")] == ({"new_lesion_hcc": "no", "spleen_size_cm": 13},
                                          None)
    assert left[(a.patient_id, "W4")] == ({}, None)
    assert left[(b.patient_id, "BL")] == ({}, None)
    assert left[(b.patient_id, "W4")] == ({"note": "liver about 12 cm, PV normal"}, "died")
    assert left[(b.patient_id, "W8")] == ({"liver_size_cm": 3}, None)
    ev = _event(db)
    assert ev["converted"] == {"imaging": 3, "vital_status": 3} and ev["assessments"] == 5
    assert {(k["subject"], k["visit"], k["column"], k["text"]) for k in ev["kept"]} == {
        ("T-OLD1", "BL", "imaging", '{"new_lesion_hcc":"no","spleen_size_cm":13}'),
        ("T-OLD2", "W4", "imaging", "liver about 12 cm, PV normal"),
        ("T-OLD2", "W4", "vital_status", "died"),
        ("T-OLD2", "W8", "imaging", '{"liver_size_cm":3}')}
    with db.read_session() as s:
        rows = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "outcome.legacy_migrated",
            AuditEvent.operation != "event")).all()
    assert {(r.operation, r.entity) for r in rows} == {
        ("insert", "outcome_record"), ("update", "clinical_assessment"), ("insert", "alert")}
    # the converted death raises the alert a saved death raises
    [death_rec] = sv.list_outcomes(db, None, patient_id=a.patient_id, kind="vital_status",
                                   visit_id=code["W4"])
    [alert] = sv.list_alerts(db, source="outcome")
    assert (alert.subject_id, alert.visit_code, alert.reason, alert.severity) == (
        "T-OLD1", "W4", "death", "red")
    assert alert.params == {"date": death.isoformat(), "record": death_rec.id}
    assert all(r.actor_kind == "system" and "migration 0012" in r.reason for r in rows)
    assert verify_audit(db).ok                          # values = last audited values
    # a migrated record is corrected like any other (the clinician completes it)
    [img] = [r for r in sv.list_outcomes(db, None, kind="imaging")
             if r.subject_id == "T-OLD1"]
    sv.correct_outcome(db, staff(db, "nurse"), img.id, {**img.fields, "modality": "ct"},
                       "modality from the radiology report")
