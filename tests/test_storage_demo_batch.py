"""Demo data one patient per transaction (storage.demo_batch, issue 16): one commit per patient
instead of one per service call, each call's changes still audited under its own actor, an
error rolls the whole patient back, and reads inside the batch see the batch's writes."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select

from storage import demo
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.db import open_database
from storage.demo_batch import PatientBatch
from storage.models import AuditEvent, Patient
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401


def test_demo_commits_once_per_patient_and_audits_each_call_under_its_actor(tmp_path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    commits = []
    event.listen(db.engine, "commit", lambda _conn: commits.append(1))
    try:
        assert demo.generate_demo_data(db, patients=4, seed=3) == 4
        # accounts, study, logins and the signing session: a handful; ~100 per patient before
        assert len(commits) <= 4 + 20
        with db.read_session() as s:
            rows = set(s.execute(select(AuditEvent.entity, AuditEvent.action,
                                        AuditEvent.actor_kind).distinct()).all())
        # the kiosk answers under the patient, the labs and corrections under the nurse
        answers = {(a, k) for e, a, k in rows if e == "answer"}
        assert ("answer.record", "patient") in answers
        assert {k for a, k in answers if a != "answer.correct"} == {"patient"}
        assert {k for e, _a, k in rows if e == "clinical_assessment"} == {"user"}
        assert verify_audit(db).ok
    finally:
        db.dispose()


def test_an_error_rolls_the_whole_patient_back(sqlite_db) -> None:
    batch = PatientBatch(sqlite_db)
    with sqlite_db.read_session() as s:
        head = s.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    with pytest.raises(RuntimeError, match="boom"):
        with batch.transaction():
            v1 = enrol(batch, "S-777", day1=date.today())
            assert sv.find_patient(batch, "S-777") is not None     # the batch sees its write
            assert [v.id for v in sv.patient_visits(batch, v1.patient_id)] == \
                [v.id for v in v1.visits]
            raise RuntimeError("boom")
    assert sv.find_patient(sqlite_db, "S-777") is None
    with sqlite_db.read_session() as s:
        assert s.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)) == head
        assert s.scalar(select(Patient.id).where(Patient.subject_id == "S-777")) is None


def test_outside_a_transaction_each_call_commits_on_its_own(sqlite_db) -> None:
    batch = PatientBatch(sqlite_db)
    staff(batch, "nurse")
    enrol(batch, "S-778", day1=date.today())
    assert sv.find_patient(sqlite_db, "S-778") is not None
