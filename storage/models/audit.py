"""The append-only audit trail: ONE row per change (keyed hash chain, gap-free ``seq``).

A row records one entity change (``insert``/``update``/``delete``: the changed fields with old
and new canonical values as canonical JSON ``{"field": [old, new], …}``, keys sorted) or one
event (``detail``). ``seq`` is the ``INTEGER PRIMARY KEY`` (SQLite's rowid: no second index);
``row_hash`` = HMAC-SHA256 under the site key of the previous row's hash and this row's
canonical content (``storage/audit.py``). Only the indexes a reader uses: (entity, entity_id)
for value histories and corrections, patient_id for a patient's trail and ``--subject`` exports.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, in_list

ACTOR_KINDS = ("user", "patient", "system")
OPERATIONS = ("insert", "update", "delete", "event")
SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")   # SQLite: INTEGER PRIMARY KEY


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __audited__ = False
    __table_args__ = (
        CheckConstraint(in_list("actor_kind", ACTOR_KINDS), name="actor_kind"),
        CheckConstraint(in_list("operation", OPERATIONS), name="operation"),
        CheckConstraint("seq >= 1", name="seq"),
        Index("ix_audit_event_entity", "entity", "entity_id"),
        Index("ix_audit_event_patient", "patient_id"),
    )
    seq: Mapped[int] = mapped_column(SEQ_TYPE, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(64))
    operation: Mapped[str] = mapped_column(String(8))
    entity: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    changes: Mapped[str | None] = mapped_column(Text)      # {"field": [old, new]} canonical JSON
    detail: Mapped[str | None] = mapped_column(Text)       # an event's detail
    reason: Mapped[str | None] = mapped_column(String(2000))
    actor_kind: Mapped[str] = mapped_column(String(8))
    actor_user_id: Mapped[int | None]
    actor_username: Mapped[str | None] = mapped_column(String(64))
    actor_role: Mapped[str | None] = mapped_column(String(16))
    station_id: Mapped[str | None] = mapped_column(String(64))
    patient_id: Mapped[int | None]
    row_hash: Mapped[str] = mapped_column(String(64))

    def fields(self) -> dict[str, list[str | None]]:
        """The changed fields: ``{field: [old, new]}`` (canonical text values)."""
        return json.loads(self.changes) if self.changes else {}

    def field_rows(self) -> list[tuple[str | None, str | None, str | None]]:
        """The row as (field, old, new) lines for a table view: one per changed field (sorted),
        or one ``(None, None, detail)`` for an event."""
        return field_rows(self.operation, self.changes, self.detail)


def field_rows(operation: str, changes: str | None, detail: str | None
               ) -> list[tuple[str | None, str | None, str | None]]:
    """:meth:`AuditEvent.field_rows` of a row read as plain columns (no ORM object)."""
    if operation == "event" or not changes:
        return [(None, None, detail)]
    return [(f, old, new) for f, (old, new) in sorted(json.loads(changes).items())]
