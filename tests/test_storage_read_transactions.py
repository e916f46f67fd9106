"""Staff reads run in read transactions (issue 16): on SQLite a deferred ``BEGIN`` that reads a
WAL snapshot, so the patient list and an opened patient load while another connection (a kiosk
saving an answer) holds the write lock; on PostgreSQL ``BEGIN READ ONLY``."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import services as sv
from storage.db import open_database
from storage.errors import DatabaseError
from storage_fixtures import (answer_all, at_kiosk, enrol, new_pg_database,  # noqa: F401
                              pg_server_url, pg_template, sqlite_template, staff)
from ui.nurse.backend import StorageBackend

BUSY_S = 0.5      # a read that waited for the write lock would fail after this


@pytest.fixture
def short_wait_db(sqlite_template: Path, tmp_path: Path):  # noqa: F811
    path = tmp_path / "epro.db"
    shutil.copyfile(sqlite_template, path)
    db = open_database(f"sqlite:///{path}", busy_timeout=BUSY_S)
    yield db, path
    db.dispose()


def _staff_reads(db, patient_id: int, visit_id: int) -> None:  # noqa: ANN001
    """What the workstation does for the list and for opening a patient and a visit."""
    b = StorageBackend(db)
    assert [r.subject_id for r in b.list_patients()] == ["S-001"]
    info = b.patient(patient_id)
    assert info.subject_id == "S-001"
    assert b.patient_visits(patient_id)
    b.trend_points(patient_id)
    assert b.audit(patient_id=patient_id)
    b.arm_label(info.arm)
    b.visit_administrations(visit_id)
    b.review(visit_id)
    b.value_history(visit_id)
    assert sv.find_patient(db, "S-001").id == patient_id
    assert sv.visit_scores(db, visit_id)
    sv.clinical_assessment(db, visit_id)
    sv.visit_signatures(db, visit_id)
    sv.current_protocol(db)


def test_staff_reads_while_a_kiosk_holds_the_write_lock(short_wait_db) -> None:
    db, path = short_wait_db
    v = enrol(db)
    nurse = staff(db, "nurse")
    adm = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id="csc",
                                  language="en")
    answer_all(db, at_kiosk(db, v.visit_id), adm)
    sv.submit_administration(db, at_kiosk(db, v.visit_id), adm)
    _staff_reads(db, v.patient_id, v.visit_id)          # warm: every connection opened
    writer = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")               # a kiosk's save in progress
        writer.execute("UPDATE patient SET initials = initials")
        # nobody waits for the lock: a read that needed it would raise "locked" after BUSY_S
        # (a wall-clock bound on the reads failed on a loaded machine: 0.55 s, no lock wait)
        _staff_reads(db, v.patient_id, v.visit_id)
        with pytest.raises(DatabaseError, match="locked"):   # a write does wait (and fails)
            sv.record_logout(db, nurse, why="user")
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.postgres
def test_read_session_is_read_only_on_postgresql(pg_template: str) -> None:  # noqa: F811
    db = open_database(new_pg_database(pg_template))
    try:
        _read_only_checks(db)
    finally:
        db.dispose()


def _read_only_checks(db) -> None:  # noqa: ANN001
    with db.read_session() as s:
        assert s.execute(text("SHOW transaction_read_only")).scalar() == "on"
    with db.session() as s:                             # a write transaction is not read-only
        assert s.execute(text("SHOW transaction_read_only")).scalar() == "off"
    with db.read_session() as s:                        # and the pooled connection is reset
        assert s.execute(text("SHOW transaction_read_only")).scalar() == "on"
