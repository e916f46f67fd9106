"""Audit trail: append-only, hash chain, current data == last audited value, no PHI in logs."""
from __future__ import annotations

import logging
import sqlite3
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pg_server import pg_server_url  # noqa: F401
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.audit_verify import verify_audit
from storage.errors import ConflictError
from storage.models import Patient
from storage_fixtures import (at_kiosk, answer_all, db, eligible_screening, enrol,  # noqa: F401
                              pg_template, sqlite_db,
                              sqlite_template, staff)


def _visit_with_answers(db):  # noqa: ANN001, ANN202, F811
    v = enrol(db, full_name="Test Person")
    adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="rand36", language="en")
    answer_all(db, at_kiosk(db, v.visit_id), adm)
    return v, adm


def test_clean_database_verifies(db) -> None:  # noqa: F811
    _visit_with_answers(db)
    result = verify_audit(db)
    assert result.ok, result.first_problem
    assert result.events > 100 and result.values > 100


def test_audit_rows_cannot_be_updated_or_deleted(db) -> None:  # noqa: F811
    _visit_with_answers(db)
    for stmt in ("UPDATE audit_event SET reason = 'x' WHERE seq = 3",
                 "DELETE FROM audit_event WHERE seq = 3"):
        with pytest.raises(Exception, match="append-only"):
            with db.session() as s:
                s.execute(text(stmt))
    assert verify_audit(db).ok


def test_verify_catches_answer_edited_with_raw_sql(sqlite_db) -> None:  # noqa: F811
    _v, adm = _visit_with_answers(sqlite_db)
    con = sqlite3.connect(sqlite_db.path)
    con.execute("UPDATE answer SET code = 2 WHERE item_id = 'q7' AND administration_id = ?",
                (adm,))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok
    assert "answer id" in result.first_problem and "'code'" in result.first_problem


def test_verify_catches_patient_field_edited_on_postgres(db) -> None:  # noqa: F811
    _visit_with_answers(db)
    with db.engine.begin() as c:                 # outside the services: no audit rows
        c.execute(text("UPDATE patient SET birth_year = 1961"))
    result = verify_audit(db)
    assert not result.ok and "patient id" in result.first_problem
    assert "birth_year" in result.first_problem and "1961" not in result.first_problem


def test_verify_catches_deleted_middle_audit_row(sqlite_db) -> None:  # noqa: F811
    _visit_with_answers(sqlite_db)
    con = sqlite3.connect(sqlite_db.path)
    con.execute("DROP TRIGGER audit_event_no_delete")   # what an attacker with the file does
    n = con.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
    con.execute("DELETE FROM audit_event WHERE seq = ?", (n // 2,))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok and f"seq {n // 2}" in result.first_problem


@pytest.mark.parametrize("column, value", [
    ("changes", '{"code":[null,"9"]}'), ("detail", "x"), ("reason", "x"), ("action", "x"),
    ("operation", "delete"), ("entity", "visit"), ("entity_id", 999), ("actor_kind", "system"),
    ("actor_user_id", 99), ("actor_username", "eve"), ("actor_role", "admin"),
    ("station_id", "X"), ("patient_id", 99), ("at", "2020-01-01 00:00:00.000000")])
def test_verify_catches_any_edited_audit_column(sqlite_db, column, value) -> None:  # noqa: F811
    _visit_with_answers(sqlite_db)
    con = sqlite3.connect(sqlite_db.path)
    con.execute("DROP TRIGGER audit_event_no_update")
    n = con.execute("SELECT max(seq) FROM audit_event").fetchone()[0]   # a patient's answer
    con.execute(f"UPDATE audit_event SET {column} = ? WHERE seq = ?", (value, n))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok and f"seq {n}" in result.first_problem and "edited" in result.first_problem


def test_verify_catches_row_inserted_outside_the_app(sqlite_db) -> None:  # noqa: F811
    v, _adm = _visit_with_answers(sqlite_db)
    con = sqlite3.connect(sqlite_db.path)
    con.execute("INSERT INTO site (study_id, code, name) VALUES (1, 'X', 'x')")
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok and "site id" in result.first_problem


def test_changes_without_an_actor_are_refused(sqlite_db) -> None:  # noqa: F811
    from storage.audit import UnattributedChange
    enrol(sqlite_db)
    with pytest.raises(UnattributedChange):
        with sqlite_db.session() as s:
            s.get(Patient, 1).arm = "B"


SENTINEL = "SENTINEL-Zhang-Wei-张伟-7f3a"


def test_patient_name_never_reaches_logs_or_messages(db, caplog) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG)                     # a verbose app: root at DEBUG
    assert logging.getLogger("sqlalchemy.engine").level == logging.WARNING  # rows never logged
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)   # statements logged
    try:
        enrol(db, "S-001", full_name=SENTINEL)
        texts = []
        with pytest.raises(IntegrityError) as e:          # raw ORM duplicate -> IntegrityError
            with db.session() as s:
                from storage.audit import set_context
                set_context(s, system_actor(), "test")
                p = s.get(Patient, 1)
                s.add(Patient(**{c: getattr(p, c) for c in (
                    "study_id", "subject_id", "initials", "sex", "birth_year", "arm",
                    "consent_date", "day1_date", "status", "full_name", "created_at")}))
        texts.append(str(e.value))
        with pytest.raises(ConflictError) as e2:          # the same through a service
            sv.enrol_patient(db, staff(db, "nurse"), subject_id="S-001", initials="AB",
                             sex="F", day1_date=date.today(), full_name=SENTINEL,
                             screening=eligible_screening(db, date.today()))
        texts.append(str(e2.value))
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    texts.append(caplog.text)
    assert caplog.text, "logging was not captured"
    for t in texts:
        assert SENTINEL not in t and "张伟" not in t
    assert "hidden due to hide_parameters" in texts[0]
