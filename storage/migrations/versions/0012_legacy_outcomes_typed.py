"""the clinician form's old imaging / vital status become typed outcome records (issue 15).

Every clinician assessment that still holds imaging or vital status (canonical JSON since the
typed clinician form, ``liver_size_cm=11.5; …`` / ``died 2026-12-02`` text before it) is read
with the one reader (``storage.services.clinical.read_imaging`` / ``read_vital_status``) and
mapped by ``forms.outcomes_legacy`` onto an ``outcome_record`` of the same patient and visit,
dated the day the visit took place, entered by whoever entered the assessment, at that time.
What became a record leaves the assessment's column (NULL, or the values left over as the
column's canonical JSON); what has no typed home or cannot be read (spleen size in cm, a "new
lesion suspicious for HCC", a death without a date, unreadable text) stays in the column
verbatim and is listed. Audited as a migration: one system row per record inserted and per
assessment changed (reason: this migration), and one ``outcome.legacy_migrated`` event with the
counts and every value left over (subject, visit, column, the text as stored). A converted death
raises the staff alert a saved death raises (``forms.outcomes.outcome_findings``), so the visit
summary's alert box no longer says "no alerts" above it. Nothing found: nothing written. Downgrade keeps the records (0011 stores them alike).

Revision ID: 0012
Revises: 0011

"""
import json
import logging
from datetime import date, datetime
from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op

from forms.outcomes import event_date, outcome_findings
from forms.outcomes_legacy import imaging_record, vital_record
from storage import audit, audit_key
from storage.clock import utcnow
from storage.services.clinical import read_imaging, read_vital_status
from storage.services.patients import local_today
from storage.types import UtcDateTime

revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REASON = ("migration 0012: the clinician form's imaging and vital status converted to typed "
          "outcome records (values unchanged; nothing readable dropped)")
LOG = logging.getLogger("storage.migrations")

_meta = sa.MetaData()
_ca = sa.Table('clinical_assessment', _meta, sa.Column('id', sa.Integer, primary_key=True),
               sa.Column('visit_id', sa.Integer), sa.Column('imaging', sa.String(2000)),
               sa.Column('vital_status', sa.String(32)), sa.Column('sample_date', sa.Date),
               sa.Column('entered_by', sa.Integer), sa.Column('entered_at', UtcDateTime()),
               sa.Column('version_id', sa.Integer))
_visit = sa.Table('visit', _meta, sa.Column('id', sa.Integer, primary_key=True),
                  sa.Column('patient_id', sa.Integer), sa.Column('code', sa.String(32)),
                  sa.Column('actual_date', sa.Date))
_patient = sa.Table('patient', _meta, sa.Column('id', sa.Integer, primary_key=True),
                    sa.Column('subject_id', sa.String(64)), sa.Column('consent_date', sa.Date))
_record = sa.Table('outcome_record', _meta, sa.Column('id', sa.Integer, primary_key=True),
                   sa.Column('patient_id', sa.Integer), sa.Column('visit_id', sa.Integer),
                   sa.Column('kind', sa.String(32)), sa.Column('fields', sa.JSON),
                   sa.Column('event_date', sa.Date), sa.Column('entered_by', sa.Integer),
                   sa.Column('entered_at', UtcDateTime()), sa.Column('version_id', sa.Integer))
_alert = sa.Table('alert', _meta, sa.Column('id', sa.Integer, primary_key=True),
                  sa.Column('patient_id', sa.Integer), sa.Column('visit_id', sa.Integer),
                  sa.Column('source', sa.String(16)), sa.Column('form', sa.String(32)),
                  sa.Column('field', sa.String(64)), sa.Column('severity', sa.String(8)),
                  sa.Column('reason', sa.String(64)), sa.Column('params', sa.JSON),
                  sa.Column('raised_at', UtcDateTime()), sa.Column('version_id', sa.Integer))
_AUDITED = ('patient_id', 'visit_id', 'kind', 'fields', 'event_date', 'entered_by',
            'entered_at')
_ALERT_AUDITED = ('patient_id', 'visit_id', 'source', 'form', 'field', 'severity', 'reason',
                  'params', 'raised_at')


def _day(row: Any) -> date | None:
    """The day the visit took place (else the labs' sample date, else the day of entry)."""
    if row.actual_date is not None:
        return row.actual_date
    if row.sample_date is not None:
        return row.sample_date
    return row.entered_at.date() if isinstance(row.entered_at, datetime) else None


def _vital(text: str | None):  # noqa: ANN202
    try:
        return read_vital_status(text)
    except (ValueError, TypeError):
        return None                                   # unreadable: kept verbatim


def _imaging(text: str) -> dict[str, Any]:
    try:
        value = read_imaging(text)
    except (ValueError, TypeError):
        return {"note": text}
    return value if isinstance(value, dict) else {"note": text}


