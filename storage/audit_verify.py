"""Check the audit trail: the keyed hash chain, and current data == last audited value.

The chain proves every row up to the newest one, but cannot show that the newest rows were
removed (the truncated chain is still a valid chain). Against that, ``audit verify``,
``backup`` and ``export`` print the chain HEAD (``SEQ:HASH``) and a signed checkpoint kept in
the site log beside the key; a head written down elsewhere is an anchor:
``audit verify --expect-head SEQ:HASH`` fails when the chain is shorter than SEQ or its row SEQ
has another hash. The trail may have grown since; that is fine.

Without the site key only the chain's STRUCTURE (gap-free seq, well-formed rows) and the data
against the last audited values are checked, and the result says the keyed check was not
possible. ``patient_summary`` (a cache) is recomputed and compared; ``alembic_version`` must be
this version's head.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from forms.errors import UserError
from forms.instrument import load_instrument
from forms.registry import registry
from storage import audit_key, patient_summary
from storage.audit import (GENESIS, audited_columns, audited_value, row_hash,
                           secret_columns)
from storage.clock import utcnow
from storage.models import AuditEvent, Base, PatientSummary, ResponseCode

if TYPE_CHECKING:
    from storage.db import Database


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    values: int
    first_problem: str | None = None
    head: str = ""          # "SEQ:HASH" of the newest verified row ("0:000…" when empty)
    keyed: bool = True      # False: no site key, only the structure was checked
    key_problem: str | None = None

    def __str__(self) -> str:
        if not self.ok:
            return f"audit FAILED: {self.first_problem}"
        if not self.keyed:
            return (f"audit PARTIAL: {self.events} events in a gap-free sequence, {self.values} "
                    "values match their last audited value, but the KEYED check was NOT "
                    f"possible (no site key: {self.key_problem}); a chain rebuilt by someone "
                    f"without the key is not detected by this run\naudit chain head: {self.head}")
        return f"audit OK: {self.events} events in an unbroken keyed chain, {self.values} " \
               f"values match their last audited value\naudit chain head: {self.head}"


def parse_head(text_: str) -> tuple[int, str]:
    """``SEQ:HASH`` (as printed by ``audit verify`` / ``backup``), or a signed checkpoint
    ``SEQ:HASH:TIME:HMAC`` from the site log -> (seq, hash)."""
    seq, sep, rest = str(text_).strip().partition(":")
    digest = rest.split(":", 1)[0].lower()
    if not sep or not seq.isdigit() or int(seq) < 1 or len(digest) != 64 \
            or any(c not in "0123456789abcdef" for c in digest):
        raise UserError("--expect-head must be SEQ:HASH as printed by `audit verify` or "
                        "`backup` (e.g. 1234:9f86d0…, 64 hex digits).")
    if rest.count(":") > 1 and audit_key.key_available() and not audit_key.checkpoint_ok(text_):
        raise UserError("--expect-head: the checkpoint's signature does not match the site key "
                        "(not written by this site, or altered).")
    return int(seq), digest


_HEAD_Q = select(AuditEvent.seq, AuditEvent.row_hash).order_by(AuditEvent.seq.desc()).limit(1)


def head_in(s: Session) -> str:
    row = s.execute(_HEAD_Q).first()
    return f"{row[0]}:{row[1]}" if row else f"0:{'0' * 64}"


def audit_head(db: "Database") -> str:
    """``SEQ:HASH`` of the newest audit row (not verified; see verify_audit)."""
    with db.read_session() as s:
        return head_in(s)


def checkpoint_head(db: "Database") -> str:
    """Sign the current head (``SEQ:HASH:TIME:HMAC``) and append it to the site log beside the
    key (outside the database): printed by ``backup`` and ``export``."""
    return audit_key.record_checkpoint(audit_head(db), utcnow())


def _audited_models() -> list[type]:
    return [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__audited__", False)]


def verify_audit(db: "Database", expect_head: str | None = None) -> VerifyResult:
    """Messages name tables, ids and fields only, never values (they may be patient data).

    ``expect_head`` (``SEQ:HASH``, an anchor recorded earlier) also fails the check when the
    chain no longer reaches SEQ (newest rows removed, or an older copy) or differs there."""
    from storage import migrate as mig          # alembic: only loaded for this check
    anchor = parse_head(expect_head) if expect_head is not None else None
    with db.session() as s:   # one transaction: the trail and the data are one snapshot
        return verify_in(s, anchor, expected_revision=mig.head_revision())


def verify_sqlite_file(path: Path, expect_head: str | None = None) -> VerifyResult:
    """``audit verify`` of a SQLite file, opened READ-ONLY (works on a read-only archived copy):
    the full ``PRAGMA integrity_check``, the schema head, the keyed chain and the data."""
    from storage import migrate as mig          # alembic: only loaded for this command
    from storage.db_files import refuse_missing
    anchor = parse_head(expect_head) if expect_head is not None else None
    path = Path(path).expanduser()
    state = mig.inspect_sqlite_file(path)          # header, application id, known revision
    refuse_missing(path, state)                    # nothing is ever created here
    engine = create_engine(f"sqlite:///{mig.read_only_uri(path)}&uri=true", hide_parameters=True,
                           connect_args={"isolation_level": None})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN")     # ONE read snapshot: the trail and the data agree
            try:
                rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
                if rows != [("ok",)]:
                    return VerifyResult(False, 0, 0, "the database file is damaged: SQLite "
                                        f"integrity_check reports {rows[0][0]!r}")
                with Session(bind=conn) as s:
                    return verify_in(s, anchor, expected_revision=mig.head_revision())
            finally:
                conn.exec_driver_sql("ROLLBACK")
    finally:
        engine.dispose()


def verify_in(s: Session, anchor: tuple[int, str] | None = None,
              expected_revision: str | None = None) -> VerifyResult:
    try:
        key: bytes | None = audit_key.load_key()
        key_problem = None
    except audit_key.AuditKeyMissing as exc:
        key, key_problem = None, str(exc)
    if expected_revision is not None:
        rev = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if rev != expected_revision:
            return VerifyResult(False, 0, 0, f"alembic_version is {rev!r}, expected "
                                f"{expected_revision!r} (schema changed outside the "
                                "application, or the database needs `epro init`)")
    last: dict[tuple[str, int], dict[str, Any]] = {}
    reinserted: str | None = None
    n = 0
    prev = GENESIS
    rows = s.execute(select(AuditEvent.__table__).order_by(AuditEvent.seq))
    for r in rows.mappings():
        n += 1
        if r["seq"] != n:
            return VerifyResult(False, n - 1, 0, f"audit chain broken: expected seq {n}, "
                                f"found seq {r['seq']} (a row is missing or inserted)")
        if key is not None and row_hash(key, prev, dict(r)) != r["row_hash"]:
            return VerifyResult(False, n - 1, 0, f"audit chain broken at seq {n}: the row's "
                                "keyed hash does not match (the row was edited, a row before "
                                "it was removed, or the chain was rebuilt without the site key)")
        prev = r["row_hash"]
        if anchor is not None and n == anchor[0] and prev != anchor[1]:
            return VerifyResult(False, n, 0, f"audit chain differs from the expected head at "
                                f"seq {n} (the trail was rewritten or this is another "
                                "database)", f"{n}:{prev}")
        if r["entity"] is None or r["operation"] == "event":
            continue
        try:
            fields = json.loads(r["changes"]) if r["changes"] else {}
        except ValueError:
            return VerifyResult(False, n, 0, f"audit row seq {n}: changes are not JSON")
        ent = (r["entity"], r["entity_id"])
        if r["operation"] == "delete":
            last.pop(ent, None)
            continue
        if r["operation"] == "insert":
            if ent in last and reinserted is None:   # SQLite reuses a deleted newest id
                reinserted = (f"{ent[0]} id {ent[1]} inserted again at seq {n} without an "
                              "audited delete (the earlier row was deleted outside the "
                              "application)")
            last[ent] = {}
        vals = last.setdefault(ent, {})
        for col, (_old, new) in fields.items():
            vals[col] = new
    head = f"{n}:{prev}"
    if anchor is not None and n < anchor[0]:
        return VerifyResult(False, n, 0, f"audit chain ends at seq {n} but the expected head "
                            f"is seq {anchor[0]}: the newest {anchor[0] - n} audit row(s) were "
                            "removed, or this is an older copy of the database", head)
    bad, values = _check_data(s, last, key)
    bad = reinserted or bad
    if bad is None:
        bad = _check_summary(s) or _check_response_codes(s)
    if bad is not None:
        return VerifyResult(False, n, values, bad, head)
    return VerifyResult(True, n, values, head=head, keyed=key is not None,
                        key_problem=key_problem)


def _check_data(s: Session, last: dict[tuple[str, int], dict[str, Any]],
                key: bytes | None) -> tuple[str | None, int]:
    values = 0
    for model in sorted(_audited_models(), key=lambda m: m.__tablename__):
        table = model.__tablename__
        cols = audited_columns(model)
        secret = secret_columns(model)
        present: set[int] = set()
        for obj in s.scalars(select(model).order_by(model.id)):
            present.add(obj.id)
            audited = last.get((table, obj.id))
            if audited is None:
                return f"{table} id {obj.id} has no audit record (inserted outside the " \
                       "application)", values
            for col in cols:
                if key is None and col in secret:
                    continue
                values += 1
                if audited_value(model, col, getattr(obj, col), key) != audited.get(col):
                    return f"{table} id {obj.id} field '{col}' differs from its last audited " \
                           "value (changed outside the application)", values
        for (t, eid) in sorted(k for k in last if k[0] == table):
            if eid not in present:
                return f"{table} id {eid} was deleted outside the application (no audited " \
                       "delete)", values
    return None, values


def _check_response_codes(s: Session) -> str | None:
    """``response_code`` (the codes the database lets an answer hold) is derived from the
    instrument files: for every registered instrument version it must hold exactly the
    instrument's codes (a code added outside the app would let an invalid answer in)."""
    table = ResponseCode.__table__
    stored: dict[tuple[str, str], set[tuple[str, int]]] = {}
    for iid, ver, item, code in s.execute(select(table.c.instrument_id,
                                                 table.c.instrument_version, table.c.item_id,
                                                 table.c.code)):
        stored.setdefault((iid, ver), set()).add((item, code))
    for entry in registry():
        got = stored.get((entry.id, entry.version))
        if got is None:
            continue                                  # never administered
        inst = load_instrument(entry.id, entry.directory)
        want = {(item.id, c) for item in inst.items for c in inst.options_for(item).codes}
        if got != want:
            return f"response_code of {entry.id} {entry.version} differs from the instrument " \
                   "file (codes added or removed outside the application)"
    return None


def _check_summary(s: Session) -> str | None:
    """``patient_summary`` is a cache of audited tables: it must equal a fresh computation."""
    want = patient_summary.compute(s.connection())
    table = PatientSummary.__table__
    got = {r["patient_id"]: dict(r) for r in s.execute(select(table)).mappings()}
    for pid in sorted(set(want) | set(got)):
        if pid not in got:
            continue                         # a missing row is computed on the fly
        if pid not in want:
            return f"patient_summary has a row for patient id {pid} that does not exist"
        for col, value in want[pid].items():
            if got[pid].get(col) != value:
                return f"patient_summary of patient id {pid} field '{col}' differs from the " \
                       "audited data (changed outside the application; `rebuild` it)"
    return None
