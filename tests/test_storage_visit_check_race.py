"""PostgreSQL, two stations at once on one visit: a service's checks and its write form one
step (``storage.services.locks.refuse_if_locked`` takes the audit chain's lock before the
checks), so a nurse recording a questionnaire "not done" while a kiosk starts the same
questionnaire ends with one of the two, never both. The interleaving is forced: the not-done
call stops right after its checks until the start has either finished (the bug) or is seen
waiting for the lock (``pg_locks``)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage import services as sv
from storage.audit_verify import verify_audit
from storage.db import open_database
from storage.errors import ConflictError
from storage.services import administrations, not_done
from storage.services._tx import ConcurrentChange, tx
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (answer_all, at_kiosk, enrol, new_pg_database,  # noqa: F401
                              pg_template, sqlite_db, sqlite_template, staff)

WAITING = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")


def _until_waiting_or(db, finished: threading.Event) -> None:  # noqa: ANN001
    """Hold the calling transaction until the other station's call has finished (the bug: it
    did not wait) or is seen waiting for a lock in ``pg_locks`` (the fix)."""
    with db.engine.connect() as probe:
        while not finished.wait(0.02):
            if probe.execute(WAITING).scalar():
                return
            probe.rollback()


@pytest.mark.postgres
def test_not_done_and_a_start_of_the_same_questionnaire_never_both_land(
        pg_template, monkeypatch) -> None:  # noqa: F811
    url = new_pg_database(pg_template)
    a, b = open_database(url), open_database(url)
    try:
        v = enrol(a, "RACE-ND")
        first, second = sv.remaining_battery(a, v.visit_id)[:2]
        nurse_a, nurse_b = staff(a, "nurse"), staff(b, "nurse", "WS-2")
        sv.mark_not_done(a, nurse_a, v.visit_id, second, reason="refused")   # visit in progress
        checked, started = threading.Event(), threading.Event()
        real = not_done._refuse_started

        def stop_after_checks(s, visit, instrument_id):  # noqa: ANN001, ANN202
            real(s, visit, instrument_id)
            checked.set()
            _until_waiting_or(a, started)
        monkeypatch.setattr(not_done, "_refuse_started", stop_after_checks)
        outcome: dict[str, object] = {}

        def start() -> None:
            checked.wait(60)
            try:
                outcome["start"] = sv.start_administration(
                    b, nurse_b, visit_id=v.visit_id, instrument_id=first, language="en")
            except ConflictError as exc:
                outcome["start"] = exc
            finally:
                started.set()
        t = threading.Thread(target=start)
        t.start()
        sv.mark_not_done(a, nurse_a, v.visit_id, first, reason="refused")
        t.join(60)
        assert not t.is_alive()
        assert isinstance(outcome["start"], ConflictError)        # the start saw the record
        assert "recorded as not done" in str(outcome["start"])
        assert sv.visit_administrations(a, v.visit_id) == []
        assert [r.instrument_id for r in sv.visit_not_done(a, v.visit_id)] == [first, second]
        assert verify_audit(a).ok
    finally:
        a.dispose()
        b.dispose()


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_a_deadlock_or_serialization_failure_is_a_concurrent_change(sqlite_db, sqlstate) -> None:  # noqa: F811
    """PostgreSQL ends one of two deadlocked transactions ("deadlock detected", 40P01) or a
    serialization failure (40001): the user reads "someone else changed this record", and
    autosave's ``once_more_on_race`` retries; any other driver error stays an error."""
    nurse = staff(sqlite_db, "nurse")
    with pytest.raises(ConcurrentChange, match="Someone else changed"):
        with tx(sqlite_db, nurse, "test.race"):
            raise DBAPIError("UPDATE visit", {}, _PgError(sqlstate))
    with pytest.raises(DBAPIError):
        with tx(sqlite_db, nurse, "test.other"):
            raise DBAPIError("UPDATE visit", {}, _PgError("XX000"))    # internal error


@pytest.mark.postgres
def test_a_second_stations_submit_of_the_same_questionnaire_gets_the_stored_scores(
        pg_template, monkeypatch) -> None:  # noqa: F811
    """Two stations submit one questionnaire at once: the second waits for the first and then
    reads it as submitted (the same scores, as a replayed submit), not a conflict."""
    url = new_pg_database(pg_template)
    a, b = open_database(url), open_database(url)
    try:
        v = enrol(a, "RACE-SUB")
        adm = sv.start_administration(a, staff(a, "nurse"), visit_id=v.visit_id,
                                      instrument_id="csc", language="en")
        pat = at_kiosk(a, v.visit_id)
        answer_all(a, pat, adm)
        inside, done = threading.Event(), threading.Event()
        real = administrations._submit_core

        def slow_submit(*args):  # noqa: ANN002, ANN202
            inside.set()
            _until_waiting_or(a, done)
            return real(*args)
        monkeypatch.setattr(administrations, "_submit_core", slow_submit)
        got: dict[str, object] = {}

        def second() -> None:
            inside.wait(60)
            try:
                got["b"] = sv.submit_administration(b, pat, adm)
            except Exception as exc:  # noqa: BLE001
                got["b"] = exc
            finally:
                done.set()
        t = threading.Thread(target=second)
        t.start()
        first = sv.submit_administration(a, pat, adm)
        t.join(60)
        assert not t.is_alive()
        assert got["b"] == first                      # the stored scores, no error
        assert verify_audit(a).ok
    finally:
        a.dispose()
        b.dispose()
