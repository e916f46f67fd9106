"""Storage benchmarks: autosave latency (vs raw sqlite3), patient list and history on 10 000
patients, demo-data generation speed."""
from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from bench.__main__ import record

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


def bench_autosave(n: int = 2000) -> list[dict]:
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
    times = []
    rng = random.Random(1)
    for k in range(n):
        adm, pid = adms[k // 36]
        t = time.perf_counter()
        sv.record_answer(db, patients[adm], adm, f"q{k % 36 + 1}", rng.choice((1, 2)))
        times.append((time.perf_counter() - t) * 1000)
    db.dispose()
    raw_path = WORK / "raw.db"
    for p in WORK.glob("raw.db*"):
        p.unlink()
    con = sqlite3.connect(raw_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, adm INT, item TEXT, code INT, at TEXT)")
    raw = []
    for k in range(n):
        t = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO a (adm, item, code, at) VALUES (?, ?, ?, ?)",
                    (k // 36, f"q{k % 36}", 1, datetime.now(timezone.utc).isoformat()))
        con.execute("COMMIT")
        raw.append((time.perf_counter() - t) * 1000)
    con.close()
    return [record("autosave_p99_ms", _p99(times), "ms",
                   baseline="raw sqlite3 insert+commit, WAL+FULL, same run",
                   baseline_value=_p99(raw), goal_ratio=4, n=n,
                   median_ms=round(statistics.median(times), 3))]


def _bulk_10k(db, n: int = 10_000) -> None:  # noqa: ANN001
    """Bench-only bulk rows (no audit): the shape of a 10 000-patient study."""
    from forms import schedule as sched
    from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol
    from storage.models import Administration, Patient, Score, Visit
    protocol = load_protocol(DEFAULT_PROTOCOL_PATH)
    schedule, arms = sched.protocol_schedule(protocol), [a.id for a in protocol.arms]
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    today = date.today()
    with db.engine.begin() as c:
        c.execute(Patient.__table__.insert(), [dict(
            study_id=1, subject_id=f"P-{i:05d}", initials="XY", sex="F", birth_year=1960,
            arm=arms[i % len(arms)], consent_date=today, day1_date=today - timedelta(days=i % 300),
            status="enrolled", full_name=f"名字{i}", created_at=now, version_id=1)
            for i in range(1, n + 1)])
        visits, vid = [], 0
        adms, scores = [], []
        for pid in range(1, n + 1):
            day1 = today - timedelta(days=(pid - 1) % 300)
            for seq, vd in enumerate(schedule, start=1):
                vid += 1
                pv = sched.plan(vd, day1)
                done = pv.target_date < today
                visits.append(dict(id=vid, patient_id=pid, code=vd.code, sequence=seq,
                                   target_day=vd.target_day,
                                   window_before=vd.target_day - vd.earliest_day,
                                   window_after=vd.latest_day - vd.target_day,
                                   planned_date=pv.target_date,
                                   actual_date=pv.target_date if done else None,
                                   status="completed" if done else "planned",
                                   out_of_window=False, version_id=1))
                if done:
                    for inst, alg, vals in (
                            ("rand36", "sf36v1-ware1993-norms1990",
                             {"sf36_pcs": rng.uniform(30, 55), "sf36_mcs": rng.uniform(30, 55)}),
                            ("csc", "csc-1.0", {"rss": rng.uniform(0, 3), "alert": ""})):
                        aid = len(adms) + 1
                        adms.append(dict(id=aid, visit_id=vid, instrument_id=inst,
                                         instrument_version="1.0", content_hash="0" * 64,
                                         language="en", status="submitted", started_at=now,
                                         submitted_at=now, originator="patient", version_id=1))
                        scores.append(dict(administration_id=aid, algorithm_id=alg,
                                           algorithm_version="1.0", values=vals,
                                           computed_at=now, version_id=1))
        c.execute(Visit.__table__.insert(), visits)
        c.execute(Administration.__table__.insert(), adms)
        c.execute(Score.__table__.insert(), scores)


def bench_queries() -> list[dict]:
    from storage import services as sv
    db, _path = _fresh("list10k.db")
    _bulk_10k(db)
    # bulk rows bypass the services, so the derived patient_summary cache is built once here
    # (the services keep it current in every transaction; see storage/patient_summary.py)
    t = time.perf_counter()
    sv.rebuild_patient_summary(db)
    t_rebuild = time.perf_counter() - t
    sv.list_patients(db)                                   # warm caches
    t_list = []
    for _ in range(5):
        t = time.perf_counter()
        rows = sv.list_patients(db)
        t_list.append((time.perf_counter() - t) * 1000)
    assert len(rows) == 10_000
    t_hist = []
    for pid in (17, 4242, 9999):
        t = time.perf_counter()
        for v in sv.patient_visits(db, pid):
            sv.visit_scores(db, v.id)
        t_hist.append((time.perf_counter() - t) * 1000)
    db.dispose()
    return [record("patient_list_10k_ms", statistics.median(t_list), "ms", goal_ms=100,
                   note="storage.services.list_patients (patient_summary cache), median of 5",
                   min_ms=round(min(t_list), 1)),
            record("patient_summary_rebuild_10k_s", t_rebuild, "s",
                   note="rebuild_patient_summary on 10 000 patients (one-off/maintenance)"),
            record("patient_history_ms", statistics.median(t_hist), "ms", goal_ms=30,
                   note="patient_visits + visit_scores of every visit, median of 3 patients")]


def _demo_seconds(n: int) -> float:
    from storage.demo import generate_demo_data
    from storage.db import open_database
    path = WORK / f"demo{n}.db"
    for p in WORK.glob(f"demo{n}.db*"):
        p.unlink()
    db = open_database(f"sqlite:///{path}")
    t = time.perf_counter()
    made = generate_demo_data(db, patients=n, seed=1)
    s = time.perf_counter() - t
    db.dispose()
    assert made == n
    return s


def bench_demo() -> list[dict]:
    """Measured, not extrapolated: 20 patients (what `--demo` creates on first start) and
    1 000 patients (EPRO_BENCH_DEMO_N overrides the larger N)."""
    small = _demo_seconds(20)
    n = int(os.environ.get("EPRO_BENCH_DEMO_N", "1000"))
    big = _demo_seconds(n)
    return [record("demo_data_20_s", small, "s", note="generate_demo_data(20), measured"),
            record("demo_data_1k_s" if n == 1000 else f"demo_data_{n}_s", big, "s",
                   note=f"generate_demo_data({n}), measured (not extrapolated)",
                   per_patient_s=round(big / n, 4))]


def _wal_pages(path: Path) -> float:
    wal = Path(str(path) + "-wal")
    return (wal.stat().st_size - 32) / (4096 + 24) if wal.exists() else 0.0


def _checkpoint(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def bench_audit_density(n: int = 36, patients: int = 20) -> list[dict]:
    """WAL pages written by one new answer (WAL truncated before each, so each count is that
    answer's commit alone: answer row + its index + one audit row + its two indexes), against
    a raw sqlite3 two-row transaction in the same run; database KB per demo patient (full
    audit trail, `demo-data --patients 20`)."""
    from storage import services as sv
    from storage.db import open_database
    from storage.demo import eligible_screening, generate_demo_data
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
    demo_path = WORK / "density_demo.db"
    for p in WORK.glob("density_demo.db*"):
        p.unlink()
    demo = open_database(f"sqlite:///{demo_path}")
    generate_demo_data(demo, patients=patients, seed=1)
    demo.dispose()
    _checkpoint(demo_path)
    kb = demo_path.stat().st_size / 1024 / patients
    return [record("autosave_wal_pages_per_answer", statistics.mean(pages), "pages",
                   baseline="raw sqlite3 two-row transaction, same run",
                   baseline_value=statistics.mean(raw), goal=6, audit_rows_per_answer=1),
            record("db_kb_per_patient", kb, "KB", goal=200, patients=patients,
                   note="demo-data database file after a checkpoint / patients")]


def run() -> list[dict]:
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        return bench_autosave() + bench_audit_density() + bench_queries() + bench_demo()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
