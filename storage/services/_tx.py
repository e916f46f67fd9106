"""One transaction per service call: permission check, audit context, error mapping."""
from __future__ import annotations

import logging
import unicodedata
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from forms.errors import UserError
from storage import audit, auth_sessions, permissions
from storage.actors import Actor
from storage.db import Database
from storage.errors import AuthError, ConflictError, NotFound, PermissionDenied

log = logging.getLogger("storage.services")
T = TypeVar("T")


def _record_denial(db: Database, actor: Actor, what: str) -> None:
    """An ``authz.denied`` event (no patient data), in its own transaction."""
    with db.session() as s:
        audit.set_context(s, actor, "authz.denied")
        audit.log_event(s, "authz.denied", detail=what)


def authenticated(db: Database, actor: Actor) -> Actor:
    """``actor`` as the database knows it now (session live, account active and unlocked, role
    re-read), in a short read; a forged, ended or expired session raises AuthError (audited)."""
    try:
        with db.read_session() as s:
            return auth_sessions.resolve(s, actor)
    except AuthError as exc:
        _refuse(db, actor, exc)
        raise


def _refuse(db: Database, actor: Actor, exc: AuthError) -> None:
    log.warning("session refused: kind=%s user_id=%s: %s", actor.kind, actor.user_id, exc)
    _record_denial(db, Actor.system(actor.station_id),
                   f"session refused (user_id={actor.user_id}): {exc}")


def check_permission(db: Database, actor: Actor, action: str) -> Actor:
    """The authenticated actor (see :func:`authenticated`) if its role as stored may do
    ``action``; else PermissionDenied, after recording an ``authz.denied`` event."""
    real = authenticated(db, actor)
    _deny_unless(db, real, action)
    return real


def _deny_unless(db: Database, real: Actor, action: str) -> None:
    if permissions.allowed(real, action):
        return
    _record_denial(db, real, action)
    log.warning("permission denied: role=%s action=%s", permissions.role_of(real), action)
    permissions.require(real, action)


class _Refused(Exception):
    """Leaves the transaction (rolled back) before the denial is recorded in a new one."""

    def __init__(self, actor: Actor, auth: AuthError | None = None) -> None:
        super().__init__()
        self.actor, self.auth = actor, auth


@contextmanager
def tx(db: Database, actor: Actor, action: str, *, permission: str | None = None,
       reason: str | None = None, patient_id: int | None = None) -> Iterator[Session]:
    """One write transaction for ``actor``: its session and account are re-read from the
    database in the same transaction and the role stored there decides ``permission``."""
    try:
        with db.session() as s:
            try:
                real = auth_sessions.resolve(s, actor)
            except AuthError as exc:
                raise _Refused(actor, exc) from None
            if permission is not None and not permissions.allowed(real, permission):
                raise _Refused(real)
            audit.set_context(s, real, action, reason, patient_id)
            yield s
    except _Refused as refused:
        if refused.auth is not None:
            _refuse(db, actor, refused.auth)
            raise refused.auth from None
        assert permission is not None
        _deny_unless(db, refused.actor, permission)
        raise AssertionError("unreachable")            # _deny_unless raised
    except StaleDataError as exc:
        raise ConcurrentChange("Someone else changed this record in the meantime. Nothing "
                               "was saved; reload and try again.") from exc
    except IntegrityError as exc:
        log.warning("integrity error in %s (constraint: %s)", action, _constraint(exc))
        raise ConcurrentChange(f"The change breaks a data rule ({_constraint(exc)}); nothing "
                               "was saved.") from exc
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) not in _LOST_RACE:
            raise
        log.warning("%s lost a race on PostgreSQL (SQLSTATE %s)", action, exc.orig.sqlstate)
        raise ConcurrentChange("Someone else changed this record in the meantime. Nothing "
                               "was saved; reload and try again.") from exc


# PostgreSQL's "deadlock detected" and "could not serialize access": the transaction was
# rolled back because another one changed the same rows; nothing was saved
_LOST_RACE = frozenset({"40P01", "40001"})


class ConcurrentChange(ConflictError):
    """The transaction lost a race with another writer of the same rows (a version check or a
    unique key), or broke a constraint; it was rolled back."""


def once_more_on_race(call: Callable[[], T]) -> T:
    """Run one service transaction; when it lost a race with another writer of the same rows
    (``ConcurrentChange``: on PostgreSQL two stations autosaving one questionnaire), run it once
    more. Only for idempotent saves (an answer, a skip): the second run re-reads the rows, so
    the result is as if the two writes came one after the other (last one wins, audited as a
    change); a real rule violation fails again and is reported."""
    try:
        return call()
    except ConcurrentChange:
        log.info("lost a write race; retrying once")
        return call()


def _constraint(exc: IntegrityError) -> str:
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return str(diag.constraint_name)
    text = str(orig).split("\n")[0]
    # sqlite messages name the constraint or columns, never values
    return text[:120]


def get(s: Session, model: type[T], ident: int, what: str) -> T:
    obj = s.get(model, ident)
    if obj is None:
        raise NotFound(f"{what} {ident} does not exist.")
    return obj


def clean_text(value: str | None, what: str, *, max_len: int, required: bool = False,
               multiline: bool = False) -> str | None:
    """NFC, stripped, no control or bidi-override characters, bounded length."""
    if value is None or not str(value).strip():
        if required:
            raise UserError(f"{what} is required.")
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    for ch in text:
        cat = unicodedata.category(ch)
        if (cat == "Cc" and not (multiline and ch in "\n\t")) or ch in "\u202a\u202b\u202c" \
                "\u202d\u202e\u2066\u2067\u2068\u2069":
            raise UserError(f"{what} contains a control character.")
    if len(text) > max_len:
        raise UserError(f"{what} is too long (at most {max_len} characters).")
    return text


def require_reason(reason: str | None, what: str = "A reason") -> str:
    text = clean_text(reason, what, max_len=1000, required=True, multiline=True)
    assert text is not None
    return text


__all__ = ["tx", "get", "check_permission", "authenticated", "ConcurrentChange",
           "once_more_on_race", "clean_text", "require_reason", "PermissionDenied"]
