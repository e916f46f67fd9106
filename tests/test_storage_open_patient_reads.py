"""Opening a patient reads in a bounded number of queries (issue 16, ``open_patient_10k_ms``):
``patient_trend_data`` gives what the per-visit calls gave, in one read transaction whose
statement count does not grow with the visits; the patient list's dates stay dates."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event

from storage import services as sv
from storage.db import open_database
from storage.demo import generate_demo_data


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("openpat")) / "demo.db"
    db = open_database(f"sqlite:///{path}")
    generate_demo_data(db, patients=2, seed=1)     # through the services: scores, labs, alerts
    yield db
    db.dispose()


def _per_visit(db, patient_id: int) -> list[tuple]:  # noqa: ANN001
    """The same data through the per-visit services (what opening a patient used to call)."""
    out = []
    for v in sv.patient_visits(db, patient_id):
        scores = {inst: {alg: d["values"] or {} for alg, d in algos.items()}
                  for inst, algos in sv.visit_scores(db, v.id).items()}
        answers = tuple((a.instrument_id, dict(a.answers))
                        for a in sv.visit_administrations(db, v.id) if a.status == "submitted")
        ca = sv.clinical_assessment(db, v.id)
        out.append((v.id, v.code, scores, answers,
                    None if ca is None else (ca["derived"] or {})))
    return out


def test_trend_data_matches_the_per_visit_reads(demo_db) -> None:  # noqa: ANN001
    pid = sv.find_patient(demo_db, "DEMO-0001").id
    got = [(t.visit_id, t.code, t.scores, t.answers, t.clinical_derived)
           for t in sv.patient_trend_data(demo_db, pid)]
    assert got == _per_visit(demo_db, pid)
    assert sum(1 for t in got if t[2]) >= 3 and any(t[4] for t in got)   # real content


def test_trend_data_statements_do_not_grow_with_visits(demo_db) -> None:  # noqa: ANN001
    statements: list[str] = []

    def count(conn, cursor, statement, *_a) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)
    event.listen(demo_db.engine, "before_cursor_execute", count)
    try:
        pid = sv.find_patient(demo_db, "DEMO-0001").id
        visits = len(sv.patient_visits(demo_db, pid))
        statements.clear()
        sv.patient_trend_data(demo_db, pid)
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", count)
    assert visits >= 8 and len(statements) == 5


def test_patient_list_dates_are_dates(demo_db) -> None:  # noqa: ANN001
    rows = sv.list_patients(demo_db)
    assert rows and all(isinstance(r.next_visit_date, date) for r in rows
                        if r.next_visit_code is not None)
    assert {r.next_visit_window_status for r in rows} - {None}


def test_answer_audit_rows_leave_out_the_administrations_instrument(tmp_path) -> None:  # noqa: ANN001
    """An answer's instrument id and version are the administration's (composite foreign key):
    its audit rows do not repeat them (db_kb_per_patient); the chain still verifies."""
    import json
    import sqlite3

    from storage.audit_verify import verify_sqlite_file
    db = open_database(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        generate_demo_data(db, patients=1, seed=3)
    finally:
        db.dispose()
    con = sqlite3.connect(tmp_path / "a.db")
    rows = [json.loads(c) for (c,) in con.execute(
        "SELECT changes FROM audit_event WHERE entity = 'answer' AND operation = 'insert'")]
    adm = [json.loads(c) for (c,) in con.execute(
        "SELECT changes FROM audit_event WHERE entity = 'administration' "
        "AND operation = 'insert'")]
    con.close()
    assert rows and all({"code", "item_id", "administration_id", "answered_at"} & set(r)
                        for r in rows)
    assert not any({"instrument_id", "instrument_version"} & set(r) for r in rows)
    assert adm and all({"instrument_id", "instrument_version"} <= set(a) for a in adm)
    assert verify_sqlite_file(tmp_path / "a.db").ok
