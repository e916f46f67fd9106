"""The study and the protocol it runs: set-up from a protocol file, new versions, `study show`.

The protocol file (``forms.protocol``) is the single authority for arms, visits, batteries,
recall periods, eligibility criteria and allocation. Storage keeps every version that was loaded
(content + SHA-256, who, when, audited) and always reads the rules back from the stored content
of the newest version (``current_protocol``), never from a second copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms.errors import UserError
from forms.registry import DEFAULT_PRIMARY_SCORING, PRIMARY_SCORING_IDS
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError
from storage.models import ProtocolVersion, Study
from storage.services._tx import tx
from storage.services.allocation import generate_slots
from storage.services.protocol_store import (ProtocolFile, current_protocol, current_study,
                                             read_protocol_file)

SCORINGS = PRIMARY_SCORING_IDS      # scoring-algorithm choices (forms.registry.PRIMARY_SCORINGS)
SCORINGS_TEXT = " or ".join(SCORINGS)


def _add_version(s: Session, study: Study, pf: ProtocolFile, actor: Actor) -> ProtocolVersion:
    p = pf.protocol
    pv = ProtocolVersion(study_id=study.id, protocol_id=p.protocol_id, registry_id=p.registry_id,
                         version=p.version, sha256=p.sha256, content=pf.text, loaded_at=utcnow(),
                         loaded_by=actor.username or actor.kind)
    s.add(pv)
    s.flush()
    audit.log_event(s, "protocol.load", entity="protocol_version", entity_id=pv.id,
                    detail=f"{p.protocol_id} version {p.version} sha256={p.sha256}")
    if p.allocation.method == "permuted_blocks":
        generate_slots(s, study.id, pv.id, p)
    return pv


def new_study(s: Session, pf: ProtocolFile, actor: Actor, *, is_demo: bool = False,
              primary_sf36_scoring: str = DEFAULT_PRIMARY_SCORING) -> Study:
    """Inside a transaction: the study row and its first protocol version (+ allocation)."""
    p = pf.protocol
    if s.scalar(select(Study.id).limit(1)) is not None:
        raise ConflictError("This database already has a study; load a new protocol version "
                            "with `epro study load FILE`.")
    # arms / visit_schedule: columns of databases made before protocol files (0005); the
    # protocol version is the authority, so a new study keeps them empty
    study = Study(protocol_id=p.protocol_id, title=p.title.get("en") or p.protocol_id,
                  arms=[], visit_schedule=[], primary_sf36_scoring=primary_sf36_scoring,
                  is_demo=is_demo, created_at=utcnow())
    s.add(study)
    s.flush()
    _add_version(s, study, pf, actor)
    return study


def create_study(db: Database, actor: Actor, *, protocol: ProtocolFile | str | Path | None = None,
                 primary_sf36_scoring: str = DEFAULT_PRIMARY_SCORING,
                 is_demo: bool = False) -> int:
    """Set up the study from a protocol file (default: ``DEFAULT_PROTOCOL_PATH``)."""
    pf = protocol if isinstance(protocol, ProtocolFile) else read_protocol_file(protocol)
    if primary_sf36_scoring not in SCORINGS:
        raise UserError(f"Primary SF-36 scoring must be {SCORINGS_TEXT}.")
    with tx(db, actor, "study.create", permission="study_settings") as s:
        return new_study(s, pf, actor, is_demo=is_demo,
                         primary_sf36_scoring=primary_sf36_scoring).id


@dataclass(frozen=True)
class LoadResult:
    version_id: int
    changed: bool            # False: the same file (same SHA-256) was already the current one
    sha256: str
    version: str


def load_protocol_version(db: Database, actor: Actor,
                          protocol: ProtocolFile | str | Path) -> LoadResult:
    """Admin: run the study with a changed protocol file from now on (a new, audited version).
    The same SHA-256 as the current version is a no-op; another study's file is refused.
    A database without a protocol version yet (made before 0005) gets its first one."""
    pf = protocol if isinstance(protocol, ProtocolFile) else read_protocol_file(protocol)
    p = pf.protocol
    with tx(db, actor, "protocol.load", permission="load_protocol") as s:
        study = current_study(s)
        newest = s.scalar(select(ProtocolVersion).where(ProtocolVersion.study_id == study.id)
                          .order_by(ProtocolVersion.id.desc()).limit(1))
        if newest is None:           # made before 0005: the study takes the file's identity
            study.protocol_id = p.protocol_id
            study.title = p.title.get("en") or p.protocol_id
        elif p.protocol_id != study.protocol_id:
            raise UserError(f"This database runs study {study.protocol_id}; the file is for "
                            f"{p.protocol_id}. Nothing was loaded.")
        if newest is not None and newest.sha256 == p.sha256:
            return LoadResult(newest.id, False, p.sha256, p.version)
        return LoadResult(_add_version(s, study, pf, actor).id, True, p.sha256, p.version)


@dataclass(frozen=True)
class SetupResult:
    created: bool            # a new study was set up from the file
    loaded: bool             # the file became the current protocol version
    protocol_id: str
    version: str
    sha256: str
    file_sha256: str = ""    # the file given (differs from sha256 when the study runs another)


def set_up_study(db: Database, actor: Actor,
                 protocol: ProtocolFile | str | Path | None = None) -> SetupResult:
    """``epro init``: a database without a study gets it from the protocol file (default
    ``DEFAULT_PROTOCOL_PATH``); one made before protocol files gets the file as its first
    protocol version. A study that already runs a protocol is left as it is (a changed file is
    loaded by an administrator with ``epro study load``)."""
    pf = protocol if isinstance(protocol, ProtocolFile) else read_protocol_file(protocol)
    with db.session() as s:
        study = s.scalar(select(Study).order_by(Study.id).limit(1))
        versions = (0 if study is None else s.scalar(
            select(func.count(ProtocolVersion.id)).where(ProtocolVersion.study_id == study.id)))
    if study is None:
        create_study(db, actor, protocol=pf)
        return SetupResult(True, True, pf.protocol.protocol_id, pf.protocol.version,
                           pf.protocol.sha256)
    if not versions:
        r = load_protocol_version(db, actor, pf)
        return SetupResult(False, r.changed, pf.protocol.protocol_id, r.version, r.sha256)
    cur = current_protocol(db)
    return SetupResult(False, False, cur.protocol_id, cur.version, cur.sha256,
                       pf.protocol.sha256)


def study_show(db: Database) -> dict:
    """What the DATABASE runs: the stored protocol's summary (``Protocol.show()``)."""
    return current_protocol(db).show()


__all__ = ["LoadResult", "SetupResult", "create_study", "load_protocol_version", "new_study",
           "set_up_study", "study_show"]
