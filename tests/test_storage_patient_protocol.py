"""``patient_protocol``: the protocol version a patient was enrolled under, read in ONE
statement (scoring, branching and visit completion ask for it on every call; issue 16)."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import event

from forms.protocol import DEFAULT_PROTOCOL_PATH
from storage import services as sv
from storage.services.protocol_store import patient_protocol
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401


def test_each_patient_keeps_its_version_read_in_one_statement(sqlite_db, tmp_path) -> None:  # noqa: F811
    db = sqlite_db
    old = enrol(db, "P-1", day1=date.today()).patient_id
    data = json.loads(DEFAULT_PROTOCOL_PATH.read_text(encoding="utf-8"))
    data["version"] = "1.1"
    changed = tmp_path / "v11.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    sv.load_protocol_version(db, staff(db, "admin"), changed)
    new = enrol(db, "P-2", day1=date.today()).patient_id
    statements: list[str] = []
    with db.read_session() as s:
        patient_protocol(s, old)                       # parsed versions are cached by hash
        patient_protocol(s, new)

    def seen(_conn, _cursor, sql, *_rest) -> None:  # noqa: ANN001
        statements.append(sql)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.read_session() as s:
            versions = [patient_protocol(s, pid).version for pid in (old, new)]
            first = len(statements)
            again = [patient_protocol(s, pid).version for pid in (old, new)]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert versions == again == ["1.0", "1.1"]
    assert first == 3                                  # BEGIN + one per patient
    assert len(statements) == first                    # kept for the transaction
