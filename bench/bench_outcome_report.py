"""Outcome report benchmark: ``outcome_report_1k_s`` (goal ≤ 10 s) — the whole report (dataset
read, tables, PDF in en, every CSV) for 1 000 generated patients with 6 visits of SF-36 + CSC
each (``bench.export_db.build_bulk``) and, per patient, an infusion, baseline imaging and a
vital status, an AE for every 5th, a death for every 40th (Core inserts, no audit rows).
``EPRO_BENCH_REPORT_PATIENTS`` overrides the size."""
from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.__main__ import record
from bench.measure import scaled


def _outcomes(db) -> None:
    from sqlalchemy import insert, select

    from storage import services as sv
    from storage.auth_sessions import system_actor
    from storage.models import OutcomeRecord, Patient, Visit
    uid = sv.create_user(db, system_actor(), username="bench-nurse", full_name="Bench Nurse",
                          role="nurse", password="Sphinx-of-black-quartz-7")
    now = datetime.now(timezone.utc)
    with db.session() as s:
        pats = s.execute(select(Patient.id, Patient.day1_date)).fetchall()
        bl = {pid: vid for vid, pid in s.execute(select(Visit.id, Visit.patient_id)
                                                 .where(Visit.code == "BL"))}
        rows = []
        for k, (pid, day1) in enumerate(pats):
            def add(kind, fields, d, visit=None):
                rows.append({"patient_id": pid, "visit_id": visit, "kind": kind, "fields": fields,
                             "event_date": d, "entered_by": uid, "entered_at": now,
                             "version_id": 1})
            add("infusion", {"date": day1.isoformat(), "cell_count_e6": 50, "lot": "L1",
                             "start_time": "09:00"}, day1)
            add("imaging", {"date": day1.isoformat(), "modality": "ultrasound",
                            "liver_size_cm": 12 + k % 5, "portal_vein_mm": 12 + k % 4}, day1,
                bl.get(pid))
            alive = day1 + timedelta(days=90)
            if k % 40 == 0:
                add("vital_status", {"contact_date": alive.isoformat(), "status": "dead",
                                     "death_date": alive.isoformat()}, alive)
            else:
                add("vital_status", {"contact_date": alive.isoformat(), "status": "alive",
                                     "last_known_alive": alive.isoformat()}, alive)
            if k % 5 == 0:
                add("adverse_event", {"term": "Fever", "onset": day1.isoformat(),
                                      "grade": 1 + k % 4, "serious": "yes" if k % 20 == 0 else "no",
                                      "relatedness": "possible", "action": "none",
                                      "outcome": "recovered"}, day1)
        s.execute(insert(OutcomeRecord), rows)


def run() -> list[dict]:
    from bench.export_db import build_bulk
    from reports.outcome_report.command import build_report
    from storage.db import open_database
    n = int(os.environ.get("EPRO_BENCH_REPORT_PATIENTS", str(scaled(1000, 100))))
    with tempfile.TemporaryDirectory() as d:
        db = open_database(f"sqlite:///{Path(d) / 'bench.db'}")
        build_bulk(db, n, visits_done=6)
        _outcomes(db)
        t = time.perf_counter()
        files, _w = build_report(db, Path(d) / "report.pdf", Path(d) / "csv", "en")
        elapsed = time.perf_counter() - t
        pages = (Path(d) / "report.pdf").read_bytes().count(b"/Type /Page\n")
        db.dispose()
    tag = "1k" if n == 1000 else f"{n}"
    return [record(f"outcome_report_{tag}_s", elapsed, "s", baseline="goal 10 s",
                   baseline_value=10.0, patients=n, files=len(files), pdf_pages=pages)]
