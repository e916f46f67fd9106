"""Append-only, keyed hash-chained audit trail, written in the same transaction as the change.

Every flush of an audited model writes ONE ``audit_event`` row per changed entity (its changed
fields with old and new canonical values as canonical JSON, actor and role or patient/station,
UTC time, action, reason) from an ``after_flush`` listener, so no service can forget it; events
(login, export, …) are one row each. Each row's hash is an HMAC-SHA256 under the site key
(``storage/audit_key.py``, a file outside the database) of the previous row's hash and the row's
canonical content, with a gap-free ``seq``. Credentials are in the chain as keyed "changed"
markers, never their value. ``storage.audit_verify.verify_audit`` re-computes the chain and
checks that every current value in the data tables equals its last audited value.
"""
from __future__ import annotations

import functools
import hmac
import json
import json.encoder
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import Connection, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from storage import audit_key
from storage.actors import Actor
from storage.clock import utcnow
from storage.models import AuditEvent, Base

GENESIS = "0" * 64
PG_AUDIT_LOCK = 0x45505230  # advisory lock serialising the chain on PostgreSQL
_CTX = "audit_ctx"
_KEY = "audit_site_key"
_HEAD_KEY = "audit_chain_head"
_PENDING = "audit_deferred"     # Core-written changes waiting for the next flush (defer_many)
_HASHED = ("seq", "at", "action", "operation", "entity", "entity_id", "changes", "detail",
           "reason", "actor_kind", "actor_user_id", "actor_username", "actor_role",
           "station_id", "patient_id")


class UnattributedChange(RuntimeError):
    """A flush changed audited data without an actor: a programming error, never allowed."""


@dataclass
class AuditContext:
    actor: Actor
    action: str
    reason: str | None = None
    patient_id: int | None = None


def set_context(session: Session, actor: Actor, action: str, reason: str | None = None,
                patient_id: int | None = None) -> AuditContext:
    ctx = AuditContext(actor, action, reason, patient_id or actor.patient_id)
    session.info[_CTX] = ctx
    return ctx


def context(session: Session) -> AuditContext | None:
    return session.info.get(_CTX)


