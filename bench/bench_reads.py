"""Workstation reads at 10 000 patients (issue 16), each beside a raw ``sqlite3`` floor that
reads the same rows in the same run, interleaved, wall and CPU.

The database: ``generate_demo_data`` (through the services: real audit trail, scores, clinical
assessments, signatures, alerts, outcome records) makes the first patients DEMO-0001…; the other
patients up to 10 000 are bulk rows of the same shape (patients, scheduled visits, submitted
SF-36 + CSC administrations with their scores; no answers and no audit rows of their own), and
the ``patient_summary`` cache is rebuilt once. The opened patient is DEMO-0001, i.e. a patient
at the density the services produce, in a 10 000-patient database.

* ``patient_list_10k_ms``: what the workstation's worker runs after login
  (``ui.nurse.backend.StorageBackend.list_patients``: the storage query, arm labels, alert
  words). Floor: the same columns of the same join and the open alerts, raw ``sqlite3``.
* ``patient_list_10k_view_ms``: the GUI thread's share of a reload: those rows into the real
  ``PatientTableModel`` behind the real ``PatientFilterProxy`` and ``PatientTableView`` (shown,
  offscreen, 1280×800, columns sized to their contents, sorting on as in ``work_area.py``),
  until laid out and painted. Floor: the same with a stock ``QTableView`` (Qt's
  ``ResizeToContents`` over up to 1000 rows), same run, interleaved.
* ``open_patient_10k_ms``: what opening a patient runs (``main_window.select_patient``'s load:
  patient, visits, trend points — scores, trend answers and liver scores of every visit —, the
  audit trail with its visit/question look-ups, the arm label). Floor: raw ``sqlite3`` reading
  the same rows (patient, visits, administrations, scores, answers, clinical assessments, the
  patient's audit rows and the look-ups' rows).
"""
from __future__ import annotations

import os
import random
import shutil
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.__main__ import record  # noqa: E402
from bench.measure import interleaved, scaled  # noqa: E402

WORK = Path(__file__).resolve().parent / "_work" / "reads"
N = scaled(10_000, 2_000)
DEMO_N = scaled(3, 1)


def _bulk(db, first_index: int, n: int) -> None:  # noqa: ANN001
    """``n`` bulk patients after the existing ones (ids continue from the largest)."""
    from sqlalchemy import func, insert, select

    from forms import schedule as sched
    from storage import services as sv
    from storage.models import Administration, Patient, Score, Study, Visit
    protocol = sv.current_protocol(db)
    schedule, arms = sched.protocol_schedule(protocol), [a.id for a in protocol.arms]
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    today = date.today()
    with db.session() as s:
        study_id = s.scalar(select(Study.id).limit(1))
        pid0 = s.scalar(select(func.max(Patient.id))) or 0
        vid = s.scalar(select(func.max(Visit.id))) or 0
        aid = s.scalar(select(func.max(Administration.id))) or 0
    patients, visits, adms, scores = [], [], [], []
    for k in range(n):
        pid = pid0 + 1 + k
        day1 = today - timedelta(days=k % 300)
        patients.append(dict(id=pid, study_id=study_id, subject_id=f"P-{first_index + k:05d}",
                             initials="XY", sex="FM"[k % 2], birth_year=1960, arm=arms[k % len(arms)],
                             consent_date=day1 - timedelta(days=7), day1_date=day1,
                             status="enrolled", full_name=f"名字{k}", created_at=now,
                             version_id=1))
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
            if not done:
                continue
            for inst, alg, vals in (
                    ("rand36", "sf36v1-ware1993-norms1990",
                     {"sf36_pcs": rng.uniform(30, 55), "sf36_mcs": rng.uniform(30, 55)}),
                    ("csc", "csc-1.0", {"rss": rng.uniform(0, 3), "alert": ""})):
                aid += 1
                adms.append(dict(id=aid, visit_id=vid, instrument_id=inst,
                                 instrument_version="1.0", content_hash="0" * 64,
                                 language="en", status="submitted", started_at=now,
                                 submitted_at=now, originator="patient", version_id=1))
                scores.append(dict(administration_id=aid, algorithm_id=alg,
                                   algorithm_version="1.0", values=vals, computed_at=now,
                                   version_id=1))
    with db.engine.begin() as c:
        for model, rows in ((Patient, patients), (Visit, visits), (Administration, adms),
                            (Score, scores)):
            for i in range(0, len(rows), 20_000):
                c.execute(insert(model), rows[i:i + 20_000])


def build(path: Path):  # noqa: ANN201
    from storage import services as sv
    from storage.db import open_database
    from storage.demo import generate_demo_data
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    db = open_database(f"sqlite:///{path}")
    generate_demo_data(db, patients=DEMO_N, seed=1)
    _bulk(db, DEMO_N + 1, N - DEMO_N)
    sv.rebuild_patient_summary(db)     # bulk rows bypass the services that keep it current
    return db


def _floor_list(path: Path):  # noqa: ANN202
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def run() -> None:
        con.execute("BEGIN")
        rows = con.execute(
            "SELECT p.id, p.subject_id, p.initials, p.arm, p.status, p.full_name,"
            " s.next_visit_code, s.next_visit_date, s.next_visit_earliest, s.next_visit_latest,"
            " s.next_visit_actual, s.last_pcs, s.last_mcs, s.last_rss, s.alert FROM patient p"
            " LEFT JOIN patient_summary s ON s.patient_id = p.id ORDER BY p.subject_id"
        ).fetchall()
        alerts = con.execute("SELECT * FROM alert WHERE acknowledged_at IS NULL").fetchall()
        con.execute("ROLLBACK")
        assert len(rows) == N and alerts is not None
    return run, con


