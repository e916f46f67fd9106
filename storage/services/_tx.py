"""One transaction per service call: permission check, audit context, error mapping."""
from __future__ import annotations

import logging
import unicodedata
from contextlib import contextmanager
from typing import Iterator, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from forms.errors import UserError
from storage import audit, permissions
from storage.actors import Actor
from storage.db import Database
from storage.errors import ConflictError, NotFound, PermissionDenied

log = logging.getLogger("storage.services")
T = TypeVar("T")


def check_permission(db: Database, actor: Actor, action: str) -> None:
    """Raise PermissionDenied, after recording an ``authz.denied`` event (no patient data)."""
    if permissions.allowed(actor, action):
        return
    with db.session() as s:
        audit.set_context(s, actor, "authz.denied")
        audit.log_event(s, "authz.denied", detail=action)
    log.warning("permission denied: role=%s action=%s", permissions.role_of(actor), action)
    permissions.require(actor, action)


@contextmanager
def tx(db: Database, actor: Actor, action: str, *, permission: str | None = None,
       reason: str | None = None, patient_id: int | None = None) -> Iterator[Session]:
    if permission is not None:
        check_permission(db, actor, permission)
    try:
        with db.session() as s:
            audit.set_context(s, actor, action, reason, patient_id)
            yield s
    except StaleDataError as exc:
        raise ConflictError("Someone else changed this record in the meantime. Nothing was "
                            "saved; reload and try again.") from exc
    except IntegrityError as exc:
        log.warning("integrity error in %s (constraint: %s)", action, _constraint(exc))
        raise ConflictError(f"The change breaks a data rule ({_constraint(exc)}); nothing was "
                            "saved.") from exc


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


__all__ = ["tx", "get", "check_permission", "clean_text", "require_reason", "PermissionDenied"]
