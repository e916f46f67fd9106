"""Read-only views for review screens and reports: scores of a visit, audit history."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.db import Database
from storage.models import Administration, AuditEvent, Score


def visit_scores(db: Database, visit_id: int) -> dict[str, dict[str, Any]]:
    """instrument id -> algorithm id -> {"version", "values", "computed_at"} (submitted only)."""
    out: dict[str, dict[str, Any]] = {}
    with db.session() as s:
        rows = s.execute(select(Administration.instrument_id, Score)
                         .join(Score, Score.administration_id == Administration.id)
                         .where(Administration.visit_id == visit_id,
                                Administration.status == "submitted"))
        for inst, sc in rows:
            out.setdefault(inst, {})[sc.algorithm_id] = {
                "version": sc.algorithm_version, "values": sc.values,
                "computed_at": sc.computed_at}
    return out


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    action: str
    operation: str
    entity: str | None
    entity_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None
    actor_kind: str
    actor_username: str | None
    actor_role: str | None
    station_id: str | None
    patient_id: int | None


def audit_history(db: Database, *, patient_id: int | None = None, entity: str | None = None,
                  entity_id: int | None = None, limit: int | None = None) -> list[AuditRow]:
    """Audit rows (oldest first), filtered by patient and/or entity."""
    q = select(AuditEvent).order_by(AuditEvent.seq)
    if patient_id is not None:
        q = q.where(AuditEvent.patient_id == patient_id)
    if entity is not None:
        q = q.where(AuditEvent.entity == entity)
    if entity_id is not None:
        q = q.where(AuditEvent.entity_id == entity_id)
    if limit is not None:
        q = q.limit(limit)
    with db.session() as s:
        return [AuditRow(e.seq, e.at, e.action, e.operation, e.entity, e.entity_id, e.field,
                         e.old_value, e.new_value, e.reason, e.actor_kind, e.actor_username,
                         e.actor_role, e.station_id, e.patient_id) for e in s.scalars(q)]
