"""Administration: first-run set-up, staff accounts, stations, study settings.

Admins manage accounts, stations and settings; they never touch clinical data (the permission
matrix in ``storage.permissions``). Every change is one transaction with its audit rows.

Idle timeouts are not columns of the study table: they are kept as ``settings.change`` audit
events (``entity="study_setting"``, the full settings as JSON in ``detail``); the newest
event wins. That needs no schema change, and every change carries who, when and why in the
hash-chained trail. The primary SF-36 scoring is the study's own column (field-audited).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from forms.errors import UserError
from storage import audit
from storage.actors import ROLES, Actor
from storage.auth_sessions import system_actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError
from storage.models import AuditEvent, Site, Station, Study, User
from storage.models.study import STATION_KINDS
from storage.services._tx import check_permission, clean_text, get, require_reason, tx
from storage.services.auth import hash_password
from storage.services.protocol_store import ProtocolFile, read_protocol_file
from storage.services.study import SCORINGS, SCORINGS_TEXT, new_study

DEFAULT_STAFF_IDLE_MIN = 10
DEFAULT_KIOSK_IDLE_S = 120
STAFF_IDLE_RANGE = (1, 60)           # minutes
KIOSK_IDLE_RANGE = (30, 900)         # seconds
SETTING_ENTITY = "study_setting"


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    locked: bool
    created_at: datetime
    must_change_password: bool = False


@dataclass(frozen=True)
class StationInfo:
    id: int
    code: str
    kind: str
    active: bool
    registered_at: datetime


@dataclass(frozen=True)
class StudySettings:
    study_id: int
    protocol_id: str
    title: str
    primary_sf36_scoring: str
    staff_idle_minutes: int
    kiosk_idle_seconds: int
    kiosk_auto_advance: bool = True   # a tapped answer moves on by itself after a short pause


# -- first run -----------------------------------------------------------------------------------
def needs_setup(db: Database) -> bool:
    """True on an empty database (no staff account yet): the app shows the set-up wizard."""
    with db.read_session() as s:
        return not s.scalar(select(func.count(User.id)))


def initialise_database(db: Database, *, site_code: str, site_name: str, admin_username: str,
                        admin_full_name: str, password: str,
                        protocol: ProtocolFile | str | Path | None = None,
                        station_id: str | None = None) -> int:
    """First run: the study from its protocol file (unless a study exists; default
    ``forms.protocol.DEFAULT_PROTOCOL_PATH``), its site and the first admin, in ONE transaction
    (the protocol version and SHA-256 audited).

    Refused once any account exists (the wizard cannot be used to add an admin later).
    Returns the admin's user id.
    """
    pf = protocol if isinstance(protocol, ProtocolFile) else read_protocol_file(protocol)
    code = clean_text(site_code, "Site code", max_len=32, required=True)
    name = clean_text(site_name, "Site name", max_len=200, required=True)
    username = clean_text(admin_username, "User name", max_len=64, required=True)
    full = clean_text(admin_full_name, "Full name", max_len=200, required=True)
    pw_hash = hash_password(password, username)
    system = system_actor(station_id)
    with tx(db, system, "setup.initialise", permission="manage_users") as s:
        if s.scalar(select(func.count(User.id))):
            raise ConflictError("This database is already set up (accounts exist).")
        study = s.scalar(select(Study).order_by(Study.id).limit(1))
        if study is None:
            study = new_study(s, pf, system)
        s.add(Site(study_id=study.id, code=code, name=name))
        user = User(username=username, full_name=full, role="admin", password_hash=pw_hash,
                    created_at=utcnow(), password_changed_at=utcnow())
        s.add(user)
        s.flush()
        audit.log_event(s, "setup.initialise", entity="user_account", entity_id=user.id,
                        detail="first administrator created")
        return user.id


# -- users --------------------------------------------------------------------------------------
def _user_info(u: User, now: datetime) -> UserInfo:
    return UserInfo(u.id, u.username, u.full_name, u.role, bool(u.active),
                    bool(u.locked_until and u.locked_until > now), u.created_at,
                    bool(u.must_change_password))


def list_users(db: Database, actor: Actor) -> list[UserInfo]:
    check_permission(db, actor, "manage_users")
    now = utcnow()
    with db.read_session() as s:
        return [_user_info(u, now) for u in s.scalars(select(User).order_by(User.username))]


def user_display_name(db: Database, user_id: int | None) -> str:
    """Full name of a staff account (for signatures and headers); '' when unknown."""
    if user_id is None:
        return ""
    with db.read_session() as s:
        return s.scalar(select(User.full_name).where(User.id == user_id)) or ""


def set_user_active(db: Database, actor: Actor, user_id: int, active: bool, *,
                    reason: str) -> None:
    """Deactivate (or re-activate) an account; accounts are never deleted (names not reused)."""
    why = require_reason(reason)
    action = "user.activate" if active else "user.deactivate"
    with tx(db, actor, action, permission="manage_users", reason=why) as s:
        user = get(s, User, user_id, "User")
        if not active and user.id == actor.user_id:
            raise UserError("You cannot deactivate your own account.")
        if not active and user.role == "admin" and user.active:
            others = s.scalar(select(func.count(User.id)).where(
                User.role == "admin", User.active.is_(True), User.id != user.id))
            if not others:
                raise UserError("The last active administrator cannot be deactivated.")
        user.active = active


def unlock_user(db: Database, actor: Actor, user_id: int, *, reason: str) -> None:
    """Lift a lockout (after 5 failed logins) before the 15 minutes are over."""
    why = require_reason(reason)
    with tx(db, actor, "user.unlock", permission="manage_users", reason=why) as s:
        user = get(s, User, user_id, "User")
        user.locked_until = None
        user.failed_logins = 0
        audit.log_event(s, "user.unlock", entity="user_account", entity_id=user.id)


def reset_password(db: Database, actor: Actor, user_id: int, *, temporary_password: str,
                   reason: str) -> None:
    """An administrator gives an account a temporary password (under the password policy) and
    lifts any lockout; its owner must choose a new one at the next login before anything else.
    Audited as ``user.password_reset`` with the reason (never the password)."""
    why = require_reason(reason)
    with tx(db, actor, "user.password_reset", permission="manage_users", reason=why) as s:
        user = get(s, User, user_id, "User")
        if user.id == actor.user_id:
            raise UserError("Change your own password with \"Change my password…\", not a reset.")
        user.password_hash = hash_password(temporary_password, user.username)
        user.must_change_password = True
        user.locked_until = None
        user.failed_logins = 0
        audit.log_event(s, "user.password_reset", entity="user_account", entity_id=user.id,
                        detail="temporary password set; change required at next login")


def roles() -> tuple[str, ...]:
    return ROLES


# -- stations -----------------------------------------------------------------------------------
def list_stations(db: Database, actor: Actor) -> list[StationInfo]:
    check_permission(db, actor, "manage_stations")
    with db.read_session() as s:
        return [StationInfo(x.id, x.code, x.kind, bool(x.active), x.registered_at)
                for x in s.scalars(select(Station).order_by(Station.code))]


def register_station(db: Database, actor: Actor, *, code: str, kind: str) -> int:
    """Register a kiosk or workstation by its station id (e.g. ``kiosk-<hostname>``)."""
    c = clean_text(code, "Station id", max_len=64, required=True)
    if kind not in STATION_KINDS:
        raise UserError(f"Station kind must be one of: {', '.join(STATION_KINDS)}.")
    with tx(db, actor, "station.register", permission="manage_stations") as s:
        if s.scalar(select(Station.id).where(Station.code == c)) is not None:
            raise ConflictError("A station with this id is registered.")
        st = Station(code=c, kind=kind, active=True, registered_at=utcnow())
        s.add(st)
        s.flush()
        return st.id


def set_station_active(db: Database, actor: Actor, station_id: int, active: bool, *,
                       reason: str) -> None:
    why = require_reason(reason)
    action = "station.activate" if active else "station.deactivate"
    with tx(db, actor, action, permission="manage_stations", reason=why) as s:
        get(s, Station, station_id, "Station").active = active


# -- study settings -----------------------------------------------------------------------------
def study_settings(db: Database) -> StudySettings:
    """Current settings (defaults for values never changed). Readable by every role."""
    with db.read_session() as s:
        study = s.scalar(select(Study).order_by(Study.id).limit(1))
        if study is None:
            raise UserError("No study is set up in this database: run `epro init` first.")
        raw = s.scalar(select(AuditEvent.detail)
                       .where(AuditEvent.entity == SETTING_ENTITY,
                              AuditEvent.entity_id == study.id,
                              AuditEvent.action == "settings.change")
                       .order_by(AuditEvent.seq.desc()).limit(1))
        kept = json.loads(raw) if raw else {}
        return StudySettings(study.id, study.protocol_id, study.title,
                             study.primary_sf36_scoring,
                             int(kept.get("staff_idle_minutes", DEFAULT_STAFF_IDLE_MIN)),
                             int(kept.get("kiosk_idle_seconds", DEFAULT_KIOSK_IDLE_S)),
                             bool(kept.get("kiosk_auto_advance", True)))


def _in_range(value: int, rng: tuple[int, int], what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not rng[0] <= value <= rng[1]:
        raise UserError(f"{what} must be a whole number from {rng[0]} to {rng[1]}.")
    return value


def update_study_settings(db: Database, actor: Actor, *, primary_sf36_scoring: str,
                          staff_idle_minutes: int, kiosk_idle_seconds: int,
                          reason: str, kiosk_auto_advance: bool | None = None) -> StudySettings:
    """Change the study settings (one transaction, reason required, audited);
    ``kiosk_auto_advance`` None keeps the current value."""
    why = require_reason(reason)
    if primary_sf36_scoring not in SCORINGS:
        raise UserError(f"Primary SF-36 scoring must be {SCORINGS_TEXT}.")
    staff = _in_range(staff_idle_minutes, STAFF_IDLE_RANGE, "Staff idle logout (minutes)")
    kiosk = _in_range(kiosk_idle_seconds, KIOSK_IDLE_RANGE, "Kiosk idle time (seconds)")
    current = study_settings(db)
    advance = current.kiosk_auto_advance if kiosk_auto_advance is None \
        else bool(kiosk_auto_advance)
    with tx(db, actor, "settings.change", permission="study_settings", reason=why) as s:
        study = get(s, Study, current.study_id, "Study")
        study.primary_sf36_scoring = primary_sf36_scoring
        if (staff, kiosk, advance) != (current.staff_idle_minutes, current.kiosk_idle_seconds,
                                       current.kiosk_auto_advance):
            audit.log_event(s, "settings.change", entity=SETTING_ENTITY, entity_id=study.id,
                            detail=json.dumps({"staff_idle_minutes": staff,
                                               "kiosk_idle_seconds": kiosk,
                                               "kiosk_auto_advance": advance}, sort_keys=True))
    return study_settings(db)


__all__ = ["SCORINGS", "StationInfo", "StudySettings", "UserInfo", "initialise_database",
           "list_stations", "list_users", "needs_setup", "register_station", "reset_password",
           "roles",
           "set_station_active", "set_user_active", "study_settings", "unlock_user",
           "update_study_settings", "user_display_name"]
