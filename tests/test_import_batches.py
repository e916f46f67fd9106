"""import-patients in batches (issue 13 item 7): the whole file is checked first (nothing
written on any refusal), then each batch is its own transaction, so another station writes
between batches; a batch that still fails names exactly what was written; a row limit; a
GB18030 file is not taken for UTF-8 when its bytes happen to decode (item 8)."""
from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import select

from reports.export import import_patients as ip
from storage import services as sv
from storage.models import AuditEvent, Patient
from test_import_patients import HEADER, count, env, line  # noqa: F401  (env: fixture)

SUBJECTS = [f"B-{i:03d}" for i in range(1, 6)]


def _file(tmp_path, subjects=SUBJECTS, name="batch.csv"):  # noqa: ANN001, ANN202
    path = tmp_path / name
    path.write_text(HEADER + "".join(line(s) for s in subjects), encoding="utf-8")
    return path


def _actions(db) -> list[tuple[str, str | None]]:  # noqa: ANN001
    with db.session() as s:
        return [(e.action, e.detail if hasattr(e, "detail") else e.new_value)
                for e in s.scalars(select(AuditEvent).where(
                    AuditEvent.action.in_(("patients.import_batch", "patients.imported")))
                    .order_by(AuditEvent.seq))]


def test_other_stations_write_between_batches(env):  # noqa: F811
    db, nurse, tmp, _ = env
    seen = []

    def progress(done: int, total: int) -> None:
        # another station: takes the write lock at once (no busy wait) and commits
        con = sqlite3.connect(db.path, timeout=0)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("ROLLBACK")
        finally:
            con.close()
        seen.append((done, total, count(db)))

    result = ip.import_patients(db, nurse, _file(tmp), batch_rows=2, progress=progress)
    assert result.rows == 5 and count(db) == 5
    assert seen == [(2, 5, 2), (4, 5, 4), (5, 5, 5)]        # each batch committed on its own
    actions = _actions(db)
    assert [a for a, _ in actions] == ["patients.import_batch"] * 3 + ["patients.imported"]
    assert [json.loads(d)["lines"] for a, d in actions[:3]] == [[2, 3], [4, 5], [6, 6]]


def test_a_refused_row_anywhere_writes_nothing(env):  # noqa: F811
    db, nurse, tmp, _ = env
    bad = SUBJECTS[:4] + ["B-005"]
    path = tmp / "b.csv"
    path.write_text(HEADER + "".join(line(s) for s in bad[:4])
                    + line("B-005", decompensated="no", decompensation_kinds=""),
                    encoding="utf-8")      # ineligible (storage's screening), the last row
    with pytest.raises(sv.BatchRefused, match="(?s)nothing was imported.*line 6: Not eligible"):
        ip.import_patients(db, nurse, path, batch_rows=2)
    assert count(db) == 0 and _actions(db) == []


def test_a_batch_failing_after_the_check_names_what_was_written(env):  # noqa: F811
    db, nurse, tmp, _ = env

    def progress(done: int, total: int) -> None:
        if done == 2:        # meanwhile another station enrols a subject of the next batch
            _enrol_elsewhere(db, nurse)

    with pytest.raises(sv.BatchPartlyImported) as exc:
        ip.import_patients(db, nurse, _file(tmp), batch_rows=2, progress=progress)
    message = str(exc.value)
    assert "lines 2–3 (2 subjects, B-001 … B-002) were enrolled" in message
    assert "lines 4–6 (3 subjects) were NOT imported" in message
    assert "B-004 is already enrolled" in message
    with db.session() as s:
        ids = sorted(s.scalars(select(Patient.subject_id)))
    assert ids == ["B-001", "B-002", "B-004"]                # B-004 from the other station
    assert [a for a, _ in _actions(db)] == ["patients.import_batch"]


def _enrol_elsewhere(db, nurse) -> None:  # noqa: ANN001
    from datetime import date
    from storage_fixtures import eligible_screening
    day1 = date(2026, 2, 2)
    sv.enrol_patient(db, nurse, subject_id="B-004", initials="ZZ", sex="M", day1_date=day1,
                     screening=eligible_screening(db, day1))


def test_row_limit(env, monkeypatch):  # noqa: F811
    db, nurse, tmp, _ = env
    monkeypatch.setattr(ip, "MAX_ROWS", 3)
    with pytest.raises(ip.ImportRefused, match="more than 3 subjects"):
        ip.import_patients(db, nurse, _file(tmp))
    assert count(db) == 0


def test_gb18030_bytes_that_happen_to_decode_as_utf8_are_refused(env):  # noqa: F811
    db, nurse, tmp, _ = env
    # "陆路" in GB18030 is C2 BD C2 B7: valid UTF-8 by accident ("½·")
    path = tmp / "gb.csv"
    path.write_bytes(HEADER.encode() + line("B-001", screening_number="陆路").encode("gb18030"))
    assert path.read_bytes().decode("utf-8").endswith("\n")   # decodes as UTF-8 …
    with pytest.raises(ip.ImportRefused, match="--encoding gb18030"):
        ip.import_patients(db, nurse, path)                 # … but is refused as mojibake
    assert count(db) == 0
    ip.import_patients(db, nurse, path, encoding="gb18030")  # declared: imported as Chinese
    with db.session() as s:
        assert s.scalar(select(Patient.screening_number)) == "陆路"
    ok = tmp / "utf8.csv"                                   # genuine UTF-8 Chinese is fine
    ok.write_bytes(HEADER.encode() + line("B-002", screening_number="陆路").encode("utf-8"))
    ip.import_patients(db, nurse, ok)
    assert count(db) == 2
