"""Accounts and signing on real storage (issue 14 item 7): the password policy on every stored
password, own password change, an administrator's reset forcing a change before anything else,
ID + password at the first signature of a session, no second signature of a signed visit, and
the signing queue."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forms.errors import UserError
from forms.instrument import load_instrument
from forms.passwords import COMMON, TOO_SHORT, USER_NAME, password_problems
from storage import services as sv
from storage.actors import Actor
from storage.errors import AuthError, ConflictError, PermissionDenied
from storage.models import AuditEvent, User
from storage_fixtures import (PASSWORDS, answer_all, eligible_screening, enrol,  # noqa: F401
                              at_kiosk, sqlite_db, sqlite_template, staff)


def _audit_texts(db) -> list[str]:  # noqa: ANN001
    with db.session() as s:
        return [" ".join(str(x) for x in (e.action, e.changes, e.detail, e.reason))
                for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def test_policy_refuses_common_short_and_user_name_passwords() -> None:
    for pw in ("password", "12345678", "password1", "Password2026!", "1234567890", "qwertyuiop"):
        assert COMMON in password_problems(pw, "someone"), pw
    assert TOO_SHORT in password_problems("password1")
    assert password_problems("nurse-ward-7", "nurse") == [USER_NAME]
    assert password_problems("NURSE", "nurse")[-1] == USER_NAME
    assert password_problems("ward-rounds-17", "nurse") == []
    assert password_problems("x1-pass-word-9", "x1") == []     # 2-letter names: equal only


def test_every_stored_password_passes_the_policy(sqlite_db) -> None:  # noqa: F811
    admin = staff(sqlite_db, "admin")
    for pw in ("password1234", "short-1", "newbie-2026-x"):
        with pytest.raises(UserError):
            sv.create_user(sqlite_db, admin, username="newbie", full_name="New Bie",
                           role="nurse", password=pw)
    assert sv.create_user(sqlite_db, admin, username="newbie", full_name="New Bie",
                          role="nurse", password="ward-rounds-99") > 0


def test_change_own_password(sqlite_db) -> None:  # noqa: F811
    nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    with pytest.raises(AuthError):
        sv.change_password(sqlite_db, nurse, old_password="wrong-one-1",
                           new_password="new-ward-pass-1")
    with pytest.raises(UserError, match="common"):
        sv.change_password(sqlite_db, nurse, old_password=PASSWORDS["nurse"],
                           new_password="password123")
    with pytest.raises(UserError, match="differ"):
        sv.change_password(sqlite_db, nurse, old_password=PASSWORDS["nurse"],
                           new_password=PASSWORDS["nurse"])
    after = sv.change_password(sqlite_db, nurse, old_password=PASSWORDS["nurse"],
                               new_password="new-ward-pass-1")
    assert after.user_id == nurse.user_id and not after.must_change_password
    with pytest.raises(AuthError):
        sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    assert sv.authenticate(sqlite_db, "nurse", "new-ward-pass-1").role == "nurse"
    texts = _audit_texts(sqlite_db)
    assert any(t.startswith("user.password_change") for t in texts)
    assert any(t.startswith("password_change.failure") for t in texts)
    assert not [t for t in texts if "new-ward-pass-1" in t or "wrong-one-1" in t]
    with sqlite_db.session() as s:                 # the credential is in the chain as a marker
        pw_hash = s.get(User, nurse.user_id).password_hash
    assert not [t for t in texts if pw_hash in t]
    assert any('"password_hash":["changed:' in t for t in texts if "password_change" in t)


def test_admin_reset_forces_a_change_before_anything_else(sqlite_db) -> None:  # noqa: F811
    admin = sv.authenticate(sqlite_db, "admin", PASSWORDS["admin"])
    nurse_id = staff(sqlite_db, "nurse").user_id
    with pytest.raises(PermissionDenied):
        sv.reset_password(sqlite_db, staff(sqlite_db, "investigator"), nurse_id,
                          temporary_password="temp-pass-123", reason="forgot")
    with pytest.raises(UserError):
        sv.reset_password(sqlite_db, admin, nurse_id, temporary_password="password1",
                          reason="forgot")
    with pytest.raises(UserError):           # a reason is required
        sv.reset_password(sqlite_db, admin, nurse_id, temporary_password="temp-pass-123",
                          reason="")
    sv.reset_password(sqlite_db, admin, nurse_id, temporary_password="temp-pass-123",
                      reason="forgot the password")
    assert [u.must_change_password for u in sv.list_users(sqlite_db, admin)
            if u.id == nurse_id] == [True]
    nurse = sv.authenticate(sqlite_db, "nurse", "temp-pass-123")
    assert nurse.must_change_password
    assert not sv.allowed(nurse, "view_patients")
    with pytest.raises(PermissionDenied, match="temporary password"):
        enrol_as(sqlite_db, nurse)
    changed = sv.change_password(sqlite_db, nurse, old_password="temp-pass-123",
                                 new_password="my-own-pass-42")
    assert sv.allowed(changed, "view_patients")
    assert not sv.authenticate(sqlite_db, "nurse", "my-own-pass-42").must_change_password
    texts = _audit_texts(sqlite_db)
    assert [t for t in texts if t.startswith("user.password_reset") and "forgot" in t]
    assert not [t for t in texts if "temp-pass-123" in t or "my-own-pass-42" in t]


def enrol_as(db, actor: Actor) -> int:  # noqa: ANN001
    day1 = date.today()
    return sv.enrol_patient(db, actor, subject_id="X-1", initials="AB", sex="F",
                            day1_date=day1, screening=eligible_screening(db, day1))


def _submitted_visit(db, subject: str):  # noqa: ANN001, ANN202
    """A visit whose whole battery is submitted (completed: it awaits a signature)."""
    v = enrol(db, subject)
    pat = at_kiosk(db, v.visit_id)
    for inst in sv.remaining_battery(db, v.visit_id):
        adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                      instrument_id=inst, language="en")
        answer_all(db, pat, adm)
        sv.submit_administration(db, pat, adm)
    return v


def test_first_signature_of_a_session_needs_user_id_and_password(sqlite_db) -> None:  # noqa: F811
    a, b, c = (_submitted_visit(sqlite_db, f"SG-{i}") for i in (1, 2, 3))
    inv = sv.authenticate(sqlite_db, "investigator", PASSWORDS["investigator"])
    pw = PASSWORDS["investigator"]
    assert sv.signature_needs_user_id(sqlite_db, inv)
    with pytest.raises(sv.SignerIdRequired):
        sv.sign_visit(sqlite_db, inv, a.visit_id, password=pw, meaning="reviewed")
    with pytest.raises(AuthError):
        sv.sign_visit(sqlite_db, inv, a.visit_id, username="nurse", password=pw,
                      meaning="reviewed")
    assert [t for t in _audit_texts(sqlite_db) if t.startswith("signature.failure")]
    sv.sign_visit(sqlite_db, inv, a.visit_id, username="investigator", password=pw,
                  meaning="reviewed")
    assert not sv.signature_needs_user_id(sqlite_db, inv)
    sv.sign_visit(sqlite_db, inv, b.visit_id, password=pw, meaning="reviewed")   # password only
    later = sv.authenticate(sqlite_db, "investigator", pw)       # a new login session
    later = Actor(**{**later.__dict__,
                     "session_started": later.session_started + timedelta(seconds=1)})
    assert sv.signature_needs_user_id(sqlite_db, later)
    with pytest.raises(sv.SignerIdRequired):
        sv.sign_visit(sqlite_db, later, c.visit_id, password=pw, meaning="reviewed")


def test_signed_visit_is_refused_and_queue_lists_awaiting_oldest_first(sqlite_db) -> None:  # noqa: F811,E501
    a, b = _submitted_visit(sqlite_db, "SQ-1"), _submitted_visit(sqlite_db, "SQ-2")
    queue = sv.signing_queue(sqlite_db)
    assert [q.visit_id for q in queue] == [a.visit_id, b.visit_id]
    assert [q.subject_id for q in queue] == ["SQ-1", "SQ-2"] and not queue[0].resign
    inv = staff(sqlite_db, "investigator")
    pw = PASSWORDS["investigator"]
    sv.sign_visit(sqlite_db, inv, a.visit_id, username="investigator", password=pw,
                  meaning="reviewed")
    assert [q.visit_id for q in sv.signing_queue(sqlite_db)] == [b.visit_id]
    with pytest.raises(ConflictError, match="already signed"):
        sv.sign_visit(sqlite_db, inv, a.visit_id, username="investigator", password=pw,
                      meaning="reviewed")
    adm = sv.visit_administrations(sqlite_db, a.visit_id)[0]
    item = load_instrument(adm.instrument_id).items[0]
    other = load_instrument(adm.instrument_id).options_for(item).codes[1]
    sv.correct_answer(sqlite_db, staff(sqlite_db, "nurse"), adm.id, item.id, other,
                      reason="transcription_error: paper form")
    queue = sv.signing_queue(sqlite_db)
    assert {q.visit_id: q.resign for q in queue} == {a.visit_id: True, b.visit_id: False}
    sv.sign_visit(sqlite_db, inv, a.visit_id, username="investigator", password=pw,
                  meaning="reviewed")                          # a new signature after a change
