"""Reading the protocol a database runs: the stored versions, parsed from their content.

Lower layer of ``storage.services.study`` and ``storage.services.allocation`` (no import loop).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, Protocol, parse_protocol
from forms.registry import registry
from storage.db import Database
from storage.models import Enrolment, ProtocolVersion, Study


@dataclass(frozen=True)
class ProtocolFile:
    """A protocol file read and validated: the parsed protocol and the exact bytes."""
    protocol: Protocol
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


def read_protocol_file(path: str | Path | None = None) -> ProtocolFile:
    """Read and validate a protocol file (default: the NCT01342250 one); ProtocolError lists
    every problem with its path."""
    p = Path(path) if path is not None else DEFAULT_PROTOCOL_PATH
    try:
        raw = p.read_bytes()
    except OSError:
        raise UserError(f"Cannot read the protocol file {p.name}.") from None
    # every instrument the protocol names must be one the app has (the instrument registry)
    return ProtocolFile(parse_protocol(raw, p.name, frozenset(registry().ids())), raw)


@lru_cache(maxsize=16)
def _parsed(content: str, sha256: str) -> Protocol:
    proto = parse_protocol(content.encode("utf-8"), f"stored protocol {sha256[:12]}")
    if proto.sha256 != sha256:
        raise UserError("The stored protocol does not match its SHA-256; the database was "
                        "changed outside the application (run `epro audit verify`).")
    return proto


#: parsed protocols by SHA-256: the content column is read only for a version not seen yet
#: (screens and services ask for the protocol on many calls)
_BY_SHA: dict[str, Protocol] = {}


def _version(s: Session, version_id: int, sha256: str) -> Protocol:
    proto = _BY_SHA.get(sha256)
    if proto is None:
        content = s.scalar(select(ProtocolVersion.content)
                           .where(ProtocolVersion.id == version_id))
        proto = _BY_SHA.setdefault(sha256, _parsed(content, sha256))
    return proto


@dataclass(frozen=True)
class StoredProtocol:
    version_id: int
    protocol: Protocol


def current_study(s: Session) -> Study:
    study = s.scalar(select(Study).order_by(Study.id).limit(1))
    if study is None:
        raise UserError("No study is set up in this database: run `epro init` first.")
    return study


def has_protocol(s: Session, study: Study) -> bool:
    return s.scalar(select(ProtocolVersion.id).where(ProtocolVersion.study_id == study.id)
                    .limit(1)) is not None


def stored_protocol(s: Session, study: Study | None = None) -> StoredProtocol:
    """Inside a session: the newest protocol version of the study, parsed."""
    study = study or current_study(s)
    row = s.execute(select(ProtocolVersion.id, ProtocolVersion.sha256)
                    .where(ProtocolVersion.study_id == study.id)
                    .order_by(ProtocolVersion.id.desc()).limit(1)).first()
    if row is None:
        raise UserError("This database has no protocol file loaded yet (it was made by an "
                        "older version): an administrator runs `epro study load FILE`.")
    return StoredProtocol(row[0], _version(s, row[0], row[1]))


def protocol_version_of(s: Session, version_id: int) -> Protocol:
    sha = s.scalar(select(ProtocolVersion.sha256).where(ProtocolVersion.id == version_id))
    if sha is None:
        raise UserError(f"Protocol version {version_id} does not exist.")
    return _version(s, version_id, sha)


def patient_protocol(s: Session, patient_id: int) -> Protocol:
    """The protocol version a patient was enrolled under; patients enrolled before protocol
    files (migration 0005) follow the study's current version. Kept for the transaction
    (``s.info``): an enrolment's version never changes, and a submit asks 4-5 times."""
    known = s.info.setdefault("patient_protocol", {})
    if patient_id in known:
        return known[patient_id]
    row = s.execute(select(ProtocolVersion.id, ProtocolVersion.sha256)
                    .join(Enrolment, Enrolment.protocol_version_id == ProtocolVersion.id)
                    .where(Enrolment.patient_id == patient_id)).first()
    if row is None:                   # one query (scoring and visits ask for it each call)
        return stored_protocol(s).protocol
    known[patient_id] = protocol = _version(s, row[0], row[1])
    return protocol


def recall_days(protocol: Protocol, instrument_id: str) -> int:
    """Minimum days between two administrations of an instrument (its recall period)."""
    try:
        return protocol.min_days_between(instrument_id)
    except KeyError:
        raise UserError(f"{instrument_id} is not an instrument of protocol "
                        f"{protocol.protocol_id}.") from None


def current_protocol(db: Database) -> Protocol:
    """The protocol the database runs now (readable by every role)."""
    with db.read_session() as s:
        return stored_protocol(s).protocol


__all__ = ["ProtocolFile", "StoredProtocol", "current_protocol", "current_study",
           "has_protocol", "patient_protocol", "protocol_version_of", "recall_days",
           "read_protocol_file", "stored_protocol"]
