"""Authenticated staff login sessions and kiosk hand-over sessions (issue 13 item 5).

A login (password or kiosk PIN) makes one row; the client keeps only a random token, the row
keeps its SHA-256. Every service call looks the token up and re-reads the account (role, active,
locked), so a role written into an ``Actor`` by hand, a deactivated or locked account, a logged-out
or expired session is refused. A ``kiosk`` row binds a patient actor to the staff member's
hand-over (one patient, one station). Not part of the audit chain (logins, logouts and hand-overs
are audited as events); a session row holds no study data.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, in_list

SESSION_KINDS = ("staff", "kiosk")


class AuthSession(Base):
    __tablename__ = "auth_session"
    __table_args__ = (CheckConstraint(in_list("kind", SESSION_KINDS), name="kind"),
                      Index("ix_auth_session_user", "user_id"))
    __audited__ = False
    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))
    station_id: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_why: Mapped[str | None] = mapped_column(String(16))