def canon(value: Any) -> str | None:
    """Canonical text of a stored value (what the audit trail records and verify compares)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in audited data")
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return str(value)


_SORTED_KEYS = tuple(sorted(_HASHED))
_KEY_PREFIX = tuple('"' + k + '":' for k in _SORTED_KEYS)   # plain ASCII names
_encode_str = json.encoder.encode_basestring                  # what json.dumps uses for str


def canon_json(value: Any) -> str:
    """Canonical JSON: keys sorted, no spaces, UTF-8 text (not ASCII-escaped)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _json_value(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _encode_str(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return canon_json(value)


def row_content(row: dict[str, Any]) -> str:
    """The row's canonical JSON (keys sorted, no spaces, UTF-8): exactly ``canon_json`` of the
    hashed columns with ``at`` canonicalised, written out by hand because every row pays."""
    parts = []
    for key, prefix in zip(_SORTED_KEYS, _KEY_PREFIX):
        value = canon(row.get("at")) if key == "at" else row.get(key)
        parts.append(prefix + _json_value(value))
    return "{" + ",".join(parts) + "}"


def row_hash(key: bytes, prev_hash: str, row: dict[str, Any]) -> str:
    """HMAC-SHA256 under the site key of the previous row's hash + the row's canonical JSON."""
    return hmac.new(key, (prev_hash + row_content(row)).encode("utf-8"),
                    "sha256").hexdigest()


def _audited(obj: object) -> bool:
    return isinstance(obj, Base) and getattr(type(obj), "__audited__", False)


def audited_columns(cls: type) -> list[str]:
    return list(_audited_columns(cls))


@functools.cache
def _audited_columns(cls: type) -> tuple[str, ...]:
    excl = cls.__audit_exclude__
    return tuple(c.key for c in inspect(cls).column_attrs if c.key not in excl)


def secret_columns(cls: type) -> frozenset[str]:
    """Credential columns (password/PIN hashes): audited as keyed "changed" markers only."""
    return getattr(cls, "__audit_secret__", frozenset())


def audited_value(cls: type, column: str, value: Any, key: bytes) -> str | None:
    """What the trail records for ``column`` of ``cls`` holding ``value``."""
    if column in secret_columns(cls):
        return audit_key.secret_marker(key, value)
    return canon(value)


_HEAD = select(AuditEvent.seq, AuditEvent.row_hash).order_by(AuditEvent.seq.desc()).limit(1)


def _key(session: Session) -> bytes:
    """The site key, read (and its file checked) once per session, i.e. per transaction: no
    key, nothing is saved."""
    key = session.info.get(_KEY)
    if key is None:
        key = session.info[_KEY] = audit_key.load_key()
    return key


def hold_chain(session: Session) -> bool:
    """PostgreSQL: take the chain's advisory lock now, before a service's checks (every
    audited write takes it at its first flush anyway; a transaction lock, taken again by
    ``_append``, released at commit or rollback). Statements after it see every change
    committed before, and no other writer commits until this transaction ends: a check and
    the write it allows are one step. SQLite: nothing to do (``BEGIN IMMEDIATE`` already holds
    the write lock). True when it locked."""
    return lock_chain(session.connection())


def lock_chain(conn: Connection) -> bool:
    """The chain's transaction-level advisory lock on a PostgreSQL connection (the one place
    that takes it); False on SQLite, which needs none."""
    if conn.dialect.name != "postgresql":
        return False
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": PG_AUDIT_LOCK})
    return True


def _append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Chain and insert rows (after the current head) on the session's connection."""
    if not rows:
        return
    key = _key(session)                 # no key: refuse to write (nothing is saved)
    conn = session.connection()
    trans = session.get_transaction()
    known = session.info.get(_HEAD_KEY)
    if known is not None and known[0] is trans:
        seq, prev = known[1], known[2]  # this transaction holds the chain: nobody appended
    else:
        lock_chain(conn)
        head = conn.execute(_HEAD).first()
        seq, prev = (head[0], head[1]) if head else (0, GENESIS)
    for row in rows:
        seq += 1
        row["seq"] = seq
        row["row_hash"] = prev = row_hash(key, prev, row)
    insert_rows(conn, rows)
    # the head read once per transaction: on SQLite it holds the write lock (BEGIN IMMEDIATE),
    # on PostgreSQL the advisory lock above until it ends, so no other writer appends
    session.info[_HEAD_KEY] = (trans, seq, prev)


_COLUMNS = tuple(c.name for c in AuditEvent.__table__.columns)
_INSERTS: dict[str, tuple[str, tuple[str, ...] | None, Any]] = {}


def insert_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """One executemany of SQLAlchemy's own compiled INSERT, with the values bound by hand:
    every value is a plain str/int/None except ``at``, which goes through the column type's
    bind processor once per distinct time."""
    dialect = conn.dialect
    key = f"{dialect.name}/{dialect.paramstyle}"
    if key not in _INSERTS:
        compiled = insert(AuditEvent.__table__).compile(dialect=dialect,
                                                        column_keys=list(_COLUMNS))
        order = tuple(compiled.positiontup) if compiled.positional else None
        _INSERTS[key] = (str(compiled), order,
                         AuditEvent.__table__.c.at.type.bind_processor(dialect))
    sql, order, at_proc = _INSERTS[key]
    bound_at: dict[datetime, Any] = {}
    params: list[Any] = []
    for row in rows:
        at = row["at"]
        if at not in bound_at:
            bound_at[at] = at_proc(at) if at_proc else at
        values = {k: row.get(k) for k in _COLUMNS}
        values["at"] = bound_at[at]
        params.append(tuple(values[k] for k in order) if order is not None else values)
    conn.exec_driver_sql(sql, params)


def _base_row(ctx: AuditContext, operation: str, at: datetime) -> dict[str, Any]:
    a = ctx.actor
    return {"at": at, "action": ctx.action, "operation": operation, "reason": ctx.reason,
            "actor_kind": a.kind, "actor_user_id": a.user_id, "actor_username": a.username,
            "actor_role": a.role, "station_id": a.station_id, "patient_id": ctx.patient_id,
            "entity": None, "entity_id": None, "changes": None, "detail": None}


Change = tuple[str, str, int, dict[str, list[str | None]]]   # operation, entity, id, fields


def _changes(session: Session, key: bytes) -> Iterable[Change]:
    for obj in session.new:
        if _audited(obj):
            cls = type(obj)
            fields = {}
            for col in _audited_columns(cls):
                value = getattr(obj, col)
                if value is not None:
                    fields[col] = [None, audited_value(cls, col, value, key)]
            yield "insert", cls.__tablename__, obj.id, fields
    for obj in session.dirty:
        if not _audited(obj) or not session.is_modified(obj):
            continue
        cls = type(obj)
        state = inspect(obj)
        fields = {}
        for col in _audited_columns(cls):
            hist = state.attrs[col].history
            if hist.added or hist.deleted:
                old = audited_value(cls, col, hist.deleted[0] if hist.deleted else None, key)
                new = audited_value(cls, col, hist.added[0] if hist.added else None, key)
                if old != new:
                    fields[col] = [old, new]
        if fields:
            yield "update", cls.__tablename__, obj.id, fields
    for obj in session.deleted:
        if _audited(obj):
            cls = type(obj)
            fields = {}
            for col in _audited_columns(cls):
                value = getattr(obj, col)
                if value is not None:
                    fields[col] = [audited_value(cls, col, value, key), None]
            yield "delete", cls.__tablename__, obj.id, fields


def _append_changes(session: Session, items: Iterable[Change]) -> None:
    """One audit row per changed entity, the time read once, chained after the current head in
    this transaction."""
    items = list(items)
    if not items:
        return
    ctx = context(session)
    if ctx is None:
        raise UnattributedChange("audited data changed without an actor (use a service)")
    at = utcnow()
    rows = []
    for op, entity, entity_id, fields in items:
        row = _base_row(ctx, op, at)
        row.update(entity=entity, entity_id=entity_id, changes=canon_json(fields))
        rows.append(row)
    _append(session, rows)


def _after_flush(session: Session, _flush_context: object) -> None:
    pending = session.info.pop(_PENDING, None)
    if not (session.new or session.dirty or session.deleted or pending):
        return
    key = _key(session)
    _append_changes(session, [*(pending or ()), *_changes(session, key)])


def append_changes(session: Session, entity: str, entity_id: int, operation: str,
                   fields: Iterable[tuple[str, Any, Any]]) -> None:
    """Audit a change written with Core statements instead of an ORM flush (the autosave fast
    path): exactly the row ``_after_flush`` writes for the same change. ``fields``: (column,
    old, new) of a table without credential columns."""
    append_many(session, [(entity, entity_id, operation, fields)])


def append_many(session: Session,
                changes: Iterable[tuple[str, int, str, Iterable[tuple[str, Any, Any]]]]) -> None:
    """:func:`append_changes` for several changes written by one batch of Core statements
    (entity, id, operation, fields each): the rows one ORM flush of the same changes writes —
    one time, one read of the chain head, one executemany."""
    _append_changes(session, [(operation, entity, entity_id, _changed(fields))
                              for entity, entity_id, operation, fields in changes])


def _changed(fields: Iterable[tuple[str, Any, Any]]) -> dict[str, list[str | None]]:
    changed = {}
    for col, old, new in fields:
        o, n = canon(old), canon(new)
        if o != n:
            changed[col] = [o, n]
    return changed


def defer_many(session: Session,
               changes: Iterable[tuple[str, int, str, Iterable[tuple[str, Any, Any]]]]) -> None:
    """:func:`append_many` for Core writes that ORM changes of the same step follow (a submit:
    its answers and administration by Core, the visit by the ORM): their rows go FIRST into the
    next flush's audit rows — one time, one executemany, as one ORM flush of all of them.
    The caller ends the step with :func:`flush_deferred`, so nothing stays unaudited."""
    items = session.info.setdefault(_PENDING, [])
    for entity, entity_id, operation, fields in changes:
        items.append((operation, entity, entity_id, _changed(fields)))


def flush_deferred(session: Session) -> None:
    """Flush the session; the deferred Core changes are audited with its ORM changes, or alone
    when it had none."""
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        _append_changes(session, pending)


def log_event(session: Session, action: str, *, entity: str | None = None,
              entity_id: int | None = None, detail: str | None = None,
              reason: str | None = None) -> None:
    """Record an event that is not a field change (login, lockout, denied access, backup)."""
    ctx = context(session)
    if ctx is None:
        raise UnattributedChange("audit event without an actor")
    row = _base_row(ctx, "event", utcnow())
    row.update(action=action, entity=entity, entity_id=entity_id, detail=detail,
               reason=reason if reason is not None else ctx.reason)
    _append(session, [row])


def install(factory: sessionmaker) -> None:
    """Audit every flush of sessions made by ``factory`` (a NEW sessionmaker: ``Database``
    makes one per open and installs once). Unconditional on purpose: ``event.contains`` is keyed
    by the ``id()`` of the factory's Session class, so a new factory whose class reused a
    collected one's id was taken as "already listening" and wrote no audit rows at all."""
    event.listen(factory, "after_flush", _after_flush)


__all__ = ["AuditContext", "GENESIS", "append_changes", "append_many", "canon", "canon_json",
           "context", "defer_many", "flush_deferred", "hold_chain", "install", "lock_chain",
           "log_event", "row_hash", "set_context"]
