"""Services for the app wiring: first-run set-up, accounts, stations, settings, events, eligibility,
open administrations (SQLite copies of the storage test template)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from forms.errors import UserError
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.audit_verify import verify_audit
from storage.db import open_database
from storage.errors import AuthError, ConflictError, PermissionDenied
from storage.models import AuditEvent
from storage_fixtures import (PASSWORDS, enrol, sqlite_db, sqlite_template,  # noqa: F401
                              at_kiosk, staff)


def events(db, action):  # noqa: ANN001, ANN201
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.seq)))


# -- first run ------------------------------------------------------------------------------------
def test_initialise_empty_database_once_then_refuses(tmp_path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert sv.needs_setup(db)
        with pytest.raises(UserError):           # too short a password: nothing created
            sv.initialise_database(db, site_code="SH01",
                                   site_name="Site", admin_username="boss",
                                   admin_full_name="Boss", password="short")
        assert sv.needs_setup(db)
        uid = sv.initialise_database(db, site_code="SH01",         # the default protocol file
                                     site_name="Shanghai", admin_username="boss",
                                     admin_full_name="Big Boss", password="long-password-1")
        assert not sv.needs_setup(db)
        actor = sv.authenticate(db, "boss", "long-password-1")
        assert actor.user_id == uid and actor.role == "admin"
        assert sv.study_settings(db).protocol_id == sv.current_protocol(db).protocol_id
        with pytest.raises(ConflictError):
            sv.initialise_database(db, site_code="X",
                                   site_name="X", admin_username="intruder",
                                   admin_full_name="I", password="long-password-2")
        with pytest.raises(AuthError):
            sv.authenticate(db, "intruder", "long-password-2")
        assert [e.entity_id for e in events(db, "setup.initialise")
                if e.operation == "event"] == [uid]
        assert verify_audit(db).ok
    finally:
        db.dispose()


# -- users ----------------------------------------------------------------------------------------
def test_admin_manages_users_nurse_cannot(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    admin, nurse = staff(db, "admin"), staff(db, "nurse")
    names = [u.username for u in sv.list_users(db, admin)]
    assert names == sorted(["admin", "investigator", "nurse"])
    with pytest.raises(PermissionDenied):
        sv.list_users(db, nurse)
    with pytest.raises(PermissionDenied):
        sv.set_user_active(db, nurse, admin.user_id, False, reason="x")
    uid = sv.create_user(db, admin, username="nurse2", full_name="Second Nurse", role="nurse",
                         password="second-ward-pw")
    with pytest.raises(UserError):               # a reason is required
        sv.set_user_active(db, admin, uid, False, reason=" ")
    sv.set_user_active(db, admin, uid, False, reason="left the study team")
    with pytest.raises(AuthError):
        sv.authenticate(db, "nurse2", "second-ward-pw")
    with pytest.raises(UserError):
        sv.set_user_active(db, admin, admin.user_id, False, reason="oops")
    rows = [e for e in events(db, "user.deactivate") if "active" in e.fields()]
    assert rows[-1].fields()["active"] == ["true", "false"]
    assert rows[-1].reason == "left the study team"


def test_unlock_lifts_a_lockout(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    for _ in range(5):
        with pytest.raises(AuthError):
            sv.authenticate(db, "nurse", "wrong")
    assert next(u for u in sv.list_users(db, staff(db, "admin")) if u.username == "nurse").locked
    with pytest.raises(AuthError):
        sv.authenticate(db, "nurse", PASSWORDS["nurse"])
    sv.unlock_user(db, staff(db, "admin"), staff(db, "nurse").user_id, reason="called the desk")
    assert sv.authenticate(db, "nurse", PASSWORDS["nurse"]).username == "nurse"
    assert events(db, "user.unlock")


def test_user_display_name(sqlite_db) -> None:  # noqa: F811
    assert sv.user_display_name(sqlite_db, staff(sqlite_db, "investigator").user_id) \
        == "Investigator Person"
    assert sv.user_display_name(sqlite_db, 999_999) == ""
    assert sv.user_display_name(sqlite_db, None) == ""


# -- stations and settings ------------------------------------------------------------------------
def test_stations(sqlite_db) -> None:  # noqa: F811
    db, admin = sqlite_db, staff(sqlite_db, "admin")
    sid = sv.register_station(db, admin, code="kiosk-ward-3", kind="kiosk")
    with pytest.raises(ConflictError):
        sv.register_station(db, admin, code="kiosk-ward-3", kind="kiosk")
    with pytest.raises(UserError):
        sv.register_station(db, admin, code="x", kind="phone")
    with pytest.raises(PermissionDenied):
        sv.register_station(db, staff(db, "investigator"), code="ws-2", kind="workstation")
    sv.set_station_active(db, admin, sid, False, reason="broken screen")
    (st,) = sv.list_stations(db, admin)
    assert (st.code, st.kind, st.active) == ("kiosk-ward-3", "kiosk", False)


def test_settings_defaults_change_and_audit(sqlite_db) -> None:  # noqa: F811
    db, admin = sqlite_db, staff(sqlite_db, "admin")
    st = sv.study_settings(db)
    assert (st.primary_sf36_scoring, st.staff_idle_minutes, st.kiosk_idle_seconds) \
        == ("rand36", 10, 120)
    new = sv.update_study_settings(db, admin, primary_sf36_scoring="sf36v1",
                                   staff_idle_minutes=5, kiosk_idle_seconds=90,
                                   reason="protocol amendment 2")
    assert (new.primary_sf36_scoring, new.staff_idle_minutes, new.kiosk_idle_seconds) \
        == ("sf36v1", 5, 90)
    rows = events(db, "settings.change")
    assert {f for r in rows for f, _o, _n in r.field_rows()} == {"primary_sf36_scoring", None}
    assert all(r.reason == "protocol amendment 2" and r.actor_username == "admin" for r in rows)
    assert json.loads([r for r in rows if r.operation == "event"][0].detail) == \
        {"kiosk_idle_seconds": 90, "staff_idle_minutes": 5, "kiosk_auto_advance": True}
    for bad in ({"staff_idle_minutes": 0}, {"kiosk_idle_seconds": 5},
                {"primary_sf36_scoring": "x"}):
        args = dict(primary_sf36_scoring="rand36", staff_idle_minutes=10,
                    kiosk_idle_seconds=120, reason="r") | bad
        with pytest.raises(UserError):
            sv.update_study_settings(db, admin, **args)
    with pytest.raises(PermissionDenied):
        sv.update_study_settings(db, staff(db, "investigator"), primary_sf36_scoring="rand36",
                                 staff_idle_minutes=10, kiosk_idle_seconds=120, reason="r")
    assert sv.study_settings(db).staff_idle_minutes == 5
    assert verify_audit(db).ok


# -- events ---------------------------------------------------------------------------------------
def test_record_event_identity_mismatch_and_export(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    v = enrol(db)
    sv.record_event(db, staff(db, "nurse"), action="kiosk.identity_mismatch", entity="visit",
                    entity_id=v.visit_id, detail="hand-over stopped at the identity check")
    sv.record_event(db, system_actor("kiosk-1"), action="kiosk.identity_mismatch",
                    entity="visit", entity_id=v.visit_id)
    rows = events(db, "kiosk.identity_mismatch")
    assert [(r.patient_id, r.actor_kind, r.entity_id) for r in rows] == \
        [(v.patient_id, "user", v.visit_id), (v.patient_id, "system", v.visit_id)]
    with pytest.raises(UserError):                       # not an allowed free-standing event
        sv.record_event(db, staff(db, "investigator"), action="auth.login")
    with pytest.raises(PermissionDenied):                # nurses may not export
        sv.record_event(db, staff(db, "nurse"), action="audit.exported", detail="rows=3")
    sv.record_event(db, staff(db, "investigator"), action="audit.exported",
                    entity="patient", entity_id=v.patient_id, detail="rows=3 sha256=ab")
    assert events(db, "audit.exported")[0].patient_id == v.patient_id
    other = enrol(db, "S-002")
    with pytest.raises(PermissionDenied):                # a patient only about their own visit
        sv.record_event(db, at_kiosk(db, v.visit_id), action="kiosk.identity_mismatch",
                        entity="visit", entity_id=other.visit_id)
    assert verify_audit(db).ok


# -- open administrations -------------------------------------------------------------------------
def test_open_administrations_by_station(sqlite_db) -> None:  # noqa: F811
    db, nurse = sqlite_db, staff(sqlite_db, "nurse")
    a = enrol(db, "O-1")
    b = enrol(db, "O-2")
    aid = sv.start_administration(db, nurse, visit_id=a.visit_id, instrument_id="rand36",
                                  language="en", station_id="kiosk-1")
    bid = sv.start_administration(db, nurse, visit_id=b.visit_id, instrument_id="csc",
                                  language="en", station_id="kiosk-2")
    sv.record_answer(db, at_kiosk(db, a.visit_id, "kiosk-1"), aid, "q1", 2)
    assert [x.id for x in sv.open_administrations(db)] == [aid, bid]
    (only,) = sv.open_administrations(db, "kiosk-1")
    assert (only.id, only.subject_id, only.answered_count) == (aid, "O-1", 1)
    sv.mark_interrupted(db, nurse, aid)
    assert [x.id for x in sv.open_administrations(db)] == [bid]
