"""Authenticated sessions (issue 13 item 5): every service call re-reads the account through
the actor's session; a forged, ended, expired, locked or deactivated actor is refused."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage import audit, auth_sessions
from storage import services as sv
from storage.actors import Actor
from storage.auth_sessions import system_actor
from storage.errors import AuthError, PermissionDenied
from storage.models import AuditEvent, AuthSession, User
from storage.services.sessions import record_logout
from storage_fixtures import (PASSWORDS, answer_all, enrol, eligible_screening,  # noqa: F401
                              at_kiosk, sqlite_db, sqlite_template, staff)


def _submitted_visit(db, subject: str):  # noqa: ANN001, ANN202
    v = enrol(db, subject)
    adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="csc", language="en")
    pat = at_kiosk(db, v.visit_id)
    answer_all(db, pat, adm)
    sv.submit_administration(db, pat, adm)
    return v, adm


def _enrol(db, actor: Actor, subject: str = "F-001") -> int:  # noqa: ANN001
    from datetime import date
    day1 = date.today()
    return sv.enrol_patient(db, actor, subject_id=subject, initials="AB", sex="F",
                            day1_date=day1, screening=eligible_screening(db, day1))


def _lock(db, username: str) -> None:  # noqa: ANN001
    for _ in range(5):
        with pytest.raises(AuthError):
            sv.authenticate(db, username, "not-the-password-1")


def test_nurse_actor_with_investigator_role_cannot_sign(sqlite_db) -> None:  # noqa: F811
    v, _ = _submitted_visit(sqlite_db, "F-SIGN")
    forged = replace(staff(sqlite_db, "nurse"), role="investigator")
    with pytest.raises(PermissionDenied, match="nurse"):
        sv.sign_visit(sqlite_db, forged, v.visit_id, username="nurse",
                      password=PASSWORDS["nurse"], meaning="reviewed")
    assert sv.visit_signatures(sqlite_db, v.visit_id) == []
    with sqlite_db.session() as s:
        denied = s.scalars(select(AuditEvent).where(AuditEvent.action == "authz.denied")).all()
    assert denied and denied[-1].actor_role == "nurse"          # the role the database holds


def test_nurse_actor_with_investigator_role_cannot_export(sqlite_db, tmp_path) -> None:  # noqa: F811,E501
    from reports.export.commands import run_export
    forged = replace(staff(sqlite_db, "nurse"), role="investigator")
    with pytest.raises(PermissionDenied):
        run_export(sqlite_db, forged, "odm", tmp_path / "x.xml")
    assert not (tmp_path / "x.xml").exists()


def test_actor_of_a_locked_account_cannot_export(sqlite_db, tmp_path) -> None:  # noqa: F811
    from reports.export.commands import run_export
    inv = staff(sqlite_db, "investigator")
    run_export(sqlite_db, inv, "odm", tmp_path / "ok.xml")           # the session works
    _lock(sqlite_db, "investigator")
    with pytest.raises(AuthError, match="locked"):
        run_export(sqlite_db, inv, "odm", tmp_path / "x.xml")
    assert not (tmp_path / "x.xml").exists()


def test_actor_for_a_user_that_does_not_exist_cannot_enrol(sqlite_db) -> None:  # noqa: F811
    ghost = Actor(kind="user", user_id=999, username="ghost", role="investigator",
                  station_id="WS-1")
    with pytest.raises(AuthError, match="log in"):
        _enrol(sqlite_db, ghost)
    real = staff(sqlite_db, "nurse")                       # another user's token: refused too
    with pytest.raises(AuthError, match="not valid"):
        _enrol(sqlite_db, replace(real, user_id=real.user_id + 1, role="investigator"))
    assert sv.patient_count(sqlite_db) == 0
    with sqlite_db.session() as s:
        kinds = s.scalars(select(AuditEvent.actor_kind)
                          .where(AuditEvent.action == "authz.denied")).all()
    assert kinds.count("system") == 2                   # each refusal audited (no patient data)


def test_forged_token_cannot_correct(sqlite_db) -> None:  # noqa: F811
    _, adm = _submitted_visit(sqlite_db, "F-COR")
    forged = replace(staff(sqlite_db, "nurse"), session_token="made-up-token")
    with pytest.raises(AuthError, match="not valid"):
        sv.correct_answer(sqlite_db, forged, adm, "C1", 0, reason="typo")


def test_deactivated_account_is_refused_at_once(sqlite_db) -> None:  # noqa: F811
    nurse = staff(sqlite_db, "nurse")
    sv.set_user_active(sqlite_db, staff(sqlite_db, "admin"), nurse.user_id, False,
                       reason="left the unit")
    with pytest.raises(AuthError, match="deactivated"):
        _enrol(sqlite_db, nurse)


def test_role_changed_in_the_database_applies_to_a_running_session(sqlite_db) -> None:  # noqa: F811,E501
    inv = sv.authenticate(sqlite_db, "investigator", PASSWORDS["investigator"])
    with sqlite_db.session() as s:              # e.g. an administrator demoted the account
        audit.set_context(s, system_actor(), "user.role")
        s.get(User, inv.user_id).role = "nurse"
    with pytest.raises(PermissionDenied, match="nurse"):
        sv.require_export_permission(sqlite_db, inv)


def test_logout_ends_the_session(sqlite_db) -> None:  # noqa: F811
    nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"], station_id="WS-2")
    _enrol(sqlite_db, nurse, "F-100")
    record_logout(sqlite_db, nurse, why="user")
    with pytest.raises(AuthError, match="ended"):
        _enrol(sqlite_db, nurse, "F-101")


def test_expired_session_is_refused(sqlite_db, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setattr(auth_sessions, "STAFF_SESSION", timedelta(seconds=-1))
    nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    with pytest.raises(AuthError, match="expired"):
        _enrol(sqlite_db, nurse)


def test_only_the_token_digest_is_stored(sqlite_db) -> None:  # noqa: F811
    nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    with sqlite_db.session() as s:
        rows = s.scalars(select(AuthSession).where(AuthSession.user_id == nurse.user_id)).all()
    assert nurse.session_token and nurse.session_token not in {r.token_sha256 for r in rows}
    assert auth_sessions.token_digest(nurse.session_token) in {r.token_sha256 for r in rows}
    assert "session_token" not in repr(nurse) or nurse.session_token not in repr(nurse)
