"""Durability: kill -9 at random points, several writer processes, disk full during submit."""
from __future__ import annotations

import os
import random
import sqlite3

import pytest
from sqlalchemy import event, func, select

from forms.instrument import load_instrument
from pg_server import pg_server_url  # noqa: F401
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.db import open_database
from storage.errors import StorageFullError
from storage.models import Administration, Answer, AuditEvent, Score
from storage_fixtures import (answer_all, db, enrol, new_pg_database, pg_template,  # noqa: F401
                              at_kiosk, sqlite_db, sqlite_template, staff)
from storage_harness import fork_writer, kill_at, read_all, wait_acks, wait_ready

ITEMS = [(it.id, load_instrument("rand36").options_for(it).codes)
         for it in load_instrument("rand36").items]


def _setup_jobs(db, n: int) -> list[tuple[int, object]]:  # noqa: ANN001, F811
    jobs = []
    for i in range(n):
        v = enrol(db, f"S-{i:03d}")
        adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                      instrument_id="rand36", language="en")
        jobs.append((adm, at_kiosk(db, v.visit_id)))     # the patient, handed the kiosk
    return jobs


def _db_codes(path) -> dict[tuple[int, str], int]:  # noqa: ANN001
    con = sqlite3.connect(path)
    try:
        return {(a, i): c for a, i, c in con.execute(
            "SELECT administration_id, item_id, code FROM answer")}
    finally:
        con.close()


def _orphans_and_integrity(path) -> tuple[int, str]:  # noqa: ANN001
    con = sqlite3.connect(path)
    try:
        orphans = con.execute(
            "SELECT count(*) FROM answer a WHERE NOT EXISTS (SELECT 1 FROM audit_event e "
            "WHERE e.entity = 'answer' AND e.entity_id = a.id "
            "AND json_extract(e.changes, '$.code[1]') = CAST(a.code AS TEXT))").fetchone()[0]
        return orphans, con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def _kill_run(sqlite_db, kills: int, seed: int) -> int:  # noqa: ANN001, F811
    jobs = _setup_jobs(sqlite_db, 2)
    url, path = sqlite_db.url, sqlite_db.path
    sqlite_db.dispose()
    rng = random.Random(seed)
    expected: dict[tuple[int, str], set[int]] = {}
    acked_total = waited = 0
    for k in range(kills):
        pid, rfd = fork_writer(url, jobs, ITEMS, seed * 10_000 + k)
        wait_ready(rfd)
        # 0-2 acknowledged writes first (0: the kill may hit the first write), then 0-3 more
        # lines: the kill lands inside a write (after its "T") or between two (after an "A"),
        # by the child's progress, whatever the machine's load (a clock delay let a loaded
        # machine kill most children before their first commit)
        n = rng.randint(0, 2)
        waited += n
        lines = wait_acks(rfd, n)
        lines += kill_at(pid, rfd, rng.randint(0, 3))
        lines += read_all(rfd)
        assert not [x for x in lines if x.startswith("E ")], lines[-3:]
        tries: dict[tuple[int, str], int] = {}
        for line in lines:
            kind, adm, item, code = line.split()
            key = (int(adm), item)
            if kind == "T":
                tries[key] = int(code)
            else:
                expected[key] = {int(code)}
                tries.pop(key, None)
                acked_total += 1
        in_flight = {k2: v for k2, v in tries.items()}
        got = _db_codes(path)
        for key, codes in expected.items():
            allowed = codes | ({in_flight[key]} if key in in_flight else set())
            assert got.get(key) in allowed, f"kill {k}: acknowledged answer {key} lost"
        for key, code in in_flight.items():
            if key not in expected:
                assert got.get(key) in (None, code)
        for key in got:                       # adopt the committed state for the next child
            expected[key] = {got[key]}
        orphans, integrity = _orphans_and_integrity(path)
        assert orphans == 0 and integrity == "ok", f"kill {k}"
    db2 = open_database(url)
    try:
        result = verify_audit(db2)
        assert result.ok, result.first_problem
    finally:
        db2.dispose()
    assert acked_total >= waited > 0           # the children really wrote between kills
    return acked_total


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kill_9_at_random_points_loses_no_acknowledged_answer(sqlite_db, seed) -> None:  # noqa: F811
    """4 runs x 50 kills = 200 kill points in the default suite."""
    assert _kill_run(sqlite_db, 50, seed) > 0


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10, 20))
def test_kill_9_many_more_points(sqlite_db, seed) -> None:  # noqa: F811
    _kill_run(sqlite_db, 200, seed)


