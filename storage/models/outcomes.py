"""Typed outcome records entered by staff (issue 15): imaging, focal lesion / HCC, vital status,
early termination, adverse events, infusion records.

One row per record: ``kind`` (a ``forms.outcomes.FORMS`` key) and ``fields``, the canonical JSON
``forms.outcomes.check_outcome`` returned on save (dates ISO, numbers in the field's unit, codes);
never free text to be parsed. ``event_date`` is the form's date field, kept as a column so that
a visit summary printed as of a day filters in SQL. Corrections change the row (audited with a
reason, version bumped); rows are never deleted.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, in_list

OUTCOME_KINDS = ("imaging", "hcc", "vital_status", "early_termination", "adverse_event",
                 "infusion")


class OutcomeRecord(Base):
    __tablename__ = "outcome_record"
    __table_args__ = (
        CheckConstraint(in_list("kind", OUTCOME_KINDS), name="kind"),
        Index("ix_outcome_record_patient_kind", "patient_id", "kind", "event_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    fields: Mapped[dict]
    event_date: Mapped[date | None]
    entered_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[datetime]
    version_id: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version_id}
