"""Rules that survived a mutation in the review of issue 18: each test here fails on one small,
wrong change of the rule it names (see the docstrings), on the real storage."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from forms.errors import UserError
from pg_server import pg_server_url  # noqa: F401
from reports.export.csvsafe import FORMULA_START, cell, defang
from storage import audit
from storage import services as sv
from storage.audit import row_hash
from storage.auth_sessions import system_actor
from storage.audit_key import load_key
from storage.audit_verify import parse_head, verify_audit
from storage.errors import AuthError
from storage.models import Answer
from storage_fixtures import (PASSWORDS, account_made_outside, answer_all,  # noqa: F401
                              at_kiosk, enrol, sqlite_db, sqlite_template, staff)


def _answered_visit(db):  # noqa: ANN001, ANN202
    v = enrol(db)
    adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="csc", language="en")
    answer_all(db, at_kiosk(db, v.visit_id), adm)
    return v, adm


def _raw(db):  # noqa: ANN001, ANN202
    con = sqlite3.connect(db.path)
    con.row_factory = sqlite3.Row
    for trig in ("audit_event_no_update", "audit_event_no_delete"):
        con.execute(f"DROP TRIGGER IF EXISTS {trig}")
    return con


def test_verify_checks_each_rows_previous_hash(sqlite_db) -> None:  # noqa: F811
    """Mutant: the previous row's hash left out of the keyed hash. A row re-linked to another
    predecessor, its hash recomputed WITH the site key so that it is self-consistent, must still
    break the chain."""
    _answered_visit(sqlite_db)
    con = _raw(sqlite_db)
    row = dict(con.execute("SELECT * FROM audit_event WHERE seq = 5").fetchone())
    row["at"] = datetime.fromisoformat(row["at"]).replace(tzinfo=timezone.utc)
    con.execute("UPDATE audit_event SET row_hash = ? WHERE seq = 5",
                (row_hash(load_key(), "f" * 64, row),))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok
    assert "seq 5" in result.first_problem and "keyed hash" in result.first_problem


def test_verify_catches_a_data_row_deleted_outside_the_app(sqlite_db) -> None:  # noqa: F811
    """Mutant: the "deleted outside the application" check disabled."""
    _v, adm = _answered_visit(sqlite_db)
    con = _raw(sqlite_db)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("DELETE FROM answer WHERE id = (SELECT max(id) FROM answer "
                "WHERE administration_id = ?)", (adm,))
    con.commit()
    con.close()
    result = verify_audit(sqlite_db)
    assert not result.ok
    assert "answer id" in result.first_problem
    assert "deleted outside the application" in result.first_problem


def _audited_delete(db, answer_id: int) -> None:  # noqa: ANN001
    """Delete an answer through the ORM with an audit context: the chain gets a ``delete`` row
    (no service deletes today; the verifier accepts a delete recorded in the chain)."""
    with db.session() as s:
        audit.set_context(s, system_actor(), "test.delete")
        s.delete(s.get(Answer, answer_id))


def test_verify_accepts_rows_deleted_by_an_audited_delete(sqlite_db) -> None:  # noqa: F811
    """Mutants: the ``delete`` operation not recognised (its values kept as expected data) or
    ending the chain walk. An answer deleted with its audited delete, and one inserted outside
    the application and then deleted with an audited delete, leave nothing to complain about;
    every row is still walked."""
    _v, adm = _answered_visit(sqlite_db)
    con = _raw(sqlite_db)
    first = con.execute("SELECT min(id) FROM answer WHERE administration_id = ?",
                        (adm,)).fetchone()[0]
    con.execute("INSERT INTO answer (administration_id, instrument_id, instrument_version, "
                "item_id, status, code, answered_at, saved_at, change_count, version_id) "
                "SELECT administration_id, instrument_id, instrument_version, 'outside', "
                "status, code, answered_at, saved_at, change_count, version_id FROM answer "
                "WHERE id = ?", (first,))
    outside = con.execute("SELECT max(id) FROM answer").fetchone()[0]
    con.commit()
    con.close()
    assert "has no audit record" in verify_audit(sqlite_db).first_problem
    _audited_delete(sqlite_db, outside)
    _audited_delete(sqlite_db, first)
    sv.record_event(sqlite_db, staff(sqlite_db, "nurse"), action="kiosk.identity_mismatch")
    result = verify_audit(sqlite_db)
    con = _raw(sqlite_db)
    seq = con.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
    deletes = con.execute("SELECT count(*) FROM audit_event WHERE operation = 'delete'"
                          ).fetchone()[0]
    con.close()
    assert (result.ok, result.first_problem, result.events, deletes) == (True, None, seq, 2)


def test_verify_names_a_row_whose_first_audit_record_is_an_update(sqlite_db) -> None:  # noqa: F811
    """Mutants: the walk's values of an entity with no audited insert taken as None (a crash on
    its first audited update). An account inserted outside the application and then updated by
    it (a failed login counts) is named with a field, not a crash."""
    con = _raw(sqlite_db)
    uid = account_made_outside(con)
    con.close()
    with pytest.raises(AuthError):
        sv.authenticate(sqlite_db, "intruder", "wrong-password")
    result = verify_audit(sqlite_db)
    assert result.ok is False
    assert result.first_problem.startswith(f"user_account id {uid} field '")


def test_more_than_seq_hash_is_a_checkpoint_to_check(sqlite_db) -> None:  # noqa: F811
    """Mutants: the checkpoint signature checked only from three colons after SEQ (a TIME
    without colons then skipped it) or already at one (a pasted trailing colon then refused).
    (``sqlite_db``: a database made, so the site key exists.)"""
    h = "ab" * 32
    with pytest.raises(UserError, match="signature does not match"):
        parse_head(f"12:{h}:20300102T030405Z:{'0' * 64}")
    assert parse_head(f"12:{h}:") == (12, h)             # SEQ:HASH with a trailing colon


@pytest.mark.parametrize("start", FORMULA_START)
def test_cell_defangs_every_formula_start(start) -> None:
    """Mutant: ``cell()`` defanging only ``= + -`` (its fast path is separate from defang())."""
    text = f"{start}HYPERLINK(\"http://x\")"
    assert cell(text) == "'" + text == defang(text)


def test_formula_start_is_the_owasp_set() -> None:
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("number", ["-3.5", "+2", "1e-3", "-0"])
def test_cell_keeps_text_numbers_as_numbers(number) -> None:
    assert cell(number) == number


def test_successful_login_resets_the_failure_count(sqlite_db) -> None:  # noqa: F811
    """Mutant: the failed-login counter never reset after a successful login. Four failures, a
    success, then four more failures must not lock the account (five in a row do)."""
    for _ in range(4):
        with pytest.raises(AuthError):
            sv.authenticate(sqlite_db, "nurse", "wrong-password")
    sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    for _ in range(4):
        with pytest.raises(AuthError):
            sv.authenticate(sqlite_db, "nurse", "wrong-password")
    assert sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"]).username == "nurse"
    for _ in range(5):                                              # five in a row lock
        with pytest.raises(AuthError):
            sv.authenticate(sqlite_db, "nurse", "wrong-password")
    with pytest.raises(AuthError):                                  # locked: right password too
        sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
