"""Instrument texts: installing a site's translation, and which text a patient is shown.

``install_translation`` stores a translation file that ``forms.translation.check_translation``
accepted (content, source, SHA-256 of the file, who, when; audited) and it is shown from the next
administration on: ``shown_instrument`` is the shipped instrument with, per language, the newest
installed text laid over it. ``administration_instrument`` gives back the exact text an
administration recorded (``text_sha256``), so a resumed questionnaire keeps its wording.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.instrument import Instrument, load_instrument
from forms.translation import apply_installed, check_translation
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.models import Administration, InstalledTranslation, User
from storage.services._tx import clean_text, get, tx

_OVERLAID: dict[tuple, Instrument] = {}


@dataclass(frozen=True)
class InstalledTranslationInfo:
    id: int
    instrument_id: str
    instrument_version: str
    language: str
    text_version: str
    status: str
    validated: bool
    sha256: str
    source: str
    installed_at: datetime
    installed_by: str | None
    changed: bool = True         # False: the same file was already the current text


def _info(s: Session, row: InstalledTranslation, changed: bool = True
          ) -> InstalledTranslationInfo:
    user = s.get(User, row.installed_by) if row.installed_by is not None else None
    return InstalledTranslationInfo(
        row.id, row.instrument_id, row.instrument_version, row.language, row.text_version,
        row.status, row.validated, row.sha256, row.source, row.installed_at,
        user.username if user else None, changed)


def _newest(s: Session, instrument_id: str, version: str) -> dict[str, tuple[int, str]]:
    """language -> (row id, sha256) of the newest installed text of each language."""
    rows = s.execute(select(InstalledTranslation.language, InstalledTranslation.id,
                            InstalledTranslation.sha256)
                     .where(InstalledTranslation.instrument_id == instrument_id,
                            InstalledTranslation.instrument_version == version)
                     .order_by(InstalledTranslation.id))
    return {lang: (rid, sha) for lang, rid, sha in rows}


def install_translation(db: Database, actor: Actor, raw: bytes, source: str
                        ) -> InstalledTranslationInfo:
    """Check and store a translation file; it is shown from the next administration on.

    Refused (``TranslationFileError``, every problem by line/path) unless it matches the shipped
    instrument. Installing the file that is already the current text changes nothing."""
    source = clean_text(source, "Source", max_len=500, required=True) or ""
    checked = check_translation(raw, source, db.instrument_dir)
    with tx(db, actor, "instrument.install_translation", permission="study_settings") as s:
        current = _newest(s, checked.instrument_id, checked.instrument_version).get(
            checked.language)
        if current is not None and current[1] == checked.file_sha256:
            return _info(s, get(s, InstalledTranslation, current[0], "Translation"), False)
        row = InstalledTranslation(
            instrument_id=checked.instrument_id, instrument_version=checked.instrument_version,
            language=checked.language, text_version=checked.text_version,
            status=checked.status, validated=checked.validated, sha256=checked.file_sha256,
            source=source, content=checked.content, installed_at=utcnow(),
            installed_by=actor.user_id)
        s.add(row)
        s.flush()
        return _info(s, row)


def installed_translations(db: Database) -> list[InstalledTranslationInfo]:
    with db.read_session() as s:
        return [_info(s, r) for r in s.scalars(
            select(InstalledTranslation).order_by(InstalledTranslation.id))]


def _overlay(s: Session, base: Instrument, chosen: Iterable[tuple[str, int, str]]
             ) -> Instrument:
    chosen = tuple(sorted(chosen))
    key = (base.id, base.version, base.content_hash, tuple(base.texts.items()), chosen)
    inst = _OVERLAID.get(key)
    if inst is None:
        inst = base
        for _lang, rid, sha in chosen:
            row = get(s, InstalledTranslation, rid, "Translation")
            inst = apply_installed(inst, row.content, sha, f"installed: {row.source}")
        _OVERLAID[key] = inst
    return inst


def shown_instrument(db: Database, instrument_id: str) -> Instrument:
    """The instrument as the kiosk shows it now: shipped texts, newest installed ones over them."""
    base = load_instrument(instrument_id, db.instrument_dir)
    with db.read_session() as s:
        newest = _newest(s, base.id, base.version)
        return _overlay(s, base, ((lang, rid, sha) for lang, (rid, sha) in newest.items()))


def administration_instrument(db: Database, administration_id: int) -> Instrument:
    """The instrument with the text an administration recorded (the current text when the
    administration predates text versions or its text is no longer available)."""
    with db.read_session() as s:
        adm = get(s, Administration, administration_id, "Administration")
        base = load_instrument(adm.instrument_id, db.instrument_dir)
        chosen = dict(_newest(s, base.id, base.version))
        shipped = base.texts.get(adm.language)
        if adm.text_sha256 and shipped is not None and shipped.sha256 == adm.text_sha256:
            chosen.pop(adm.language, None)               # it was shown the shipped text
        elif adm.text_sha256:
            rid = s.scalar(select(InstalledTranslation.id).where(
                InstalledTranslation.instrument_id == base.id,
                InstalledTranslation.instrument_version == base.version,
                InstalledTranslation.language == adm.language,
                InstalledTranslation.sha256 == adm.text_sha256).limit(1))
            if rid is not None:
                chosen[adm.language] = (rid, adm.text_sha256)
        return _overlay(s, base, ((lang, rid, sha) for lang, (rid, sha) in chosen.items()))
