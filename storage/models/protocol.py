"""The study protocol as stored: protocol versions, enrolments, concealed allocation slots.

``ProtocolVersion.content`` is the protocol file as loaded (UTF-8 text, the bytes whose SHA-256
is ``sha256``); every rule (arms, visits, batteries, criteria, allocation) is read from it with
``forms.protocol.parse_protocol``, never from a second copy. ``Enrolment`` links a patient to the
protocol version they were enrolled under, with the raw screening inputs, the derived scores,
the per-criterion results (``EnrolmentCriterion``) and the result storage computed itself.
``AllocationSlot`` is the concealed allocation list: the arm of an unused slot is never shown
by a service and is kept out of the per-field audit trail (the list's SHA-256 is audited when it
is generated or imported; the arm a patient gets is audited on ``patient.arm``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, in_list

SCREENING_RESULTS = ("eligible", "ineligible", "undetermined")
CRITERION_KINDS = ("inclusion", "exclusion")
ALLOCATION_SOURCES = ("permuted_blocks", "list")


class ProtocolVersion(Base):
    __tablename__ = "protocol_version"
    __table_args__ = (UniqueConstraint("study_id", "sha256"),)
    __audit_exclude__ = frozenset({"id", "content"})      # the audited sha256 pins the content
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id"), index=True)
    protocol_id: Mapped[str] = mapped_column(String(64))
    registry_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(String(64))


class Enrolment(Base):
    """One per patient enrolled through the enrolment service (since migration 0005)."""
    __tablename__ = "enrolment"
    __table_args__ = (
        CheckConstraint(in_list("result", SCREENING_RESULTS), name="result"),
        CheckConstraint("result = 'eligible' OR (override_reason IS NOT NULL AND "
                        "override_by IS NOT NULL)", name="override"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    protocol_version_id: Mapped[int] = mapped_column(ForeignKey("protocol_version.id"))
    screening_date: Mapped[date]
    inputs: Mapped[dict]             # raw screening inputs (forms.screening + liver inputs)
    derived: Mapped[dict]            # Child-Pugh / MELD computed by storage (forms.liver)
    result: Mapped[str] = mapped_column(String(16))
    override_reason: Mapped[str | None] = mapped_column(String(1000))
    override_by: Mapped[str | None] = mapped_column(String(64))     # investigator user name
    allocation_sequence: Mapped[int | None]
    recorded_at: Mapped[datetime]


class EnrolmentCriterion(Base):
    """Per-criterion result stored with an enrolment (met: None = undecided; for an exclusion
    met = True means "does not apply")."""
    __tablename__ = "enrolment_criterion"
    __table_args__ = (UniqueConstraint("enrolment_id", "criterion_id"),
                      CheckConstraint(in_list("kind", CRITERION_KINDS), name="kind"))
    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    position: Mapped[int]
    criterion_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    met: Mapped[bool | None]


class AllocationSlot(Base):
    __tablename__ = "allocation_slot"
    __table_args__ = (UniqueConstraint("study_id", "sequence"),
                      CheckConstraint(in_list("source", ALLOCATION_SOURCES), name="source"),
                      CheckConstraint("(used_by IS NULL) = (used_at IS NULL)", name="used"))
    __audit_exclude__ = frozenset({"id", "arm"})            # concealed until used
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id"))
    protocol_version_id: Mapped[int] = mapped_column(ForeignKey("protocol_version.id"),
                                                     index=True)
    sequence: Mapped[int]
    arm: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    used_by: Mapped[int | None] = mapped_column(ForeignKey("patient.id"), unique=True)
    used_at: Mapped[datetime | None]
