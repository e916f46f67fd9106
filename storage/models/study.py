"""Study set-up and people: Study, Site, Station, User, Patient, Visit."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.actors import ROLES
from storage.models.base import Base, in_list

PATIENT_STATUSES = ("enrolled", "completed", "withdrawn", "screen_failed")
SEXES = ("F", "M")
VISIT_STATUSES = ("planned", "in_progress", "completed", "signed", "resign_required", "missed")
STATION_KINDS = ("kiosk", "workstation")


class Study(Base):
    __tablename__ = "study"
    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    # what a study ran before protocol files (migration 0005), kept as it was; new studies leave
    # both empty: the protocol version (storage.models.protocol) is the authority
    arms: Mapped[list]
    visit_schedule: Mapped[list]
    primary_sf36_scoring: Mapped[str] = mapped_column(String(32))
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class Site(Base):
    __tablename__ = "site"
    __table_args__ = (UniqueConstraint("study_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))


class Station(Base):
    __tablename__ = "station"
    __table_args__ = (CheckConstraint(in_list("kind", STATION_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    active: Mapped[bool] = mapped_column(default=True)
    registered_at: Mapped[datetime]


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(in_list("role", ROLES), name="role"),
                      CheckConstraint("failed_logins >= 0", name="failed_logins"))
    # credentials are in the chain as keyed "changed" markers, never their value (storage/audit)
    __audit_secret__ = frozenset({"password_hash", "kiosk_pin_hash"})
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)  # never reused (11.100)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    # staff PIN for the touch kiosk (argon2id like the password; NULL = none set); the PIN shares
    # the password's failure count and lockout
    kiosk_pin_hash: Mapped[str | None] = mapped_column(String(200))
    kiosk_pin_set_at: Mapped[datetime | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    # an administrator's reset sets it: the next login must choose a new password first (0008)
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    password_changed_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version_id}


class Patient(Base):
    __tablename__ = "patient"
    __table_args__ = (
        CheckConstraint(in_list("status", PATIENT_STATUSES), name="status"),
        CheckConstraint(in_list("sex", SEXES), name="sex"),
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year"),
        CheckConstraint("length(initials) BETWEEN 1 AND 5", name="initials"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    subject_id: Mapped[str] = mapped_column(String(32), unique=True)
    screening_number: Mapped[str | None] = mapped_column(String(32))
    initials: Mapped[str] = mapped_column(String(5))
    sex: Mapped[str] = mapped_column(String(1))
    birth_year: Mapped[int]
    arm: Mapped[str] = mapped_column(String(64))
    consent_date: Mapped[date]
    day1_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="enrolled")
    full_name: Mapped[str | None] = mapped_column(String(100))   # NFC
    created_at: Mapped[datetime]
    version_id: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version_id}


class Visit(Base):
    __tablename__ = "visit"
    __table_args__ = (
        UniqueConstraint("patient_id", "code"),
        CheckConstraint(in_list("status", VISIT_STATUSES), name="status"),
        CheckConstraint("window_before >= 0 AND window_after >= 0", name="window"),
        CheckConstraint("NOT out_of_window OR out_of_window_reason IS NOT NULL",
                        name="out_of_window_reason"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int]
    target_day: Mapped[int]
    window_before: Mapped[int]
    window_after: Mapped[int]
    planned_date: Mapped[date]
    actual_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="planned")
    out_of_window: Mapped[bool] = mapped_column(default=False)
    out_of_window_reason: Mapped[str | None] = mapped_column(String(1000))
    unscheduled_reason: Mapped[str | None] = mapped_column(String(1000))
    version_id: Mapped[int] = mapped_column(default=1)
    # lock after signature (lock_visit): no answer/clinical change once set. locked_by is a
    # user_account id, kept without a foreign key so SQLite can add it without a table rebuild
    locked_at: Mapped[datetime | None]
    locked_by: Mapped[int | None]
    lock_reason: Mapped[str | None] = mapped_column(String(1000))
    __mapper_args__ = {"version_id_col": version_id}
