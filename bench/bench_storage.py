"""Storage benchmarks: an answer's autosave (wall, CPU and WAL pages) against raw ``sqlite3``
writing the same rows in the same run. The 10 000-patient reads are in ``bench_reads``, the
services-made 1 000-patient database (demo speed, KB per patient, CSV export, workstation
start) in ``bench_scale``."""
from __future__ import annotations

import random
import shutil
import sqlite3
import statistics
import time
from datetime import date
from pathlib import Path

from bench.__main__ import record
from bench.measure import scaled

WORK = Path(__file__).resolve().parent / "_work" / "storage"


def _fresh(name: str):  # noqa: ANN202
    from storage.auth_sessions import system_actor
    from storage.db import open_database
    from storage import services as sv
    path = WORK / name
    for p in WORK.glob(name + "*"):
        p.unlink()
    db = open_database(f"sqlite:///{path}")
    sv.create_study(db, system_actor())
    sv.create_user(db, system_actor(), username="nurse", full_name="N", role="nurse",
                   password="bench-ward-pw")
    return db, path


def _p99(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100)[98]


def bench_autosave(n: int = scaled(2000, 300)) -> list[dict]:
    """One new answer through ``storage.services.record_answer`` (session check, audit row with
    its HMAC, summary cache, durable commit) against a floor that writes THE SAME ROWS: every
    INSERT/UPDATE the service sent for that answer (captured at the driver), replayed through
    raw ``sqlite3`` on a copy of the database taken before the run (same tables, indexes and
    triggers, WAL + synchronous=FULL, one BEGIN IMMEDIATE … COMMIT per answer). The two run
    interleaved, answer by answer; wall and CPU of each. ``autosave_cpu_ratio`` (goal ≤ 2) is
    the CPU ratio, ``autosave_p99_ms`` the wall p99 with the floor's p99 as baseline."""
    from sqlalchemy import event

    from storage import services as sv
    from storage.demo import eligible_screening
    db, path = _fresh("autosave.db")
    nurse = sv.authenticate(db, "nurse", "bench-ward-pw")
    adms, patients = [], {}
    for i in range(n // 36 + 1):
        pid = sv.enrol_patient(db, nurse, subject_id=f"B-{i:04d}", initials="BB", sex="M",
                               day1_date=date.today(),
                               screening=eligible_screening(sv.current_protocol(db),
                                                            date.today(),
                                                            birth_date=date(1970, 6, 1)))
        v = sv.patient_visits(db, pid)[0]
        adms.append((sv.start_administration(db, nurse, visit_id=v.id, instrument_id="rand36",
                                             language="en"), pid))
        patients[adms[-1][0]] = sv.hand_over_kiosk(db, nurse, v.id)
    floor_path = WORK / "floor.db"
    for p in WORK.glob("floor.db*"):
        p.unlink()
    src = sqlite3.connect(path)
    dst = sqlite3.connect(floor_path)
    src.backup(dst)                              # the same schema and rows, before the run
    src.close()
    dst.close()
    con = sqlite3.connect(floor_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    writes: list[tuple[str, object, bool]] = []

    def capture(_conn, _cur, statement, parameters, _ctx, executemany) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SELECT", "BEGIN", "PRAGMA")):
            writes.append((statement, parameters, executemany))
    event.listen(db.engine, "before_cursor_execute", capture)

    def floor() -> None:
        con.execute("BEGIN IMMEDIATE")
        for statement, parameters, many in writes:
            (con.executemany if many else con.execute)(statement, parameters)
        con.execute("COMMIT")

    wall, cpu, fwall, fcpu, rows = [], [], [], [], []
    rng = random.Random(1)
    for k in range(n):
        adm, _pid = adms[k // 36]
        writes.clear()
        c0, t0 = time.process_time(), time.perf_counter()
        sv.record_answer(db, patients[adm], adm, f"q{k % 36 + 1}", rng.choice((1, 2)))
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        rows.append(len(writes))
        c0, t0 = time.process_time(), time.perf_counter()
        floor()
        fwall.append((time.perf_counter() - t0) * 1000)
        fcpu.append((time.process_time() - c0) * 1000)
    event.remove(db.engine, "before_cursor_execute", capture)
    db.dispose()
    con.close()
    floor_note = ("raw sqlite3 replaying the same INSERT/UPDATEs per answer on a copy of the "
                  "database (same indexes/triggers, WAL+FULL), interleaved")
    return [record("autosave_p99_ms", _p99(wall), "ms", baseline=floor_note,
                   baseline_value=_p99(fwall), n=n, median_ms=round(statistics.median(wall), 3),
                   floor_median_ms=round(statistics.median(fwall), 3),
                   cpu_ms_median=round(statistics.median(cpu), 3),
                   writes_per_answer=round(statistics.mean(rows), 2)),
            record("autosave_cpu_ratio", statistics.median(cpu), "ms", baseline=floor_note,
                   baseline_value=statistics.median(fcpu), goal_ratio=2, n=n,
                   note="median CPU ms per answer (this process), ratio = ours / floor")]


def _wal_pages(path: Path) -> float:
    wal = Path(str(path) + "-wal")
    return (wal.stat().st_size - 32) / (4096 + 24) if wal.exists() else 0.0


def _checkpoint(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def bench_audit_density(n: int = 36) -> list[dict]:
    """WAL pages written by one new answer (WAL truncated before each, so each count is that
    answer's commit alone: answer row + its index + one audit row + its two indexes), against
    a raw sqlite3 two-row transaction in the same run."""
    from storage import services as sv
    from storage.demo import eligible_screening
    db, path = _fresh("density.db")
    nurse = sv.authenticate(db, "nurse", "bench-ward-pw")
    pid = sv.enrol_patient(db, nurse, subject_id="D-0001", initials="DD", sex="F",
                           day1_date=date.today(),
                           screening=eligible_screening(sv.current_protocol(db), date.today(),
                                                        birth_date=date(1970, 6, 1)))
    v = sv.patient_visits(db, pid)[0]
    adm = sv.start_administration(db, nurse, visit_id=v.id, instrument_id="rand36",
                                  language="en")
    patient = sv.hand_over_kiosk(db, nurse, v.id)
    pages = []
    for k in range(1, n + 1):
        _checkpoint(path)
        sv.record_answer(db, patient, adm, f"q{k}", 1)
        pages.append(_wal_pages(path))
    db.dispose()
    raw_path = WORK / "raw2.db"
    for p in WORK.glob("raw2.db*"):
        p.unlink()
    con = sqlite3.connect(raw_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, adm INT, item TEXT, code INT)")
    con.execute("CREATE TABLE e (seq INTEGER PRIMARY KEY, body TEXT)")
    raw = []
    for k in range(n):
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO a (adm, item, code) VALUES (1, ?, 1)", (f"q{k}",))
        con.execute("INSERT INTO e (body) VALUES (?)", ("x" * 300,))
        con.execute("COMMIT")
        raw.append(_wal_pages(raw_path))
    con.close()
    return [record("autosave_wal_pages_per_answer", statistics.mean(pages), "pages",
                   baseline="raw sqlite3 two-row transaction, same run",
                   baseline_value=statistics.mean(raw), goal=6, audit_rows_per_answer=1)]


def run() -> list[dict]:
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        return bench_autosave() + bench_audit_density()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
