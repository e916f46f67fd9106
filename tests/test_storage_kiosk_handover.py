"""Nobody acts without being who they say (issue 13, the rest): a patient acts only through a
kiosk hand-over by a logged-in staff member for ONE patient, visit and station; a session is
bound to its station; only storage-internal code can act as the system, and even it never
signs, corrects, enrols or exports. On the real SQLite storage."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from storage import audit
from storage import services as sv
from storage.actors import Actor
from storage.auth_sessions import system_actor, wall_now
from storage.errors import AuthError, PermissionDenied
from storage.models import AuditEvent, AuthSession, User
from storage_fixtures import (PASSWORDS, at_kiosk, enrol, eligible_screening,  # noqa: F401
                              sqlite_db, sqlite_template, staff)

ROOT = Path(__file__).resolve().parent.parent


def _open(db, v, instrument: str = "csc") -> int:  # noqa: ANN001
    return sv.start_administration(db, staff(db, "nurse", "K-1"), visit_id=v.visit_id,
                                   instrument_id=instrument, language="en", station_id="K-1")


def _denials(db) -> int:  # noqa: ANN001
    with db.session() as s:
        return len(s.scalars(select(AuditEvent.seq).where(
            AuditEvent.action == "authz.denied")).all())


def _answers(db, adm: int) -> dict[str, int]:  # noqa: ANN001
    return dict(sv.administration_state(db, adm).answers)


# -- 1. patients only through a hand-over ----------------------------------------------------
def test_a_handed_over_patient_answers_and_the_answer_names_the_kiosk(sqlite_db) -> None:
    v = enrol(sqlite_db)
    adm = _open(sqlite_db, v)
    patient = at_kiosk(sqlite_db, v.visit_id)
    assert (patient.kind, patient.patient_id, patient.visit_id, patient.station_id) == (
        "patient", v.patient_id, v.visit_id, "K-1")
    sv.record_answer(sqlite_db, patient, adm, "C1", 1)
    with sqlite_db.session() as s:
        row = s.scalars(select(AuditEvent).where(AuditEvent.entity == "answer")).one()
    assert (row.actor_kind, row.station_id) == ("patient", "K-1")


def test_a_forged_patient_actor_without_a_token_is_refused(sqlite_db) -> None:
    v = enrol(sqlite_db)
    adm = _open(sqlite_db, v)
    before = _denials(sqlite_db)
    for forged in (Actor.patient(v.patient_id, "K-1"),
                   Actor(kind="patient", patient_id=v.patient_id, visit_id=v.visit_id,
                         station_id="K-1", session_token="made-up-token")):
        with pytest.raises(AuthError, match="not handed over"):
            sv.record_answer(sqlite_db, forged, adm, "C1", 1)
        with pytest.raises(AuthError):
            sv.submit_administration(sqlite_db, forged, adm)
    assert _answers(sqlite_db, adm) == {}
    assert _denials(sqlite_db) == before + 4            # every refusal is audited


def test_a_token_for_patient_a_does_not_let_anyone_act_for_patient_b(sqlite_db) -> None:
    a, b = enrol(sqlite_db, "S-A"), enrol(sqlite_db, "S-B")
    adm_b = _open(sqlite_db, b)
    for_a = at_kiosk(sqlite_db, a.visit_id)
    with pytest.raises(PermissionDenied, match="another patient"):     # A's own hand-over
        sv.record_answer(sqlite_db, for_a, adm_b, "C1", 1)
    with pytest.raises(AuthError):                       # A's token relabelled as B
        sv.record_answer(sqlite_db, replace(for_a, patient_id=b.patient_id), adm_b, "C1", 1)
    with pytest.raises(AuthError):                       # ... and as B's visit too
        sv.record_answer(sqlite_db, replace(for_a, patient_id=b.patient_id,
                                            visit_id=b.visit_id), adm_b, "C1", 1)
    with pytest.raises(PermissionDenied):
        sv.mark_interrupted(sqlite_db, for_a, adm_b)
    assert _answers(sqlite_db, adm_b) == {}
    assert sv.administration_state(sqlite_db, adm_b).status == "in_progress"


def test_a_hand_over_is_for_one_visit_of_the_patient(sqlite_db) -> None:
    v = enrol(sqlite_db)
    w1 = v.visits[1]
    adm_w1 = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=w1.id,
                                     instrument_id="csc", language="en",
                                     override_reason="test: second visit the same day")
    for_bl = at_kiosk(sqlite_db, v.visit_id)
    with pytest.raises(PermissionDenied, match="another patient or visit"):
        sv.record_answer(sqlite_db, for_bl, adm_w1, "C1", 1)
    with pytest.raises(AuthError):                       # the token names its visit
        sv.record_answer(sqlite_db, replace(for_bl, visit_id=w1.id), adm_w1, "C1", 1)
    sv.record_answer(sqlite_db, at_kiosk(sqlite_db, w1.id), adm_w1, "C1", 1)
    assert _answers(sqlite_db, adm_w1) == {"C1": 1}


def test_ending_the_hand_over_revokes_it(sqlite_db) -> None:
    v = enrol(sqlite_db)
    adm = _open(sqlite_db, v)
    patient = at_kiosk(sqlite_db, v.visit_id)
    sv.record_answer(sqlite_db, patient, adm, "C1", 1)
    sv.end_hand_over(sqlite_db, patient, "done")
    sv.end_hand_over(sqlite_db, patient, "done")         # idempotent
    with pytest.raises(AuthError, match="ended"):
        sv.record_answer(sqlite_db, patient, adm, "C1", 2)
    with pytest.raises(AuthError, match="ended"):
        sv.mark_interrupted(sqlite_db, patient, adm)
    assert _answers(sqlite_db, adm) == {"C1": 1}         # acknowledged before: kept


def test_the_staff_logout_revokes_every_hand_over_it_gave_on_that_station(sqlite_db) -> None:
    v, w = enrol(sqlite_db, "S-1"), enrol(sqlite_db, "S-2")
    nurse_k = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"], station_id="K-9")
    other_k = at_kiosk(sqlite_db, w.visit_id, "K-8")     # another station: not affected
    given = sv.hand_over_kiosk(sqlite_db, nurse_k, v.visit_id)
    adm = sv.start_administration(sqlite_db, nurse_k, visit_id=v.visit_id,
                                  instrument_id="csc", language="en")
    adm_w = _open(sqlite_db, w)
    sv.record_logout(sqlite_db, nurse_k, why="kiosk")
    with pytest.raises(AuthError, match="ended"):
        sv.record_answer(sqlite_db, given, adm, "C1", 1)
    sv.record_answer(sqlite_db, other_k, adm_w, "C1", 1)


def test_an_expired_hand_over_or_a_deactivated_staff_member_is_refused(sqlite_db) -> None:
    v = enrol(sqlite_db)
    adm = _open(sqlite_db, v)
    patient = at_kiosk(sqlite_db, v.visit_id)
    with sqlite_db.session() as s:
        s.execute(update(AuthSession).where(AuthSession.kind == "kiosk")
                  .values(expires_at=wall_now() - timedelta(seconds=1)))
    with pytest.raises(AuthError, match="expired"):
        sv.record_answer(sqlite_db, patient, adm, "C1", 1)
    again = at_kiosk(sqlite_db, v.visit_id)
    admin = staff(sqlite_db, "admin")
    nurse_id = staff(sqlite_db, "nurse", "K-1").user_id
    sv.set_user_active(sqlite_db, admin, nurse_id, False, reason="left the ward")
    with pytest.raises(AuthError, match="deactivated"):
        sv.record_answer(sqlite_db, again, adm, "C1", 1)
    assert _answers(sqlite_db, adm) == {}


def test_a_hand_over_ends_when_its_staff_member_may_no_longer_start_questionnaires(
        sqlite_db) -> None:
    v = enrol(sqlite_db)
    adm = _open(sqlite_db, v)
    patient = at_kiosk(sqlite_db, v.visit_id)
    with sqlite_db.session() as s:              # e.g. the account was made an administrator
        audit.set_context(s, system_actor(), "user.role")
        s.get(User, staff(sqlite_db, "nurse", "K-1").user_id).role = "admin"
    with pytest.raises(AuthError, match="not handed over"):
        sv.record_answer(sqlite_db, patient, adm, "C1", 1)


def test_only_staff_who_may_start_questionnaires_hand_the_kiosk_over(sqlite_db) -> None:
    v = enrol(sqlite_db)
    with pytest.raises(PermissionDenied):
        sv.hand_over_kiosk(sqlite_db, staff(sqlite_db, "admin"), v.visit_id)
    with pytest.raises(PermissionDenied):
        sv.hand_over_kiosk(sqlite_db, system_actor("K-1"), v.visit_id)
    with pytest.raises(AuthError):
        sv.hand_over_kiosk(sqlite_db, Actor.system("K-1"), v.visit_id)
    with pytest.raises(PermissionDenied):                # a patient cannot pass the kiosk on
        sv.hand_over_kiosk(sqlite_db, at_kiosk(sqlite_db, v.visit_id), v.visit_id)


# -- 3. sessions bind the station --------------------------------------------------------------
def test_a_session_token_from_another_station_is_refused(sqlite_db) -> None:
    v = enrol(sqlite_db)
    adm = _open(sqlite_db, v)
    nurse = staff(sqlite_db, "nurse")                    # logged in at WS-1
    elsewhere = replace(nurse, station_id="WS-2")
    with pytest.raises(AuthError, match="another station"):
        sv.enrol_patient(sqlite_db, elsewhere, subject_id="S-9", initials="AB", sex="F",
                         day1_date=date.today(),
                         screening=eligible_screening(sqlite_db, date.today()))
    with pytest.raises(AuthError, match="another station"):
        sv.hand_over_kiosk(sqlite_db, elsewhere, v.visit_id)
    patient = at_kiosk(sqlite_db, v.visit_id)            # at K-1
    with pytest.raises(AuthError, match="another station"):
        sv.record_answer(sqlite_db, replace(patient, station_id="K-2"), adm, "C1", 1)
    with pytest.raises(AuthError, match="another station"):
        sv.record_answer(sqlite_db, replace(patient, station_id=None), adm, "C1", 1)
    assert _answers(sqlite_db, adm) == {}
    sv.record_answer(sqlite_db, patient, adm, "C1", 1)   # the right station still works


# -- 2. the system actor ------------------------------------------------------------------------
def test_actor_system_from_outside_storage_is_refused(sqlite_db) -> None:
    """``Actor.system()`` (what a screen could build) carries no capability: refused and
    audited, even for what the genuine system may do."""
    forged = Actor.system("WS-1")
    before = _denials(sqlite_db)
    with pytest.raises(AuthError, match="system"):
        sv.create_user(sqlite_db, forged, username="eve", full_name="Eve", role="admin",
                       password="a-long-password-9")
    with pytest.raises(AuthError, match="system"):
        sv.update_study_settings(sqlite_db, forged, primary_sf36_scoring="rand36",
                                 staff_idle_minutes=10, kiosk_idle_seconds=120,
                                 reason="forged")
    with pytest.raises(AuthError, match="system"):
        sv.record_event(sqlite_db, forged, action="audit.exported", detail="rows=1")
    assert _denials(sqlite_db) == before + 3
    assert "eve" not in {u.username for u in sv.list_users(sqlite_db, staff(sqlite_db, "admin"))}


def test_the_genuine_system_never_acts_where_a_person_must(sqlite_db) -> None:
    """Sign, correct, enrol, export, start a questionnaire, lock, re-assign an arm: a person
    must act; the system's capability does not cover these (storage.permissions)."""
    v = enrol(sqlite_db)
    adm = _open(sqlite_db, v)
    sv.record_answer(sqlite_db, at_kiosk(sqlite_db, v.visit_id), adm, "C1", 1)
    system = system_actor("WS-1")
    day1 = date.today()
    attempts = {
        "sign": lambda: sv.sign_visit(sqlite_db, system, v.visit_id, username="system",
                                      password="x", meaning="reviewed and approved"),
        "correct": lambda: sv.correct_answer(sqlite_db, system, adm, "C1", 2,
                                             reason="transcription error"),
        "enrol": lambda: sv.enrol_patient(sqlite_db, system, subject_id="S-SYS", initials="SY",
                                          sex="M", day1_date=day1,
                                          screening=eligible_screening(sqlite_db, day1)),
        "export": lambda: sv.require_export_permission(sqlite_db, system),
        "start": lambda: sv.start_administration(sqlite_db, system, visit_id=v.visit_id,
                                                 instrument_id="rand36", language="en"),
        "lock": lambda: sv.lock_visit(sqlite_db, system, v.visit_id, reason="x"),
        "clinical": lambda: sv.enter_clinical_assessment(sqlite_db, system, v.visit_id,
                                                         {"vital_status": "alive"}),
        "answer": lambda: sv.record_answer(sqlite_db, system, adm, "C1", 3),
    }
    refused = []
    for name, attempt in attempts.items():
        with pytest.raises(PermissionDenied):
            attempt()
        refused.append(name)
    assert refused == list(attempts)
    assert _answers(sqlite_db, adm) == {"C1": 1}
    assert [p.subject_id for p in sv.list_patients(sqlite_db)] == ["S-001"]


def test_no_screen_or_report_can_reach_the_system_capability() -> None:
    """The capability is minted in ``storage.auth_sessions``; ``ui/`` imports storage only
    through ``storage.services`` (tests/test_layering.py) and neither ui/ nor reports/ names
    the minting function or the module."""
    pattern = re.compile(r"system_actor|auth_sessions|_SYSTEM_GRANT|\bgrant=")
    hits = [f"{p.relative_to(ROOT)}:{n}"
            for folder in ("ui", "reports")
            for p in sorted((ROOT / folder).rglob("*.py"))
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if pattern.search(line)]
    assert hits == []
