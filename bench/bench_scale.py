"""A 1 000-patient database made by the services (issue 16), and what it costs to make, store,
export and open.

``generate_demo_data`` writes every patient through the storage services (real audit trail,
scores, clinical assessments, signatures, alerts, outcome records): the density a site's
database has. On that one database, in one run:

* ``demo_data_1k_s``: making it (wall; ``cpu_s`` beside). No floor: the goal is absolute (≤ 40 s).
* ``db_kb_per_patient``: file size after a checkpoint / patients (goal ≤ 200), with each table's
  and index's share (``dbstat``) and the audit trail's bytes per row: the profile of the figure.
* ``export_csv_1k_real_s``: ``export --format csv``'s work (``reports.export.csv_folder``) in a
  fresh process, wall, CPU and peak RSS (goal ≤ 20 s, ≤ 200 MB). Floor: a process that reads
  every row of every table with raw ``sqlite3`` and writes them with ``csv.writer`` (same run,
  alternating).
* ``workstation_login_screen_ratio``: ``python main.py --database …`` until the staff login is
  on screen (``LOGIN_SHOWN``: shown before the storage layer is loaded, the database opening on
  a worker), against a process that opens the same database with ``sqlite3``, reads the
  accounts and shows a bare window; interleaved, median of 5 each (goal ≤ 4). Beside it
  ``login_ready_s``/``login_ready_ratio``: until that login can check a password
  (``EPRO_EXIT_AFTER_FIRST_SCREEN``), and the CPU of the child processes.

``make bench-quick`` makes 20 patients instead (the names then say ``_20``);
``EPRO_BENCH_SCALE_PATIENTS`` sets another size.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.__main__ import record
from bench.measure import children_cpu_s, cpu_s, scaled

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(__file__).resolve().parent / "_work" / "scale"
N = int(os.environ.get("EPRO_BENCH_SCALE_PATIENTS", str(scaled(1000, 20))))
TAG = "1k" if N == 1000 else str(N)

BARE = r"""
import sqlite3, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=rw", uri=True)
con.execute("PRAGMA journal_mode=WAL")
users = con.execute("SELECT username FROM user_account").fetchall()
w = QLabel(f"bare ({len(users)})"); w.resize(1280, 800); w.show()
def done():
    print("FIRST_SCREEN_SHOWN", flush=True); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

FLOOR_EXPORT = r"""
import csv, json, sqlite3, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench.measure import peak_rss_mb
t = time.perf_counter()
out = Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = {}
for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
    cur = con.execute(f'SELECT * FROM "{name}"')   # an identifier from sqlite_master, no value
    with open(out / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([d[0] for d in cur.description])
        n = 0
        for row in cur:
            w.writerow(row); n += 1
    rows[name] = n
print(json.dumps({"s": time.perf_counter() - t, "rows": sum(rows.values()),
                  "rss_peak_mb": peak_rss_mb()}))
"""


def _make(path: Path) -> tuple[float, float, int]:
    """(wall, CPU, SQL statements sent) of ``generate_demo_data`` for N patients."""
    from sqlalchemy import event

    from storage.db import open_database
    from storage.demo import generate_demo_data
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    db = open_database(f"sqlite:///{path}")
    sent = [0]

    def count(*_a: object) -> None:
        sent[0] += 1
    event.listen(db.engine, "before_cursor_execute", count)
    c0, t0 = cpu_s(), time.perf_counter()
    made = generate_demo_data(db, patients=N, seed=1)
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    event.remove(db.engine, "before_cursor_execute", count)
    db.dispose()
    assert made == N
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return wall, cpu, sent[0]


def _density(path: Path) -> dict:
    con = sqlite3.connect(path)
    try:
        per = con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name "
                          "ORDER BY 2 DESC").fetchall()
        audit_rows = con.execute("SELECT COUNT(*) FROM audit_event").fetchone()[0]
        payload = con.execute("SELECT AVG(LENGTH(changes)), AVG(LENGTH(detail)) "
                              "FROM audit_event").fetchone()
    finally:
        con.close()
    total = sum(b for _n, b in per)
    audit = dict(per).get("audit_event", 0)
    return {"kb_per_patient_by_object": {n: round(b / 1024 / N, 1) for n, b in per[:8]},
            "audit_event_share": round(audit / total, 3) if total else None,
            "audit_rows_per_patient": round(audit_rows / N, 1),
            "audit_bytes_per_row": round(audit / audit_rows, 1) if audit_rows else None,
            "audit_changes_json_avg_chars": round(payload[0] or 0, 1),
            "audit_detail_avg_chars": round(payload[1] or 0, 1)}


