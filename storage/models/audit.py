"""The append-only audit trail (hash-chained, gap-free ``seq``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, in_list

ACTOR_KINDS = ("user", "patient", "system")
OPERATIONS = ("insert", "update", "delete", "event")


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __audited__ = False
    __table_args__ = (
        CheckConstraint(in_list("actor_kind", ACTOR_KINDS), name="actor_kind"),
        CheckConstraint(in_list("operation", OPERATIONS), name="operation"),
        CheckConstraint("seq >= 1", name="seq"),
        Index("ix_audit_event_entity", "entity", "entity_id", "field"),
    )
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(64))
    operation: Mapped[str] = mapped_column(String(8))
    entity: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(2000))
    actor_kind: Mapped[str] = mapped_column(String(8))
    actor_user_id: Mapped[int | None]
    actor_username: Mapped[str | None] = mapped_column(String(64))
    actor_role: Mapped[str | None] = mapped_column(String(16))
    station_id: Mapped[str | None] = mapped_column(String(64))
    patient_id: Mapped[int | None]
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)
