"""Kiosk staff PIN (issue 12 item 6): set by the account holder with their password, unlocks the
kiosk by touch with the same capabilities as a password unlock.

argon2id-hashed like the password (``auth._hasher``); a wrong PIN counts toward the account's
lockout exactly as a wrong password does (``auth.verify_user_password(pin=True)``: one failure
count, one lockout). Audited: ``user.kiosk_pin_set``, ``kiosk_pin.failure`` / ``auth.lockout``,
``auth.login_pin``; the PIN itself is never recorded.
"""
from __future__ import annotations

from sqlalchemy import select

from forms.errors import UserError
from forms.staff_pin import check_pin
from storage import audit
from storage.actors import Actor
from storage.auth_sessions import system_actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import AuthError
from storage.models import User
from storage.services._tx import tx
from storage.services.auth import AUTH_FAILED, _actor, _check, _hasher, verify_user_password

#: roles that may unlock the kiosk (an administrator never sees clinical data)
PIN_ROLES = ("nurse", "investigator")


def set_kiosk_pin(db: Database, actor: Actor, *, password: str, pin: str) -> None:
    """The signed-in staff member sets (or replaces) their own kiosk PIN, confirming with their
    password (a wrong one counts toward the lockout). Trivial PINs are refused (PinRefused)."""
    if actor.kind != "user" or actor.user_id is None or actor.role not in PIN_ROLES:
        raise UserError("Only a nurse or investigator account can have a kiosk PIN.")
    check_pin(pin)
    pin_hash = _hasher.hash(pin)
    done = False
    with tx(db, actor, "user.kiosk_pin_set") as s:
        user = s.get(User, actor.user_id)
        if user is None:
            raise AuthError(AUTH_FAILED)
        if verify_user_password(s, user, password or "", actor.station_id, "kiosk_pin_set"):
            user.kiosk_pin_hash = pin_hash
            user.kiosk_pin_set_at = utcnow()
            audit.log_event(s, "user.kiosk_pin_set", entity="user_account", entity_id=user.id)
            done = True
    if not done:
        raise AuthError("The password is wrong or the account is locked; the PIN was not set.")


def kiosk_pin_users(db: Database) -> list[str]:
    """User names of the active accounts with a kiosk PIN (the kiosk's staff picker)."""
    with db.read_session() as s:
        return list(s.scalars(select(User.username).where(
            User.kiosk_pin_hash.is_not(None), User.active.is_(True), User.role.in_(PIN_ROLES))
            .order_by(User.username)))


def authenticate_pin(db: Database, username: str, pin: str, *,
                     station_id: str | None = None) -> Actor:
    """Staff unlock by PIN: the same session as ``authenticate`` gives (same message for an
    unknown user, a wrong PIN, no PIN or a locked account)."""
    ok: Actor | None = None
    with tx(db, system_actor(station_id), "auth.login_pin") as s:
        user = s.scalar(select(User).where(User.username == (username or "").strip()))
        if user is None or user.role not in PIN_ROLES:
            _check(None, pin or "")                 # same work as a real check
            audit.log_event(s, "kiosk_pin.failure", detail="unknown user")
        elif verify_user_password(s, user, pin or "", station_id, "kiosk_pin", pin=True):
            ok = _actor(s, user, station_id)
            audit.set_context(s, ok, "auth.login_pin")
            audit.log_event(s, "auth.login_pin", entity="user_account", entity_id=user.id)
    if ok is None:
        raise AuthError(AUTH_FAILED)
    return ok


__all__ = ["PIN_ROLES", "authenticate_pin", "kiosk_pin_users", "set_kiosk_pin"]