def _export_pair(path: Path) -> tuple[dict, dict, float, float]:
    from bench.bench_export import _child
    out, floor_out = WORK / "csv", WORK / "csv_floor"
    c0 = children_cpu_s()
    ours = _child("csv", f"sqlite:///{path}", out)
    c1 = children_cpu_s()
    res = subprocess.run([sys.executable, "-c", FLOOR_EXPORT, str(path), str(floor_out),
                          str(ROOT)],
                         capture_output=True, text=True, check=True)
    c2 = children_cpu_s()
    floor = json.loads(res.stdout.strip().splitlines()[-1])
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(floor_out, ignore_errors=True)
    return ours, floor, c1 - c0, c2 - c1


def _start(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall until the first screen can be used, CPU, wall until the first screen is shown):
    the workstation prints ``LOGIN_SHOWN <unix time>`` when its login screen is up and exits
    when that login can check a password (database opened and checked); the bare window has
    one moment for both."""
    c0, t0, u0 = children_cpu_s(), time.perf_counter(), time.time()
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - t0
    if "FIRST_SCREEN_SHOWN" not in out.stdout:
        raise RuntimeError(f"no first-screen marker: {out.stdout[-500:]} {out.stderr[-2000:]}")
    shown = [float(line.split()[1]) - u0 for line in out.stdout.splitlines()
             if line.startswith("LOGIN_SHOWN ")]
    return wall, children_cpu_s() - c0, shown[0] if shown else wall


def _login_screen(path: Path, runs: int = 5) -> tuple[list, list]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "EPRO_EXIT_AFTER_FIRST_SCREEN": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)   # an installed app has its bytecode compiled
    ours = [sys.executable, "main.py", "--database", f"sqlite:///{path}"]
    bare = [sys.executable, "-c", BARE, str(path)]
    _start(ours, env)                     # warm the file cache for both
    a, b = [], []
    for k in range(runs):
        for cmd, acc in ((ours, a), (bare, b)) if k % 2 == 0 else ((bare, b), (ours, a)):
            acc.append(_start(cmd, env))
    return a, b


def run() -> list[dict]:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "scale.db"
    try:
        wall, cpu, sent = _make(path)
        kb = path.stat().st_size / 1024 / N
        density = _density(path)
        ours, floor, ours_cpu, floor_cpu = _export_pair(path)
        login, bare = _login_screen(path)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    lw = statistics.median(s for _w, _c, s in login)
    bw = statistics.median(w for w, _c, _s in bare)
    ready = statistics.median(w for w, _c, _s in login)
    return [
        record(f"demo_data_{TAG}_s", wall, "s", goal_s=40, cpu_s=round(cpu, 2), patients=N,
               per_patient_cpu_s=round(cpu / N, 4),
               statements_per_patient=round(sent / N, 1),
               note="generate_demo_data through the services, measured (not extrapolated)"),
        record("db_kb_per_patient", kb, "KB", goal=200, patients=N, **density,
               note="services-made database file after a checkpoint / patients"),
        record(f"export_csv_{TAG}_real_s", ours["s"], "s",
               baseline="raw sqlite3 SELECT * of every table -> csv.writer, same run",
               baseline_value=floor["s"], goal_s=20, goal_rss_mb=200,
               cpu_s=round(ours_cpu, 2), baseline_cpu_s=round(floor_cpu, 2),
               peak_rss_mb=round(ours["rss_peak_mb"], 1), rows=ours["rows"], patients=N,
               note="export_csv in a fresh process on the services-made database"),
        record("workstation_login_screen_ratio", lw, "s",
               baseline="process: sqlite3 opens the same database, reads the accounts, shows "
                        "a bare window; interleaved",
               baseline_value=bw, goal_ratio=4, patients=N,
               login_ready_s=round(ready, 4), login_ready_ratio=round(ready / bw, 3),
               cpu_s=round(statistics.median(c for _w, c, _s in login), 3),
               baseline_cpu_s=round(statistics.median(c for _w, c, _s in bare), 3),
               note="python main.py --database <that database> until the staff login shows "
                    "(LOGIN_SHOWN: typing possible, the database still opening on a worker); "
                    "login_ready_s: until that login can check a password (storage loaded, "
                    "database opened and checked; cpu_s is of this whole run); median of 5"),
    ]