@pytest.mark.parametrize("writers", [2, 4, 8])
def test_concurrent_writer_processes_sqlite(sqlite_db, writers) -> None:  # noqa: F811
    _concurrent(sqlite_db, writers)


@pytest.mark.parametrize("writers", [2, 8])
def test_concurrent_writer_processes_postgres(pg_template, writers) -> None:  # noqa: F811
    db = open_database(new_pg_database(pg_template))
    _concurrent(db, writers)


def _concurrent(db, writers: int) -> None:  # noqa: ANN001, F811
    jobs = _setup_jobs(db, writers)
    url = db.url
    db.dispose()
    procs = []
    for w in range(writers):
        procs.append(fork_writer(url, [jobs[w]], ITEMS, seed=w, count=25))
    acked: dict[tuple[int, str], int] = {}
    for pid, rfd in procs:
        lines = read_all(rfd)
        _, status = os.waitpid(pid, 0)
        errors = [x for x in lines if x.startswith("E ")]
        assert not errors, errors[:3]          # e.g. no "database is locked" reached a caller
        assert os.waitstatus_to_exitcode(status) == 0
        for line in lines:
            kind, adm, item, code = line.split()
            if kind == "A":
                acked[(int(adm), item)] = int(code)
    assert sum(1 for _ in acked) > 0
    db2 = open_database(url)
    try:
        with db2.session() as s:
            got = {(a, i): c for a, i, c in s.execute(
                select(Answer.administration_id, Answer.item_id, Answer.code))}
        assert got == acked                       # every last acknowledged write is there
        result = verify_audit(db2)                # one linear hash chain despite concurrency
        assert result.ok, result.first_problem
    finally:
        db2.dispose()


def test_disk_full_during_submit(sqlite_db) -> None:  # noqa: F811
    """The database may not grow (max_page_count = its size): submits go on until one needs a
    new page. That one is refused as "disk is full" with nothing partial; earlier data intact; the
    same submit succeeds once there is room. (A compact submit often fits in the pages' slack, so
    the test submits until the disk is really full instead of assuming the first one fails.)"""
    adms = []
    for n in range(40):
        v = enrol(sqlite_db, f"FULL-{n:03d}")
        pat = at_kiosk(sqlite_db, v.visit_id)
        adm = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                      instrument_id="rand36", language="en")
        answer_all(sqlite_db, pat, adm)
        adms.append((pat, adm))

    def counts(adm):  # noqa: ANN001, ANN202
        with sqlite_db.session() as s:
            return (s.scalar(select(func.count(AuditEvent.seq))),
                    s.scalar(select(func.count(Score.id))),
                    s.scalar(select(Administration.status).where(Administration.id == adm)),
                    s.scalar(select(func.count(Answer.id)).where(Answer.administration_id == adm)))
    with sqlite_db.engine.connect() as c:
        pages = c.exec_driver_sql("PRAGMA page_count").scalar()
        c.rollback()

    def limit(dbapi_con, _rec):  # noqa: ANN001, ANN202
        dbapi_con.execute(f"PRAGMA max_page_count = {int(pages)}")
    event.listen(sqlite_db.engine, "connect", limit)
    sqlite_db.engine.dispose()
    failed = None
    for pat, adm in adms:
        before = counts(adm)
        try:
            sv.submit_administration(sqlite_db, pat, adm)
        except StorageFullError as exc:
            assert "disk is full" in str(exc)
            failed = (pat, adm, before)
            break
    event.remove(sqlite_db.engine, "connect", limit)
    sqlite_db.engine.dispose()
    assert failed is not None, "the database never filled up"
    pat, adm, before = failed
    assert counts(adm) == before                   # nothing partial, earlier data intact
    assert before[2] == "in_progress" and before[3] == 36
    assert sv.submit_administration(sqlite_db, pat, adm)["rand_pf"] is not None
    assert verify_audit(sqlite_db).ok