class _Audit:
    """System rows chained after the current head under the site key (one batch at the end)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.at = utcnow()

    def add(self, operation: str, entity: str | None, entity_id: int | None,
            patient_id: int | None, **extra: Any) -> None:
        row = {"at": self.at, "action": "outcome.legacy_migrated", "operation": operation,
               "entity": entity, "entity_id": entity_id, "changes": None, "detail": None,
               "reason": REASON, "actor_kind": "system", "actor_user_id": None,
               "actor_username": None, "actor_role": None, "station_id": None,
               "patient_id": patient_id}
        row.update(extra)
        self.rows.append(row)

    def write(self, conn: sa.Connection) -> None:
        key = audit_key.load_key()
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)",
                                 {"key": audit.PG_AUDIT_LOCK})
        head = conn.execute(sa.text("SELECT seq, row_hash FROM audit_event "
                                    "ORDER BY seq DESC LIMIT 1")).first()
        seq, prev = (head[0], head[1]) if head else (0, audit.GENESIS)
        for row in self.rows:
            seq += 1
            row["seq"] = seq
            row["row_hash"] = prev = audit.row_hash(key, prev, row)
        audit.insert_rows(conn, self.rows)


def _insert(conn: sa.Connection, trail: _Audit, row: Any, kind: str,
            fields: dict[str, Any]) -> None:
    values = {"patient_id": row.patient_id, "visit_id": row.visit_id, "kind": kind,
              "fields": fields, "event_date": event_date(kind, fields),
              "entered_by": row.entered_by, "entered_at": row.entered_at, "version_id": 1}
    rid = conn.execute(sa.insert(_record).values(**values)).inserted_primary_key[0]
    changes = {k: [None, audit.canon(values[k])] for k in _AUDITED if values[k] is not None}
    trail.add("insert", "outcome_record", rid, row.patient_id,
              changes=audit.canon_json(changes))
    for f in outcome_findings(kind, fields):       # a death: the alert a save raises
        alert = {"patient_id": row.patient_id, "visit_id": row.visit_id, "source": "outcome",
                 "form": kind, "field": f.item_id, "severity": f.severity, "reason": f.reason,
                 "params": {**f.params, "record": rid}, "raised_at": trail.at, "version_id": 1}
        aid = conn.execute(sa.insert(_alert).values(**alert)).inserted_primary_key[0]
        trail.add("insert", "alert", aid, row.patient_id, changes=audit.canon_json(
            {k: [None, audit.canon(alert[k])] for k in _ALERT_AUDITED
             if alert[k] is not None}))


def upgrade() -> None:
    conn = op.get_bind()
    q = (sa.select(_ca.c.id, _ca.c.visit_id, _ca.c.imaging, _ca.c.vital_status,
                   _ca.c.sample_date, _ca.c.entered_by, _ca.c.entered_at, _ca.c.version_id,
                   _visit.c.patient_id, _visit.c.code, _visit.c.actual_date,
                   _patient.c.subject_id, _patient.c.consent_date)
         .join(_visit, _visit.c.id == _ca.c.visit_id)
         .join(_patient, _patient.c.id == _visit.c.patient_id)
         .where(sa.or_(_ca.c.imaging.is_not(None), _ca.c.vital_status.is_not(None)))
         .order_by(_ca.c.id))
    rows = conn.execute(q).all()
    if not rows:
        return
    today, trail = local_today(), _Audit()
    counts = {"imaging": 0, "vital_status": 0}
    kept: list[dict[str, Any]] = []
    for row in rows:
        day, new = _day(row), {"imaging": row.imaging, "vital_status": row.vital_status}
        if row.imaging:
            fields, left = imaging_record(_imaging(row.imaging), day,
                                          consent=row.consent_date, today=today)
            if fields is not None:
                _insert(conn, trail, row, "imaging", fields)
                counts["imaging"] += 1
                new["imaging"] = (json.dumps(left, sort_keys=True, separators=(",", ":"))
                                  if left else None)
            if new["imaging"] is not None:
                kept.append({"subject": row.subject_id, "visit": row.code,
                             "column": "imaging", "text": new["imaging"]})
        if row.vital_status:
            vital = _vital(row.vital_status)
            fields = None if vital is None else vital_record(
                vital, day, consent=row.consent_date, today=today)
            if fields is not None:
                _insert(conn, trail, row, "vital_status", fields)
                counts["vital_status"] += 1
                new["vital_status"] = None
            else:
                kept.append({"subject": row.subject_id, "visit": row.code,
                             "column": "vital_status", "text": row.vital_status})
        changed = {k: [audit.canon(getattr(row, k)), audit.canon(v)] for k, v in new.items()
                   if v != getattr(row, k)}
        if changed:
            conn.execute(sa.update(_ca).where(_ca.c.id == row.id)
                         .values(version_id=row.version_id + 1, **new))
            trail.add("update", "clinical_assessment", row.id, row.patient_id,
                      changes=audit.canon_json(changed))
    trail.add("event", None, None, None, detail=audit.canon_json(
        {"converted": counts, "assessments": len(rows), "kept": kept}))
    trail.write(conn)
    if kept:
        LOG.warning("migration 0012: %d old imaging / vital-status value(s) have no typed "
                    "outcome form and stay on the clinician form (listed in the audit event "
                    "outcome.legacy_migrated)", len(kept))


def downgrade() -> None:
    """The records stay: 0011 keeps outcome records alike (the columns' old text is in the
    audit trail)."""
