"""Who is really acting: the session behind an ``Actor`` (issue 13 item 5).

``begin_staff_session`` runs inside the login's transaction and returns the actor with a fresh
random token (only its SHA-256 is stored). ``resolve`` runs at the start of every service call
(``storage.services._tx``): the token must name a live session of that account, and role,
active and locked are read from ``user_account`` now — never taken from the ``Actor`` given.
A patient actor that carries a kiosk hand-over token is checked against that hand-over (its
patient, the staff member still active); the kiosk does not issue these tokens yet, so a patient
actor without one is still accepted (it acts only inside its own administration, started by staff).

Sessions expire on the wall clock (not ``storage.clock``, which demo generation moves):
``STAFF_SESSION`` after a login (the workstation's idle logout ends them much earlier and
records it), ``KIOSK_SESSION`` after a hand-over.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.actors import Actor
from storage.clock import utcnow
from storage.errors import AuthError
from storage.models import AuthSession, User

STAFF_SESSION = timedelta(hours=12)
KIOSK_SESSION = timedelta(hours=4)

NO_SESSION = "This action needs a staff login; log in again."
BAD_SESSION = "The login session is not valid; log in again."
ENDED = "The login session has ended; log in again."
EXPIRED = "The login session has expired; log in again."
INACTIVE = "The account is deactivated; ask an administrator."
LOCKED = "The account is locked; try again later or ask an administrator."


def wall_now() -> datetime:
    return datetime.now(timezone.utc)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_row(s: Session, kind: str, user_id: int, station_id: str | None,
             lifetime: timedelta, patient_id: int | None = None) -> str:
    token = secrets.token_urlsafe(32)
    now = wall_now()
    s.add(AuthSession(token_sha256=token_digest(token), kind=kind, user_id=user_id,
                      patient_id=patient_id, station_id=station_id, started_at=now,
                      expires_at=now + lifetime))
    s.flush()
    return token


def begin_staff_session(s: Session, user: User, station_id: str | None) -> Actor:
    """A new login session of ``user`` (its start decides the first signature, 11.200(a)(1))."""
    token = _new_row(s, "staff", user.id, station_id, STAFF_SESSION)
    return Actor(kind="user", user_id=user.id, username=user.username, role=user.role,
                 station_id=station_id, session_started=utcnow(),
                 must_change_password=bool(user.must_change_password), session_token=token)


def begin_kiosk_session(s: Session, staff: Actor, patient_id: int) -> Actor:
    """The patient actor of a hand-over by ``staff`` (already resolved) to ``patient_id``."""
    assert staff.user_id is not None
    token = _new_row(s, "kiosk", staff.user_id, staff.station_id, KIOSK_SESSION, patient_id)
    return Actor(kind="patient", patient_id=patient_id, station_id=staff.station_id,
                 session_token=token)


def end_session(s: Session, actor: Actor, why: str) -> None:
    """Mark the actor's session ended (logout, idle, hand-over, end of a kiosk session)."""
    if actor.session_token:
        s.execute(update(AuthSession)
                  .where(AuthSession.token_sha256 == token_digest(actor.session_token),
                         AuthSession.ended_at.is_(None))
                  .values(ended_at=wall_now(), ended_why=why[:16]))


def _live_row(s: Session, actor: Actor) -> AuthSession:
    if not actor.session_token:
        raise AuthError(NO_SESSION)
    row = s.scalar(select(AuthSession)
                   .where(AuthSession.token_sha256 == token_digest(actor.session_token)))
    if row is None:
        raise AuthError(BAD_SESSION)
    if row.ended_at is not None:
        raise AuthError(ENDED)
    if row.expires_at <= wall_now():
        raise AuthError(EXPIRED)
    return row


def _account(s: Session, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None:
        raise AuthError(BAD_SESSION)
    if not user.active:
        raise AuthError(INACTIVE)
    if user.locked_until is not None and user.locked_until > wall_now():
        raise AuthError(LOCKED)
    return user


def resolve(s: Session, actor: Actor) -> Actor:
    """The actor as the database knows it now; AuthError (one line) when it is not genuine."""
    if actor.kind == "system" or (actor.kind == "patient" and not actor.session_token):
        return actor          # patient actors without a hand-over token: see module docstring
    row = _live_row(s, actor)
    if actor.kind == "user":
        if row.kind != "staff" or row.user_id != actor.user_id:
            raise AuthError(BAD_SESSION)
        user = _account(s, row.user_id)
        return replace(actor, username=user.username, role=user.role,
                       must_change_password=bool(user.must_change_password))
    if actor.kind == "patient":
        if row.kind != "kiosk" or row.patient_id != actor.patient_id:
            raise AuthError(BAD_SESSION)
        _account(s, row.user_id)          # the staff member who handed over still may
        return actor
    raise AuthError(BAD_SESSION)


__all__ = ["STAFF_SESSION", "KIOSK_SESSION", "begin_staff_session", "begin_kiosk_session",
           "end_session", "resolve", "token_digest", "wall_now"]
