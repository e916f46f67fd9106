"""``audit.csv`` of the CSV export: the audit trail in seq order, one line per change.

A patient's full name and initials never leave the app (issue 17: no full name in any export;
the export has no "identifiable data" option): in the ``changes`` of a patient row their values
are replaced by ``WITHHELD`` (the line still says that they were set or changed); so is the
full date of birth inside the stored screening inputs of an enrolment row. Staff names (who
entered, signed) stay: they are the audit trail's "who".
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterator

from sqlalchemy import String, select, type_coerce

from reports.export.dictionary import columns
from reports.export.reader import iso_utc
from storage.db import Database
from storage.models import AuditEvent

AUDIT_COLUMNS = columns("audit.csv")
#: entity -> fields whose values an export never carries: a patient's name and initials
IDENTIFYING = {"patient": ("full_name", "initials")}
#: entity -> field holding JSON text -> keys in it withheld: the full date of birth of the raw
#: screening inputs (the exports give the birth year; enrolment.csv the age at screening)
IDENTIFYING_IN_JSON = {"enrolment": {"inputs": ("birth_date",)}}
WITHHELD = "WITHHELD"


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _withheld(v: object) -> object:
    return None if v in (None, "") else WITHHELD


def withhold_identifying(entity: str | None, changes: str | None) -> str | None:
    """``changes`` (canonical JSON ``{"field": [old, new]}``) of an audit row with a patient's
    identifying values replaced by ``WITHHELD`` (an empty value stays empty)."""
    fields = IDENTIFYING.get(entity or "", ())
    nested = IDENTIFYING_IN_JSON.get(entity or "", {})
    if not changes or not any(f'"{k}"' in changes for k in (*fields, *nested)):
        return changes
    diff = json.loads(changes)
    for k in fields:
        if k in diff:
            diff[k] = [_withheld(v) for v in diff[k]]
    for k, keys in nested.items():
        if k in diff:
            diff[k] = [_withhold_in(v, keys) for v in diff[k]]
    return _dumps(diff)


def _withhold_in(text: object, keys: tuple[str, ...]) -> object:
    if not isinstance(text, str) or not text.startswith("{"):
        return text
    value = json.loads(text)
    for k in keys:
        if k in value:
            value[k] = _withheld(value[k])
    return _dumps(value)


def audit_rows(db: Database, *, patient_id: int | None = None,
               since: datetime | None = None, page: int = 5000) -> Iterator[list[Any]]:
    """Audit trail in seq order, read in pages of ``page`` rows (keyset on ``seq``), each page in
    its own short transaction so a long export never holds the database. Table columns, not
    the mapped attributes: plain rows without the ORM's per-row processing (40 % less CPU)."""
    t = AuditEvent.__table__
    # ``at`` as stored (SQLite: UTC text, sliced into ISO 8601 by iso_utc without building a
    # datetime per row; PostgreSQL hands a datetime either way): same text, a third less CPU
    cols = [t.c[c] if c != "at_utc" else type_coerce(t.c.at, String).label("at")
            for c in AUDIT_COLUMNS]
    last = 0
    while True:
        q = select(*cols).where(t.c.seq > last).order_by(t.c.seq).limit(page)
        if patient_id is not None:
            q = q.where(t.c.patient_id == patient_id)
        if since is not None:
            q = q.where(t.c.at >= since)
        with db.read_session() as s:
            rows = [list(r) for r in s.execute(q)]
        for row in rows:
            row[1] = iso_utc(row[1])
            row[6] = withhold_identifying(row[4], row[6])
            yield row
        if len(rows) < page:
            return
        last = rows[-1][0]