def _floor_open(path: Path, pid: int):  # noqa: ANN202
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def run() -> None:
        con.execute("BEGIN")
        con.execute("SELECT * FROM patient WHERE id = ?", (pid,)).fetchall()
        # the patient's visits and administrations as sub-queries: constant SQL, one bound id
        con.execute("SELECT id FROM visit WHERE patient_id = ? ORDER BY sequence",
                    (pid,)).fetchall()
        con.execute("SELECT id FROM administration WHERE visit_id IN"
                    " (SELECT id FROM visit WHERE patient_id = ?)", (pid,)).fetchall()
        con.execute("SELECT * FROM score WHERE administration_id IN (SELECT a.id FROM"
                    " administration a JOIN visit v ON v.id = a.visit_id WHERE"
                    " v.patient_id = ?)", (pid,)).fetchall()
        con.execute("SELECT id, administration_id, item_id, code FROM answer WHERE"
                    " administration_id IN (SELECT a.id FROM administration a JOIN visit v"
                    " ON v.id = a.visit_id WHERE v.patient_id = ?)", (pid,)).fetchall()
        con.execute("SELECT * FROM clinical_assessment WHERE visit_id IN"
                    " (SELECT id FROM visit WHERE patient_id = ?)", (pid,)).fetchall()
        con.execute("SELECT id, visit_id FROM signature WHERE visit_id IN"
                    " (SELECT id FROM visit WHERE patient_id = ?)", (pid,)).fetchall()
        con.execute("SELECT id, visit_id FROM alert WHERE patient_id = ?", (pid,)).fetchall()
        con.execute("SELECT * FROM audit_event WHERE patient_id = ? ORDER BY seq",
                    (pid,)).fetchall()
        con.execute("ROLLBACK")
    return run, con


def _view_fill(rows: list, stock: bool):  # noqa: ANN202
    """A reload of ``rows`` into the workstation's list (model, proxy, view as in
    ``ui/nurse/work_area.py``), until laid out and painted; ``stock``: a plain ``QTableView``."""
    from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

    from ui.nurse.patient_table import ALERT_COLUMN_PX, COL, PatientFilterProxy, \
        PatientTableModel
    from ui.nurse.patient_view import PatientTableView
    app = QApplication.instance() or QApplication([])
    model, proxy = PatientTableModel(), PatientFilterProxy()
    proxy.setSourceModel(model)
    view = QTableView() if stock else PatientTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(COL["alert"], QHeaderView.ResizeMode.Interactive)
    view.setColumnWidth(COL["alert"], ALERT_COLUMN_PX)
    view.resize(1280, 800)
    view.show()
    app.processEvents()

    def fill() -> None:
        model.set_rows(rows)
        app.processEvents()
        view.viewport().repaint()
        assert proxy.rowCount() == len(rows)
    return fill, view


def run() -> list[dict]:
    from storage import services as sv
    from ui.nurse.backend import StorageBackend
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "reads.db"
    db = build(path)
    try:
        b = StorageBackend(db)
        pid = sv.find_patient(db, "DEMO-0001").id
        audit_rows = len(sv.audit_trail(db, pid))

        def open_patient() -> None:       # ui/nurse/main_window.py select_patient's load()
            info = b.patient(pid)
            b.patient_visits(pid)
            b.trend_points(pid)
            b.audit(patient_id=pid)
            b.arm_label(info.arm)

        floor_list, c1 = _floor_list(path)
        floor_open, c2 = _floor_open(path, pid)
        lst, lst_floor = interleaved(b.list_patients, floor_list, repeat=7)
        rows = b.list_patients()
        ours_view, v1 = _view_fill(rows, stock=False)
        stock_view, v2 = _view_fill(rows, stock=True)
        view, view_stock = interleaved(ours_view, stock_view, repeat=5)
        v1.close()
        v2.close()
        opn, opn_floor = interleaved(open_patient, floor_open, repeat=7)
        c1.close()
        c2.close()
    finally:
        db.dispose()
        shutil.rmtree(WORK, ignore_errors=True)
    tag = "10k" if N == 10_000 else f"{N}"
    return [
        record(f"patient_list_{tag}_ms", lst.wall, "ms",
               baseline="raw sqlite3: same join + open alerts, same run, interleaved",
               baseline_value=lst_floor.wall, goal_ms=50, cpu_ms=round(lst.cpu, 2),
               baseline_cpu_ms=round(lst_floor.cpu, 2), patients=N,
               note="StorageBackend.list_patients (the workstation's worker), median of 7"),
        record(f"patient_list_{tag}_view_ms", view.wall, "ms",
               baseline="stock QTableView, Qt's ResizeToContents (up to 1000 rows), same run, "
                        "interleaved",
               baseline_value=view_stock.wall, cpu_ms=round(view.cpu, 2),
               baseline_cpu_ms=round(view_stock.cpu, 2), patients=N,
               note="GUI thread: set_rows + layout + paint of the list rows, median of 5"),
        record(f"open_patient_{tag}_ms", opn.wall, "ms",
               baseline="raw sqlite3: the same rows (visits, scores, answers, clinical, "
                        "audit), same run, interleaved",
               baseline_value=opn_floor.wall, goal_ms=150, cpu_ms=round(opn.cpu, 2),
               baseline_cpu_ms=round(opn_floor.cpu, 2), patients=N, audit_rows=audit_rows,
               note="select_patient's load for DEMO-0001 (services-made), median of 7"),
    ]
