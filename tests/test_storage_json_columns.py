"""JSON columns are written without spaces (issue 16, ``db_kb_per_patient``): the same text as
``json.dumps(value, separators=(",", ":"))``, read back as the same value, and the audit trail
(canonical JSON of the value) still verifies; rows written with spaces read the same."""
from __future__ import annotations

import json
import sqlite3
from datetime import date

from storage import services as sv
from storage.audit_verify import verify_audit
from storage.demo import eligible_screening
from storage_fixtures import sqlite_db, sqlite_template, staff  # noqa: F401


def test_json_columns_are_compact_and_verify(sqlite_db) -> None:  # noqa: F811
    day1 = date.today()
    sv.enrol_patient(sqlite_db, staff(sqlite_db, "nurse"), subject_id="J-1", initials="JJ",
                     sex="F", day1_date=day1, screening=eligible_screening(
                         sv.current_protocol(sqlite_db), day1, birth_date=date(1960, 6, 1)))
    con = sqlite3.connect(sqlite_db.engine.url.database.removeprefix("file:").split("?")[0])
    try:
        stored = con.execute("SELECT id, inputs, derived FROM enrolment").fetchall()
        assert stored
        for raw in (v for row in stored for v in row[1:] if v is not None):
            assert raw == json.dumps(json.loads(raw), separators=(",", ":")) != json.dumps(
                json.loads(raw))
        assert verify_audit(sqlite_db).ok
        # a row written before (with spaces) is the same value: the trail still verifies
        con.executemany("UPDATE enrolment SET inputs = ? WHERE id = ?",
                        [(json.dumps(json.loads(r[1])), r[0]) for r in stored])
        con.commit()
    finally:
        con.close()
    assert verify_audit(sqlite_db).ok
