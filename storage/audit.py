"""Append-only, hash-chained audit trail, written in the same transaction as the change.

Every flush of an audited model writes one ``audit_event`` row per changed field (old and new
value, actor and role or patient/station, UTC time, action, reason) from an ``after_flush``
listener, so no service can forget it. Each row's hash covers its canonical content plus the
previous row's hash, with a gap-free ``seq``. ``verify_audit`` re-computes the chain and checks
that every current value in the data tables equals its last audited value.
"""
from __future__ import annotations

import functools
import hashlib
import json
import json.encoder
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import Connection, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from storage.actors import Actor
from storage.clock import utcnow
from storage.models import AuditEvent, Base

GENESIS = "0" * 64
PG_AUDIT_LOCK = 0x45505230  # advisory lock serialising the chain on PostgreSQL
_CTX = "audit_ctx"
_HASHED = ("seq", "at", "action", "operation", "entity", "entity_id", "field", "old_value",
           "new_value", "reason", "actor_kind", "actor_user_id", "actor_username", "actor_role",
           "station_id", "patient_id", "prev_hash")


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


def _json_value(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _encode_str(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_hash(row: dict[str, Any]) -> str:
    """SHA-256 of the previous hash + the row's canonical JSON (keys sorted, no spaces,
    UTF-8): exactly ``json.dumps(content, sort_keys=True, ensure_ascii=False,
    separators=(",", ":"))``, written out by hand because every audit row pays for it."""
    parts = []
    for key, prefix in zip(_SORTED_KEYS, _KEY_PREFIX):
        value = canon(row.get("at")) if key == "at" else row.get(key)
        parts.append(prefix + _json_value(value))
    blob = "{" + ",".join(parts) + "}"
    return hashlib.sha256((row["prev_hash"] + blob).encode("utf-8")).hexdigest()


def _audited(obj: object) -> bool:
    return isinstance(obj, Base) and getattr(type(obj), "__audited__", False)


def audited_columns(cls: type) -> list[str]:
    return list(_audited_columns(cls))


@functools.cache
def _audited_columns(cls: type) -> tuple[str, ...]:
    excl = cls.__audit_exclude__
    return tuple(c.key for c in inspect(cls).column_attrs if c.key not in excl)


_HEAD = select(AuditEvent.seq, AuditEvent.row_hash).order_by(AuditEvent.seq.desc()).limit(1)


def _append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Chain and insert rows (after the current head) on the session's connection."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": PG_AUDIT_LOCK})
    head = conn.execute(_HEAD).first()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS)
    for row in rows:
        seq += 1
        row["seq"] = seq
        row["prev_hash"] = prev
        row["row_hash"] = prev = row_hash(row)
    _insert_rows(conn, rows)


_COLUMNS = tuple(c.name for c in AuditEvent.__table__.columns)
_INSERTS: dict[str, tuple[str, tuple[str, ...] | None, Any]] = {}


def _insert_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """One executemany of SQLAlchemy's own compiled INSERT, with the values bound by hand:
    every value is a plain str/int/None except ``at``, which goes through the column type's
    bind processor once per batch (it is the same for every row of a flush)."""
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
            "entity": None, "entity_id": None, "field": None, "old_value": None,
            "new_value": None}


def _changes(session: Session) -> Iterable[tuple[str, object, str, Any, Any]]:
    for obj in session.new:
        if _audited(obj):
            for key in _audited_columns(type(obj)):
                value = getattr(obj, key)
                if value is not None:
                    yield "insert", obj, key, None, value
    for obj in session.dirty:
        if not _audited(obj) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for key in _audited_columns(type(obj)):
            hist = state.attrs[key].history
            if hist.added or hist.deleted:
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if canon(old) != canon(new):
                    yield "update", obj, key, old, new
    for obj in session.deleted:
        if _audited(obj):
            for key in _audited_columns(type(obj)):
                yield "delete", obj, key, getattr(obj, key), None


def _append_field_changes(session: Session,
                          items: Iterable[tuple[str, str, int, str, Any, Any]]) -> None:
    """One audit row per ``(operation, entity, entity id, field, old, new)``, values
    canonicalised, the time read once, chained after the current head in this transaction."""
    items = list(items)
    if not items:
        return
    ctx = context(session)
    if ctx is None:
        raise UnattributedChange("audited data changed without an actor (use a service)")
    at = utcnow()
    rows = []
    for op, entity, entity_id, key, old, new in items:
        row = _base_row(ctx, op, at)
        row.update(entity=entity, entity_id=entity_id, field=key, old_value=canon(old),
                   new_value=canon(new))
        rows.append(row)
    _append(session, rows)


def _after_flush(session: Session, _flush_context: object) -> None:
    _append_field_changes(session, ((op, type(obj).__tablename__, obj.id, key, old, new)
                                    for op, obj, key, old, new in _changes(session)))


def append_changes(session: Session, entity: str, entity_id: int,
                   changes: Iterable[tuple[str, str, Any, Any]]) -> None:
    """Audit a change written with Core statements instead of an ORM flush (the autosave fast
    path): exactly the rows ``_after_flush`` writes for the same change — one per
    ``(operation, field, old, new)`` in the caller's (column) order."""
    _append_field_changes(session, ((op, entity, entity_id, key, old, new)
                                    for op, key, old, new in changes))


def log_event(session: Session, action: str, *, entity: str | None = None,
              entity_id: int | None = None, detail: str | None = None,
              reason: str | None = None) -> None:
    """Record an event that is not a field change (login, lockout, denied access, backup)."""
    ctx = context(session)
    if ctx is None:
        raise UnattributedChange("audit event without an actor")
    row = _base_row(ctx, "event", utcnow())
    row.update(action=action, entity=entity, entity_id=entity_id, new_value=detail,
               reason=reason if reason is not None else ctx.reason)
    _append(session, [row])


def install(factory: sessionmaker) -> None:
    from sqlalchemy import event
    # event.contains, not a set of id()s: a new factory may reuse a collected one's id
    if not event.contains(factory, "after_flush", _after_flush):
        event.listen(factory, "after_flush", _after_flush)


from storage.audit_verify import VerifyResult, audit_head, verify_audit  # noqa: E402

__all__ = ["AuditContext", "VerifyResult", "append_changes", "audit_head", "canon", "context",
           "install", "log_event", "set_context", "verify_audit", "GENESIS"]
