"""Instrument texts a site installed (``epro instruments install FILE``).

One row per install, never changed afterwards: the newest row of an (instrument, version,
language) is the text the kiosk shows from the next administration on; older rows stay so every
administration's recorded text (``administration.text_sha256``) can be shown again. ``content``
is the file as installed (UTF-8 text); its bytes' SHA-256 is ``sha256``, which the audit trail
records and which pins the content (kept out of the per-field audit, like a protocol file).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class InstalledTranslation(Base):
    __tablename__ = "installed_translation"
    __table_args__ = (Index("ix_installed_translation_instrument", "instrument_id",
                            "instrument_version", "language"),)
    __audit_exclude__ = frozenset({"id", "content"})
    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(16))
    text_version: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    validated: Mapped[bool]
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[datetime]
    installed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
