"""Staff alerts: a warning sign that must reach a person (issue 12 item 7; designed for issue 15).

One row per finding, never free text: ``reason`` is a fixed key (``forms.alerts.REASONS``) and
``params`` its structured values (item, answer code, previous value …), so screens and PDFs
render it in the reader's language. ``source`` says what raised it: a patient ``answer`` (the
administration and item), or a staff form (``clinical`` / ``outcome``: form and field). An alert is
acknowledged once, by a nurse or investigator, with an optional note; every change is audited.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, in_list

ALERT_SOURCES = ("answer", "clinical", "outcome")
ALERT_SEVERITIES = ("red", "amber")


class Alert(Base):
    __tablename__ = "alert"
    __table_args__ = (
        CheckConstraint(in_list("source", ALERT_SOURCES), name="source"),
        CheckConstraint(in_list("severity", ALERT_SEVERITIES), name="severity"),
        CheckConstraint("source <> 'answer' OR (administration_id IS NOT NULL AND "
                        "item_id IS NOT NULL)", name="answer_reference"),
        CheckConstraint("source = 'answer' OR (form IS NOT NULL AND field IS NOT NULL)",
                        name="form_reference"),
        CheckConstraint("(acknowledged_at IS NULL) = (acknowledged_by IS NULL)",
                        name="acknowledged"),
        UniqueConstraint("administration_id", "item_id", "reason"),
        Index("ix_alert_patient", "patient_id", "raised_at"),
        Index("ix_alert_unacknowledged", "raised_at",
              sqlite_where=text("acknowledged_at IS NULL"),
              postgresql_where=text("acknowledged_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administration.id"))
    item_id: Mapped[str | None] = mapped_column(String(32))
    form: Mapped[str | None] = mapped_column(String(32))
    field: Mapped[str | None] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict]
    raised_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ack_note: Mapped[str | None] = mapped_column(String(1000))
    version_id: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version_id}
