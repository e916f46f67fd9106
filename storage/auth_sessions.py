"""Who is really acting: the session behind an ``Actor`` (issue 13 items 5, 1–3 of its rest).

``begin_staff_session`` runs inside the login's transaction and returns the actor with a fresh
random token (only its SHA-256 is stored). ``resolve`` runs at the start of every service call
(``storage.services._tx``): the token must name a live session of that account, presented from
the station it was issued on, and role, active and locked are read from ``user_account`` now —
never taken from the ``Actor`` given.

Patients act only through a kiosk hand-over (``begin_kiosk_session``): a staff member with a
live session hands the kiosk over for ONE patient and ONE visit on THEIR station. The visit is
bound into the stored digest (SHA-256 of token and visit id), so a token shown with another
visit names no row; patient and station are columns. A patient actor without such a token,
with another patient, visit or station, or after the hand-over ended (``end_session``; every
hand-over a staff member issued on a station ends with their logout, ``end_handovers``) is
refused.

The system acts only with a capability object that storage-internal code mints
(``system_actor``: migrations, ``init``, demo creation, the login transaction itself,
first-run set-up); ``ui/`` cannot reach this module (``tests/test_layering.py``), and
``Actor.system()`` — the public constructor — carries no capability and is refused. Even the
genuine system only does what ``storage.permissions`` lists for it (no signing, correcting,
enrolling or exporting: a person must act).

Sessions expire on the wall clock (not ``storage.clock``, which demo generation moves):
``STAFF_SESSION`` after a login (the workstation's idle logout ends them much earlier and
records it), ``KIOSK_SESSION`` after a hand-over.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import ColumnElement, Row, bindparam, select, update
from sqlalchemy.orm import Session

from storage.actors import Actor
from storage.clock import utcnow
from storage.errors import AuthError
from storage.models import AuthSession, User
from storage.permissions import PERMISSIONS

STAFF_SESSION = timedelta(hours=12)
KIOSK_SESSION = timedelta(hours=4)

NO_SESSION = "This action needs a staff login; log in again."
BAD_SESSION = "The login session is not valid; log in again."
ENDED = "The login session has ended; log in again."
EXPIRED = "The login session has expired; log in again."
INACTIVE = "The account is deactivated; ask an administrator."
LOCKED = "The account is locked; try again later or ask an administrator."
OTHER_STATION = "This login belongs to another station; log in here."
NO_HANDOVER = "This kiosk was not handed over to this patient; please call the nurse."
NOT_SYSTEM = "Only the application itself may act as the system; log in as a person."

#: the system's capability: identity-compared, never copied out of storage
_SYSTEM_GRANT = object()


def system_actor(station_id: str | None = None) -> Actor:
    """The genuine system actor, for storage-internal code only (module docstring)."""
    return replace(Actor.system(station_id), grant=_SYSTEM_GRANT)


def is_system(actor: Actor) -> bool:
    return actor.kind == "system" and actor.grant is _SYSTEM_GRANT


def wall_now() -> datetime:
    return datetime.now(timezone.utc)


def token_digest(token: str, visit_id: int | None = None) -> str:
    """The stored name of a session; a hand-over's names its visit too."""
    text = token if visit_id is None else f"{token}#visit={visit_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digest(actor: Actor) -> str:
    assert actor.session_token is not None
    return token_digest(actor.session_token,
                        actor.visit_id if actor.kind == "patient" else None)


