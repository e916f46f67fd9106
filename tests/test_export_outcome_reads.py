"""The CSV export reads each source once (issue 15: the export was ~30 % slower).

``enrolment_records`` feeds both ``enrolment.csv`` and ``subjects.csv``: read once per export.
``list_outcomes`` reads plain column rows (no ORM object per record). Same content: the files
from one read equal what the services return, also for a one-subject export.
"""
from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event

from reports.export.commands import instruments
from reports.export.csv_folder import export_csv
from reports.outcome_report.dataset import build_dataset
from storage import services as sv
from storage.models import Enrolment, OutcomeRecord
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401

_FROM_ENROLMENT = re.compile(r"\bFROM enrolment\b(?!_)")


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _study(db) -> list[int]:  # noqa: ANN001
    nurse = staff(db, "nurse")
    today = date.today()
    pids = []
    for n in range(3):
        v = enrol(db, f"T-RD{n}", day1=today - timedelta(days=30))
        pids.append(v.patient_id)
        sv.record_outcome(db, nurse, v.patient_id, "imaging",
                          {"date": today, "modality": "ct", "liver_size_cm": 12 + n},
                          visit_id=v.visit_id)
        sv.record_outcome(db, nurse, v.patient_id, "adverse_event", {
            "term": "Fever", "onset": today - timedelta(days=2), "grade": 1 + n,
            "serious": "no", "relatedness": "possible", "action": "none",
            "outcome": "recovered"})
    return pids


def test_one_export_reads_enrolment_once_and_no_outcome_orm_objects(sqlite_db,  # noqa: F811
                                                                      tmp_path) -> None:
    _study(sqlite_db)
    statements: list[str] = []
    loaded: list[object] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement)

    def load(target, _ctx) -> None:  # noqa: ANN001
        loaded.append(target)

    event.listen(sqlite_db.engine, "before_cursor_execute", seen)
    event.listen(OutcomeRecord, "load", load)
    event.listen(Enrolment, "load", load)
    try:
        export_csv(sqlite_db, tmp_path / "out", instruments())
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", seen)
        event.remove(OutcomeRecord, "load", load)
        event.remove(Enrolment, "load", load)
    assert sum(1 for s in statements if _FROM_ENROLMENT.search(s)) == 1
    assert not [x for x in loaded if isinstance(x, OutcomeRecord)]
    # the content: every stored record and every enrolment, once
    subjects = _read(tmp_path / "out" / "subjects.csv")
    enrolment = _read(tmp_path / "out" / "enrolment.csv")
    assert [r["subject_id"] for r in subjects] == [r["subject_id"] for r in enrolment] == [
        s for s, _rec in sv.enrolment_records(sqlite_db)]
    assert {r["subject_id"]: r["arm"] for r in subjects} == {
        s: rec.arm for s, rec in sv.enrolment_records(sqlite_db)}
    stored = sv.list_outcomes(sqlite_db, None, kind="adverse_event")
    aes = _read(tmp_path / "out" / "adverse_events.csv")
    assert [(r["subject_id"], r["record_id"], r["grade"], r["entered_by"]) for r in aes] == [
        (x.subject_id, str(x.id), str(x.fields["grade"]), x.entered_by) for x in stored]


def test_a_one_subject_export_keeps_only_that_subject(sqlite_db, tmp_path) -> None:  # noqa: F811
    _study(sqlite_db)
    export_csv(sqlite_db, tmp_path / "one", instruments(), subject="T-RD1")
    for name in ("enrolment.csv", "subjects.csv", "imaging.csv", "adverse_events.csv"):
        assert {r["subject_id"] for r in _read(tmp_path / "one" / name)} == {"T-RD1"}, name
    crit = _read(tmp_path / "one" / "enrolment_criteria.csv")
    assert crit and {r["subject_id"] for r in crit} == {"T-RD1"}


def test_list_outcomes_rows_are_the_stored_values(sqlite_db) -> None:  # noqa: F811
    pids = _study(sqlite_db)
    [img] = sv.list_outcomes(sqlite_db, None, patient_id=pids[2], kind="imaging")
    assert (img.kind, img.subject_id, img.visit_code, img.version, img.entered_by) == (
        "imaging", "T-RD2", "BL", 1, "nurse")
    assert img.fields == {"date": date.today().isoformat(), "modality": "ct",
                          "liver_size_cm": 14}
    assert img.event_date == date.today() and img.entered_at.tzinfo is not None
    assert img.visit_id is not None and img.patient_id == pids[2]


def test_the_report_reads_only_the_outcome_alerts(sqlite_db) -> None:  # noqa: F811
    pids = _study(sqlite_db)
    nurse = staff(sqlite_db, "nurse")
    sv.raise_alert(sqlite_db, nurse, patient_id=pids[0], visit_id=None, source="clinical",
                   severity="amber", reason="child_pugh_rise", params={"baseline": 5, "now": 7},
                   form="clinician", field="child_pugh")
    sv.record_outcome(sqlite_db, nurse, pids[1], "adverse_event", {
        "term": "Bleeding", "onset": date.today(), "grade": 3, "serious": "yes",
        "serious_criteria": ["hospitalisation"], "relatedness": "unlikely", "action": "none",
        "outcome": "recovering"})
    outcome = sv.list_alerts(sqlite_db, source="outcome")
    assert {a.reason for a in outcome} == {"serious_ae", "ae_grade_3plus"}
    assert {a.source for a in sv.list_alerts(sqlite_db)} == {"clinical", "outcome"}
    ds = build_dataset(sqlite_db)
    assert [a.id for a in ds.alerts] == [a.id for a in outcome]
