"""What a patient answered: ResponseCode lookup, Administration, Answer, Score."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, String,
                        UniqueConstraint, text)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, in_list

ADMIN_STATUSES = ("in_progress", "submitted", "interrupted", "entered_in_error")
ORIGINATORS = ("patient", "proxy")
ANSWER_STATUSES = ("answered", "skipped", "not_applicable")
SKIP_REASONS = ("prefer_not_to_answer", "dont_understand", "not_applicable")


class ResponseCode(Base):
    """Every valid (instrument, version, item, code), filled from the instrument files.

    Answers reference it with a composite foreign key, so a code outside the item's list is
    refused by the database itself, not only by the services.
    """
    __tablename__ = "response_code"
    __audited__ = False
    instrument_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    instrument_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class Administration(Base):
    __tablename__ = "administration"
    __table_args__ = (
        CheckConstraint(in_list("status", ADMIN_STATUSES), name="status"),
        CheckConstraint(in_list("originator", ORIGINATORS), name="originator"),
        CheckConstraint("originator = 'patient' OR (proxy_user_id IS NOT NULL AND "
                        "proxy_reason IS NOT NULL)", name="proxy_reason"),
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted"),
        UniqueConstraint("id", "instrument_id", "instrument_version"),
        Index("uq_administration_one_submitted", "visit_id", "instrument_id", unique=True,
              sqlite_where=text("status = 'submitted'"),
              postgresql_where=text("status = 'submitted'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    # the exact text the patient read (forms TextVersion): its id and SHA-256; NULL before 0006
    text_version: Mapped[str | None] = mapped_column(String(64))
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    station_id: Mapped[str | None] = mapped_column(String(64))
    originator: Mapped[str] = mapped_column(String(10), default="patient")
    proxy_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    proxy_reason: Mapped[str | None] = mapped_column(String(1000))
    version_id: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version_id}


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("administration_id", "item_id"),   # one row per item
        ForeignKeyConstraint(["administration_id", "instrument_id", "instrument_version"],
                             ["administration.id", "administration.instrument_id",
                              "administration.instrument_version"], name="fk_answer_admin"),
        ForeignKeyConstraint(["instrument_id", "instrument_version", "item_id", "code"],
                             ["response_code.instrument_id", "response_code.instrument_version",
                              "response_code.item_id", "response_code.code"],
                             name="fk_answer_code"),
        CheckConstraint(in_list("status", ANSWER_STATUSES), name="status"),
        CheckConstraint("(status = 'answered') = (code IS NOT NULL)", name="code_iff_answered"),
        CheckConstraint("(status = 'skipped') = (skip_reason IS NOT NULL)",
                        name="reason_iff_skipped"),
        CheckConstraint("skip_reason IS NULL OR " + in_list("skip_reason", SKIP_REASONS),
                        name="skip_reason"),
        CheckConstraint("change_count >= 0", name="change_count"),
        CheckConstraint("saved_at >= answered_at", name="saved_after_answered"),
    )
    # instrument_id/instrument_version copy the administration's (audited when it started; the
    # composite foreign key fk_answer_admin keeps them equal): not repeated in every answer's
    # audit row (issue 16, db_kb_per_patient: ~60 bytes of ~300 per answer row)
    __audit_exclude__ = frozenset({"id", "version_id", "instrument_id", "instrument_version"})
    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the UNIQUE (administration_id, item_id) index serves it (0010)
    administration_id: Mapped[int] = mapped_column()
    instrument_id: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    code: Mapped[int | None]
    skip_reason: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime]
    saved_at: Mapped[datetime]
    change_count: Mapped[int] = mapped_column(default=0)
    ms_on_item: Mapped[int | None]
    version_id: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version_id}


class Score(Base):
    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("administration_id", "algorithm_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    algorithm_id: Mapped[str] = mapped_column(String(64))
    algorithm_version: Mapped[str] = mapped_column(String(32))
    values: Mapped[dict]
    computed_at: Mapped[datetime]
    version_id: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version_id}