def _new_row(s: Session, kind: str, user_id: int, station_id: str | None,
             lifetime: timedelta, patient_id: int | None = None,
             visit_id: int | None = None) -> str:
    token = secrets.token_urlsafe(32)
    now = wall_now()
    s.add(AuthSession(token_sha256=token_digest(token, visit_id), kind=kind, user_id=user_id,
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


def begin_kiosk_session(s: Session, staff: Actor, patient_id: int, visit_id: int) -> Actor:
    """The patient actor of a hand-over by ``staff`` (already resolved, a person) of its
    station's kiosk to ``patient_id`` for ``visit_id``."""
    assert staff.kind == "user" and staff.user_id is not None
    token = _new_row(s, "kiosk", staff.user_id, staff.station_id, KIOSK_SESSION, patient_id,
                     visit_id)
    return Actor(kind="patient", patient_id=patient_id, visit_id=visit_id,
                 station_id=staff.station_id, session_token=token)


def end_session(s: Session, actor: Actor, why: str) -> None:
    """Mark the actor's session ended (logout, idle, hand-over, end of a kiosk session)."""
    if actor.session_token:
        s.execute(update(AuthSession)
                  .where(AuthSession.token_sha256 == _digest(actor),
                         AuthSession.ended_at.is_(None))
                  .values(ended_at=wall_now(), ended_why=why[:16]))


def end_handovers(s: Session, staff: Actor, why: str) -> None:
    """End every live hand-over ``staff`` issued on their station (their logout ends them)."""
    if staff.kind == "user" and staff.user_id is not None:
        s.execute(update(AuthSession)
                  .where(AuthSession.kind == "kiosk", AuthSession.user_id == staff.user_id,
                         _same_station(staff.station_id), AuthSession.ended_at.is_(None))
                  .values(ended_at=wall_now(), ended_why=why[:16]))


def _same_station(station_id: str | None) -> ColumnElement[bool]:
    return AuthSession.station_id.is_(None) if station_id is None \
        else AuthSession.station_id == station_id


_S, _U = AuthSession.__table__, User.__table__
# one statement: the session with its account (re-read now, never taken from the actor); the
# columns resolve needs as one Core row (every service call pays it: no ORM objects loaded)
_LIVE = (select(_S.c.kind, _S.c.user_id, _S.c.patient_id, _S.c.station_id, _S.c.expires_at,
                _S.c.ended_at, _U.c.username, _U.c.role, _U.c.active, _U.c.locked_until,
                _U.c.must_change_password)
         .join(_U, _U.c.id == _S.c.user_id).where(_S.c.token_sha256 == bindparam("digest")))


def _live_row(s: Session, actor: Actor) -> tuple[Row, Row]:
    """(session, account) of the actor's token, read now: one row serving as both."""
    if not actor.session_token:
        raise AuthError(NO_HANDOVER if actor.kind == "patient" else NO_SESSION)
    row = user = s.connection().execute(_LIVE, {"digest": _digest(actor)}).first()
    if row is None:
        raise AuthError(NO_HANDOVER if actor.kind == "patient" else BAD_SESSION)
    if row.ended_at is not None:
        raise AuthError(ENDED)
    if row.expires_at <= wall_now():
        raise AuthError(EXPIRED)
    if row.station_id != actor.station_id:
        raise AuthError(OTHER_STATION)
    return row, user


def _account(user: Row) -> Row:
    if not user.active:
        raise AuthError(INACTIVE)
    if user.locked_until is not None and user.locked_until > wall_now():
        raise AuthError(LOCKED)
    return user


def resolve(s: Session, actor: Actor) -> Actor:
    """The actor as the database knows it now; AuthError (one line) when it is not genuine."""
    if actor.kind == "system":
        if not is_system(actor):
            raise AuthError(NOT_SYSTEM)
        return actor
    row, account = _live_row(s, actor)
    if actor.kind == "user":
        if row.kind != "staff" or row.user_id != actor.user_id:
            raise AuthError(BAD_SESSION)
        user = _account(account)
        return replace(actor, username=user.username, role=user.role,
                       must_change_password=bool(user.must_change_password))
    if actor.kind == "patient":
        if row.kind != "kiosk" or row.patient_id != actor.patient_id:
            raise AuthError(NO_HANDOVER)
        staff = _account(account)         # the staff member who handed over still may
        if "start_administration" not in PERMISSIONS.get(staff.role, frozenset()):
            raise AuthError(NO_HANDOVER)
        return actor
    raise AuthError(BAD_SESSION)


__all__ = ["STAFF_SESSION", "KIOSK_SESSION", "begin_staff_session", "begin_kiosk_session",
           "end_handovers", "end_session", "is_system", "resolve", "system_actor",
           "token_digest", "wall_now"]
