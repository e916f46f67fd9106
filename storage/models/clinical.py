"""Clinician data and signatures: ClinicalAssessment, Signature."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, in_list

SIGNATURE_STATUSES = ("valid", "invalidated")
CHILD_PUGH_VARIANTS = ("standard", "pbc")


class ClinicalAssessment(Base):
    """One per visit. ``labs`` maps lab id -> {"value", "unit"}; ``derived`` is
    ``forms.liver.LiverScores.derived()`` computed on every save: score id -> {"score", "class",
    "unrounded", "formula_id", ...} or {"score": null, "missing": [input ids]} (rows before that
    hold the computed scores only). ``imaging`` / ``vital_status`` hold canonical JSON of typed
    values (storage.services.clinical) until the outcome tables of issue 15; older rows text.

    ``dialysis`` (≥ 2 dialyses or ≥ 24 h CVVHD in the week before the creatinine sample) and
    ``child_pugh_variant`` are inputs of the derived scores, stored since migration 0004.
    NULL in both = assessment entered before 0004: dialysis was not recorded and the scores
    were derived as without dialysis, with the standard Child-Pugh bands."""
    __tablename__ = "clinical_assessment"
    __table_args__ = (
        CheckConstraint("child_pugh_variant IS NULL OR "
                        + in_list("child_pugh_variant", CHILD_PUGH_VARIANTS),
                        name="child_pugh_variant"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), unique=True)
    sample_date: Mapped[date | None]
    labs: Mapped[dict]
    ascites: Mapped[str | None] = mapped_column(String(32))
    encephalopathy: Mapped[str | None] = mapped_column(String(32))
    symptom_grades: Mapped[dict]
    imaging: Mapped[str | None] = mapped_column(String(2000))
    vital_status: Mapped[str | None] = mapped_column(String(32))
    derived: Mapped[dict]
    dialysis: Mapped[bool | None]
    child_pugh_variant: Mapped[str | None] = mapped_column(String(16), default="standard")
    entered_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[datetime]
    version_id: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version_id}


class Signature(Base):
    __tablename__ = "signature"
    __table_args__ = (
        CheckConstraint(in_list("status", SIGNATURE_STATUSES), name="status"),
        CheckConstraint("length(meaning) > 0", name="meaning"),
        CheckConstraint("status = 'valid' OR invalidated_reason IS NOT NULL",
                        name="invalidated_reason"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    meaning: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="valid")
    invalidated_at: Mapped[datetime | None]
    invalidated_reason: Mapped[str | None] = mapped_column(String(1000))
