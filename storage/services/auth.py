"""Staff accounts: argon2id hashes, lockout after 5 failures for 15 minutes, audited logins,
the password policy (``forms.passwords``) on every password stored, own password change."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms.errors import UserError
from forms.passwords import MIN_LENGTH, check_password
from storage import audit
from storage.actors import ROLES, Actor
from storage.auth_sessions import begin_staff_session, system_actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import AuthError, ConflictError
from storage.models import User
from storage.services._tx import clean_text, tx

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = MIN_LENGTH               # the policy lives in forms/passwords.py
AUTH_FAILED = "Login failed: wrong user name or password, or the account is locked."
_hasher = PasswordHasher()          # argon2id, t=3, m=64 MiB, p=4 (above OWASP minimum)
# checked against for an unknown account (same work as a real check). A constant made once with
# this hasher's parameters (argon2id m=65536, t=3, p=4): hashing it at import cost 0.75 s on the
# GUI thread before the login screen (issue 16); tests/test_startup_imports.py checks the
# parameters still match the hasher's.
_DUMMY = ("$argon2id$v=19$m=65536,t=3,p=4$OlctHnCcNlm3M76XkuIwCQ$"
          "b12JSExinJ0OKPd27yNlWhhHM7bAoTiej3HM0d7xZP0")


def hash_password(password: str, username: str | None = None) -> str:
    """The argon2id hash of a password that passes the policy (UserError naming every problem)."""
    check_password(password, username)
    return _hasher.hash(password)


def _check(user: User | None, password: str, pin: bool = False) -> bool:
    """``pin``: check the account's kiosk PIN instead of its password (none set: fails after
    the same work)."""
    stored = (user.kiosk_pin_hash if pin else user.password_hash) if user else None
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _actor(s: Session, user: User, station_id: str | None) -> Actor:
    """A new login session of ``user`` (stored; its start decides the first signature)."""
    return begin_staff_session(s, user, station_id)


def verify_user_password(s: Session, user: User, password: str, station_id: str | None,
                         purpose: str, *, pin: bool = False) -> bool:
    """Check a password (``pin``: the kiosk PIN, same failure count and lockout) inside the
    caller's transaction, counting failures toward lockout.

    Returns False (after auditing) on failure; the caller commits and then raises AuthError.
    """
    now = utcnow()
    if not user.active or (user.locked_until and user.locked_until > now):
        audit.log_event(s, f"{purpose}.refused_locked", entity="user_account", entity_id=user.id)
        return False
    if _check(user, password, pin):
        user.failed_logins = 0
        user.locked_until = None
        if not pin and _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return True
    user.failed_logins += 1
    audit.log_event(s, f"{purpose}.failure", entity="user_account", entity_id=user.id)
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0
        audit.log_event(s, "auth.lockout", entity="user_account", entity_id=user.id,
                        detail=f"locked for {int(LOCKOUT.total_seconds() // 60)} minutes")
    return False


def authenticate(db: Database, username: str, password: str, *,
                 station_id: str | None = None) -> Actor:
    """Same message whether the user is unknown, the password wrong or the account locked."""
    ok_actor: Actor | None = None
    with tx(db, system_actor(station_id), "auth.login") as s:
        user = s.scalar(select(User).where(User.username == (username or "").strip()))
        if user is None:
            _check(None, password or "")           # same work as a real check
            audit.log_event(s, "auth.failure", detail="unknown user")
        else:
            if verify_user_password(s, user, password or "", station_id, "auth"):
                ok_actor = _actor(s, user, station_id)
                audit.set_context(s, ok_actor, "auth.login")
                audit.log_event(s, "auth.login", entity="user_account", entity_id=user.id)
    if ok_actor is None:
        raise AuthError(AUTH_FAILED)
    return ok_actor


def create_user(db: Database, actor: Actor, *, username: str, full_name: str, role: str,
                password: str) -> int:
    name = clean_text(username, "User name", max_len=64, required=True)
    assert name is not None
    if role not in ROLES:
        raise UserError(f"Unknown role {role!r} (use {', '.join(ROLES)}).")
    pw_hash = hash_password(password, name)
    with tx(db, actor, "user.create", permission="manage_users") as s:
        if s.scalar(select(User.id).where(User.username == name)) is not None:
            raise ConflictError("This user name exists (user names are never reused).")
        user = User(username=name, role=role, password_hash=pw_hash, created_at=utcnow(),
                    password_changed_at=utcnow(),
                    full_name=clean_text(full_name, "Full name", max_len=200,
                                         required=True) or "")
        s.add(user)
        s.flush()
        return user.id


def change_password(db: Database, actor: Actor, *, old_password: str,
                    new_password: str) -> Actor:
    """A staff member changes their own password: the current one re-entered (a wrong one
    counts toward the lockout), the new one under the policy and different from the current.

    Clears a forced change (after an administrator's reset). Audited as ``user.password_change``
    (never the password). Returns the session's actor with the change requirement lifted.
    """
    if actor.kind != "user" or actor.user_id is None:
        raise UserError("Only a staff account has a password to change.")
    check_password(new_password, actor.username)
    changed = False
    with tx(db, actor, "user.password_change") as s:
        user = s.get(User, actor.user_id)
        if user is None:
            raise AuthError(AUTH_FAILED)
        if verify_user_password(s, user, old_password or "", actor.station_id,
                                "password_change"):
            if _check(user, new_password):
                raise UserError("The new password must differ from the current one.")
            user.password_hash = _hasher.hash(new_password)
            user.must_change_password = False
            user.password_changed_at = utcnow()
            audit.log_event(s, "user.password_change", entity="user_account", entity_id=user.id)
            changed = True
    if not changed:
        raise AuthError("The current password is wrong or the account is locked; the password "
                        "was not changed.")
    return replace(actor, must_change_password=False)


def user_count(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(User.id))) or 0
