"""Concealed allocation (protocol.md §4): the slot table, filled at set-up, drawn at enrolment.

Permuted blocks are generated from a secret seed (``secrets``; the seed is never stored or
shown, so staff cannot predict the next arm) into ``allocation_slot`` when a protocol version
with ``allocation.method == "permuted_blocks"`` is loaded, in batches of whole blocks; a new
batch is generated when a batch is used up. With ``method == "list"`` an administrator imports
the concealed list (``allocation import FILE``). A slot's arm is kept out of the per-field audit
trail until it is used; the SHA-256 of each generated or imported list is audited, so the list
can be checked against the sealed original later. Enrolment takes the lowest unused sequence
number of the current protocol version; the patient's arm is audited on ``patient.arm``.
"""
from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms.allocation import parse_allocation_list, permuted_block_sequence
from forms.errors import UserError
from forms.protocol import Protocol
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.models import AllocationSlot, Patient, Study
from storage.services._tx import tx
from storage.services.protocol_store import current_study, stored_protocol

#: slots generated at a time (rounded up to whole blocks by forms.allocation)
BATCH = 60


def _list_digest(pairs: list[tuple[int, str]]) -> str:
    return hashlib.sha256("".join(f"{seq},{arm}\n" for seq, arm in pairs).encode()).hexdigest()


def _next_sequence(s: Session, study_id: int) -> int:
    return (s.scalar(select(func.max(AllocationSlot.sequence))
                     .where(AllocationSlot.study_id == study_id)) or 0) + 1


def generate_slots(s: Session, study_id: int, version_id: int, protocol: Protocol,
                   n: int = BATCH) -> int:
    """Inside a transaction: append ``n`` (or more, whole blocks) permuted-block slots."""
    alloc = protocol.allocation
    rng = random.Random(secrets.randbits(128))          # secret, never stored
    arms = [arm for block in permuted_block_sequence(alloc.ratio, alloc.block_sizes, n, rng)
            for arm in block]                            # whole blocks, never cut
    start = _next_sequence(s, study_id)
    pairs = [(start + i, arm) for i, arm in enumerate(arms)]
    s.add_all(AllocationSlot(study_id=study_id, protocol_version_id=version_id, sequence=seq,
                             arm=arm, source="permuted_blocks") for seq, arm in pairs)
    s.flush()
    audit.log_event(s, "allocation.generated", entity="protocol_version", entity_id=version_id,
                    detail=f"permuted blocks {list(alloc.block_sizes)}: sequence "
                           f"{pairs[0][0]}-{pairs[-1][0]}, sha256={_list_digest(pairs)}")
    return len(pairs)


def next_slot(s: Session, study_id: int, version_id: int, protocol: Protocol) -> AllocationSlot:
    """Inside the enrolment transaction: the next unused slot of the protocol version (locked
    until commit). A used-up permuted-block list gets a new batch; a used-up or missing
    imported list refuses the enrolment. The caller marks it used with :func:`use_slot`."""
    # one enrolment at a time per study takes a slot: lock the study row (PostgreSQL; SQLite
    # runs every write transaction alone). Locking only the slot row is not enough: a second
    # transaction waiting on it would find it used and, with LIMIT 1, no row at all.
    s.execute(select(Study.id).where(Study.id == study_id).with_for_update())

    def first_unused() -> AllocationSlot | None:
        return s.scalar(select(AllocationSlot)
                        .where(AllocationSlot.protocol_version_id == version_id,
                               AllocationSlot.used_by.is_(None))
                        .order_by(AllocationSlot.sequence).limit(1).with_for_update())
    slot = first_unused()
    if slot is None and protocol.allocation.method == "permuted_blocks":
        generate_slots(s, study_id, version_id, protocol)
        slot = first_unused()
    if slot is None:
        raise UserError("The allocation list is used up (or was not imported): an "
                        "administrator imports it with `epro allocation import FILE`. Nobody "
                        "was enrolled.")
    if slot.arm not in {a.id for a in protocol.arms}:
        raise UserError(f"Allocation slot {slot.sequence} names an arm the protocol does not "
                        "have; nobody was enrolled. Check the imported list.")
    return slot


def use_slot(slot: AllocationSlot, patient: Patient) -> None:
    slot.used_by = patient.id
    slot.used_at = utcnow()


@dataclass(frozen=True)
class AllocationStatus:
    method: str
    used: int
    unused: int


def allocation_status(db: Database) -> AllocationStatus:
    """How many slots of the current protocol version are used / left (never which arm)."""
    with db.read_session() as s:
        sp = stored_protocol(s)
        rows = dict(s.execute(select(AllocationSlot.used_by.is_(None), func.count())
                              .where(AllocationSlot.protocol_version_id == sp.version_id)
                              .group_by(AllocationSlot.used_by.is_(None))).all())
        return AllocationStatus(sp.protocol.allocation.method, rows.get(False, 0),
                                rows.get(True, 0))


def import_allocation_list(db: Database, actor: Actor, path: str | Path) -> int:
    """Admin: import a concealed allocation list (CSV ``seq,arm``) for the current protocol
    version, all or nothing. Only for a protocol whose allocation method is ``list``; sequence
    numbers already in the table are refused. Audited with the file's and the list's SHA-256."""
    p = Path(path)
    try:
        raw = p.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise UserError(f"Cannot read {p.name} as a UTF-8 text file.") from None
    with tx(db, actor, "allocation.import", permission="manage_allocation") as s:
        study = current_study(s)
        sp = stored_protocol(s, study)
        if sp.protocol.allocation.method != "list":
            raise UserError("This protocol allocates by "
                            f"{sp.protocol.allocation.method.replace('_', ' ')}, not by an "
                            "imported list; nothing was imported.")
        pairs = parse_allocation_list(text, sp.protocol)
        taken = set(s.scalars(select(AllocationSlot.sequence)
                              .where(AllocationSlot.study_id == study.id)))
        clash = sorted(seq for seq, _arm in pairs if seq in taken)
        if clash:
            raise UserError(f"{p.name}: sequence number(s) {', '.join(map(str, clash[:10]))} "
                            "are already in the allocation table; nothing was imported.")
        s.add_all(AllocationSlot(study_id=study.id, protocol_version_id=sp.version_id,
                                 sequence=seq, arm=arm, source="list") for seq, arm in pairs)
        s.flush()
        audit.log_event(s, "allocation.imported", entity="protocol_version",
                        entity_id=sp.version_id,
                        detail=f"{p.name}: {len(pairs)} slots, file sha256="
                               f"{hashlib.sha256(raw).hexdigest()}, list sha256="
                               f"{_list_digest(sorted(pairs))}")
        return len(pairs)


__all__ = ["AllocationStatus", "BATCH", "allocation_status", "generate_slots",
           "import_allocation_list", "next_slot", "use_slot"]
