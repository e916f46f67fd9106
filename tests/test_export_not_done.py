"""A questionnaire recorded not done in the CSV export: one administrations_wide.csv row with
status not_done, the reason code and text, and both columns in data_dictionary.csv (real
SQLite storage)."""
from __future__ import annotations

import csv

from forms.not_done import REASONS
from reports.export.commands import run_export
from storage import services as sv
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401


def _read(path):  # noqa: ANN001
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_not_done_questionnaire_is_a_row_with_status_and_reason(sqlite_db, tmp_path) -> None:  # noqa: F811
    v = enrol(sqlite_db, "S-ND1")
    first, second = sv.remaining_battery(sqlite_db, v.visit_id)[:2]
    nurse = staff(sqlite_db, "nurse")
    sv.mark_not_done(sqlite_db, nurse, v.visit_id, first, reason="other",
                     text="=no interpreter")
    sv.mark_not_done(sqlite_db, nurse, v.visit_id, second, reason="refused")
    sv.withdraw_not_done(sqlite_db, nurse, v.visit_id, second, reason="will do it")
    run_export(sqlite_db, staff(sqlite_db, "investigator"), "csv", tmp_path / "out")
    rows = _read(tmp_path / "out" / "administrations_wide.csv")
    nd = [r for r in rows if r["status"] == "not_done"]
    assert len(nd) == 1                                  # the withdrawn one is not
    row = nd[0]
    assert (row["subject_id"], row["visit"], row["instrument"]) == ("S-ND1", "BL", first)
    assert row["not_done_reason"] == "other"
    assert row["not_done_text"] == "'=no interpreter"   # defanged like every free text
    assert row["administration_id"] == "" and row["visit_date"]
    rows = _read(tmp_path / "out" / "data_dictionary.csv")
    dictionary = {r["variable"]: r for r in rows if r["kind"] == "id"}   # the wide file's ids
    assert all(f"{r}=" in dictionary["not_done_reason"]["codes"] for r in REASONS)
    assert "not_done=" in dictionary["status"]["codes"]
    assert "not_done_text" in dictionary
