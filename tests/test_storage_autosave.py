"""The autosave fast path (storage.services.autosave): the same answer rows and the SAME audit
trail — byte for byte, hash chain included — as the ORM path, with fewer statements
(SQLite and a real PostgreSQL server)."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, select

from storage import services as sv
from storage.clock import use_clock
from storage.db import Database, open_database
from storage.models import Answer, AuditEvent
from storage.services import autosave
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (enrol, new_pg_database, pg_template, sqlite_db,  # noqa: F401
                              at_kiosk, sqlite_template, staff)


class _Tick:
    """A deterministic clock: both runs see the same times."""

    def __init__(self) -> None:
        self.t = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.t += timedelta(milliseconds=1500)
        return self.t


def _scenario(db: Database) -> None:
    clock = _Tick()
    with use_clock(clock):
        v = enrol(db)
        nurse = staff(db, "nurse")
        adm = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id="rand36",
                                      language="en", station_id="K-1")
        me = at_kiosk(db, v.visit_id)
        sv.record_answer(db, me, adm, "q1", 3)                      # new
        sv.record_answer(db, me, adm, "q1", 3)                      # same again: nothing
        sv.record_answer(db, me, adm, "q1", 2, ms_on_item=900)      # changed before submit
        sv.record_answer(db, me, adm, "q2", 1, ms_on_item=1200,
                         answered_at=clock.t - timedelta(seconds=1))
        sv.skip_item(db, me, adm, "q3", "prefer_not_to_answer")
        sv.record_answer(db, me, adm, "q3", 1)                      # skipped -> answered
        sv.record_answer(db, nurse, adm, "q4", 2)                   # staff on the patient's behalf
        sv.mark_interrupted(db, me, adm)
        sv.record_answer(db, me, adm, "q5", 1)                      # resumes (ORM path)
        sv.record_answer(db, me, adm, "q5", 2)                      # change (fast path)


def _trail(db: Database) -> list[tuple]:
    with db.session() as s:
        audit = [tuple(r) for r in s.execute(select(AuditEvent.__table__)
                                             .order_by(AuditEvent.seq))]
        answers = [tuple(r) for r in s.execute(select(Answer.__table__).order_by(Answer.id))]
    return audit + answers


def _two_databases(request: pytest.FixtureRequest, dialect: str,
                   tmp_path: Path) -> tuple[Database, Database]:
    if dialect == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        dbs = []
        for name in ("fast.db", "orm.db"):
            shutil.copyfile(template, tmp_path / name)
            dbs.append(open_database(f"sqlite:///{tmp_path / name}"))
        return dbs[0], dbs[1]
    server = request.getfixturevalue("pg_template")
    return (open_database(new_pg_database(server)), open_database(new_pg_database(server)))


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_fast_path_writes_the_same_rows_and_audit_chain_as_the_orm_path(
        request, dialect, tmp_path, monkeypatch) -> None:
    fast, orm = _two_databases(request, dialect, tmp_path)
    try:
        used = []
        real = autosave.record_fast
        monkeypatch.setattr(autosave, "record_fast",
                            lambda *a: used.append(r := real(*a)) or r)
        _scenario(fast)
        assert used.count(True) == 7 and used.count(False) == 1   # the fast path ran
        monkeypatch.setattr(autosave, "record_fast", lambda *a: False)
        _scenario(orm)
        got, want = _trail(fast), _trail(orm)
        assert len(want) > 40
        assert got == want                     # every column, hashes included
    finally:
        fast.dispose()
        orm.dispose()


def test_one_autosave_is_five_statements(sqlite_db) -> None:  # noqa: F811
    """BEGIN IMMEDIATE, then: the hand-over check (session and account in one SELECT), context
    SELECT, audit head SELECT, answer INSERT, audit INSERT (the ORM path also loaded the
    administration and visit and looked the answer up)."""
    v = enrol(sqlite_db)
    adm = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="rand36", language="en")
    me = at_kiosk(sqlite_db, v.visit_id)
    sv.record_answer(sqlite_db, me, adm, "q1", 1)
    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_a) -> None:  # noqa: ANN001
        seen.append(statement.split()[0].upper())

    event.listen(sqlite_db.engine, "before_cursor_execute", spy)
    try:
        sv.record_answer(sqlite_db, me, adm, "q2", 1)       # new answer
        new = list(seen)
        seen.clear()
        sv.record_answer(sqlite_db, me, adm, "q2", 2)       # changed answer
        changed = list(seen)
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", spy)
    assert new == ["BEGIN", "SELECT", "SELECT", "INSERT", "SELECT", "INSERT"]
    assert changed == ["BEGIN", "SELECT", "SELECT", "UPDATE", "SELECT", "INSERT"]
    assert sv.administration_state(sqlite_db, adm).answers == {"q1": 1, "q2": 2}
