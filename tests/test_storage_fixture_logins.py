"""``staff()`` of the storage fixtures returns the login copied with the database, whichever
template it came from: filling another database (a second module's session template, the kiosk
template, a migration test's old database) must not make every later ``staff()`` log in again,
which wrote an ``auth.login`` row into the audit trail of the action under test (issue 18: the
exact event count of ``test_storage_audit_anchor`` failed as 142 against 141 when mutmut ran
another module's test in between)."""
from __future__ import annotations

import sqlite3

from storage.db import open_database
from storage_fixtures import _fill_template, sqlite_db, sqlite_template, staff  # noqa: F401


def _logins(db) -> int:  # noqa: ANN001
    con = sqlite3.connect(db.path)
    try:
        return con.execute("SELECT count(*) FROM audit_event WHERE action = 'auth.login'"
                           ).fetchone()[0]
    finally:
        con.close()


def test_staff_uses_the_templates_login_after_another_database_was_filled(
        sqlite_db, tmp_path) -> None:  # noqa: F811
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        _fill_template(other)
    finally:
        other.dispose()
    before = _logins(sqlite_db)
    for role in ("nurse", "investigator", "admin"):
        staff(sqlite_db, role)
    staff(sqlite_db, "nurse", "K-1")
    assert _logins(sqlite_db) == before          # no new login: the copied sessions are used


def test_a_database_without_the_templates_logins_logs_in_once(tmp_path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'own.db'}")
    try:
        _fill_template(db)
        before = _logins(db)
        nurse = staff(db, "nurse")
        assert staff(db, "nurse") == nurse and _logins(db) == before
    finally:
        db.dispose()
