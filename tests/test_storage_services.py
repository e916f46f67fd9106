"""Service behaviour on SQLite and a real PostgreSQL server."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from forms.errors import UserError
from storage import services as sv
from storage.errors import AuthError, ConflictError, PermissionDenied
from storage.models import Answer, AuditEvent, Score
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (PASSWORDS, answer_all, db, eligible_screening, enrol,  # noqa: F401
                              at_kiosk, pg_template, sqlite_db, sqlite_template, staff)


def audit_rows(db, **where):  # noqa: ANN001, F811
    with db.session() as s:
        q = select(AuditEvent).order_by(AuditEvent.seq)
        for k, v in where.items():
            q = q.where(getattr(AuditEvent, k) == v)
        return list(s.scalars(q))


def start(db, v, instrument="rand36", lang="en"):  # noqa: ANN001, ANN201, F811
    return sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                   instrument_id=instrument, language=lang, station_id="K-1")


def test_enrol_schedules_every_visit(db) -> None:  # noqa: F811
    v = enrol(db, full_name="Zoe\u0308 Test")       # NFD input
    # the protocol's scheduled visits after screening; W52 (end of study) at day 365
    assert [x.code for x in v.visits] == ["BL", "W1", "W2", "W4", "W8", "W12", "W24", "W36",
                                          "W52"]
    assert v.visits[-1].target_day == 365 and v.visits[-1].window_days == (14, 14)
    w4 = v.visits[3]
    assert w4.target_day == 29 and w4.window_days == (3, 3)
    assert w4.planned_date == date.today() + timedelta(days=28)
    info = sv.find_patient(db, "S-001")
    assert info is not None and info.full_name == "Zo\u00eb Test"   # stored NFC
    with pytest.raises(ConflictError):
        enrol(db)


def test_record_answer_is_idempotent_and_changes_are_audited(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = start(db, v)
    pat = at_kiosk(db, v.visit_id)
    sv.record_answer(db, pat, adm, "q1", 3, ms_on_item=1200)
    n_before = len(audit_rows(db))
    sv.record_answer(db, pat, adm, "q1", 3)
    assert len(audit_rows(db)) == n_before                 # same answer twice: nothing new
    sv.record_answer(db, pat, adm, "q1", 4)
    with db.session() as s:
        rows = list(s.scalars(select(Answer).where(Answer.administration_id == adm)))
    assert len(rows) == 1 and rows[0].code == 4 and rows[0].change_count == 1
    assert rows[0].answered_at <= rows[0].saved_at and rows[0].ms_on_item == 1200
    change = [r for r in audit_rows(db, entity="answer") if r.operation == "update"]
    assert len(change) == 1                     # ONE row per change, every changed field in it
    assert change[0].fields()["code"] == ["3", "4"]
    assert {"code", "change_count", "answered_at", "saved_at"} <= set(change[0].fields())
    assert change[0].action == "answer.change_before_submit"
    assert change[0].actor_kind == "patient" and change[0].station_id == "K-1"
    assert change[0].patient_id == v.patient_id


def test_invalid_code_rejected_by_service_and_database(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = start(db, v)
    pat = at_kiosk(db, v.visit_id)
    for bad in (0, 7, -1, "3", 2.5, True):
        with pytest.raises(UserError):
            sv.record_answer(db, pat, adm, "q3", bad)       # q3 has codes 1..3
    sv.record_answer(db, pat, adm, "q3", 2)
    with pytest.raises(Exception, match="(?i)foreign key|violates"):
        with db.session() as s:
            s.execute(text("UPDATE answer SET code = 7 WHERE item_id = 'q3'"))


def test_skip_needs_a_known_reason_and_is_never_null(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = start(db, v)
    pat = at_kiosk(db, v.visit_id)
    with pytest.raises(UserError):
        sv.skip_item(db, pat, adm, "q1", "because")
    sv.skip_item(db, pat, adm, "q1", "prefer_not_to_answer")
    state = sv.administration_state(db, adm)
    assert state.skipped == {"q1": "prefer_not_to_answer"} and "q1" not in state.answers


def test_submit_scores_and_is_idempotent(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = start(db, v)
    pat = at_kiosk(db, v.visit_id)
    with pytest.raises(UserError, match="neither an answer nor a skip"):
        sv.submit_administration(db, pat, adm)
    answer_all(db, pat, adm, lambda item, codes: codes[-1])
    scores = sv.submit_administration(db, pat, adm)
    assert scores["rand_pf"] == 100.0 and scores["sf36_pcs"] is not None
    assert sv.submit_administration(db, pat, adm) == scores
    with db.session() as s:
        algs = {(r.algorithm_id, r.algorithm_version) for r in s.scalars(select(Score))}
    assert algs == {("rand36-1.0", "1.0"), ("sf36v1-ware1993-norms1990", "1.0")}
    with pytest.raises(ConflictError):
        sv.record_answer(db, pat, adm, "q1", 1)             # submitted: no more changes
    with pytest.raises(ConflictError, match="already completed"):
        start(db, v)


def test_one_submitted_administration_per_visit_at_db_level(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = start(db, v)
    pat = at_kiosk(db, v.visit_id)
    answer_all(db, pat, adm)
    sv.submit_administration(db, pat, adm)
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        with db.session() as s:
            s.execute(text("INSERT INTO administration (visit_id, instrument_id, "
                           "instrument_version, content_hash, language, status, started_at, "
                           "submitted_at, originator, version_id) SELECT visit_id, "
                           "instrument_id, instrument_version, content_hash, language, status, "
                           "started_at, submitted_at, originator, 1 FROM administration"))


def test_csc_branching_not_applicable_and_change_vs_baseline(db) -> None:  # noqa: F811
    v = enrol(db)
    pat = at_kiosk(db, v.visit_id)
    adm = start(db, v, "csc", "zh_CN")
    answer_all(db, pat, adm, lambda item, codes: codes[0])   # C2 = 0 -> C2b not applicable
    base = sv.submit_administration(db, pat, adm)
    state = sv.administration_state(db, adm)
    assert "C2b" in state.not_applicable and "G2" in state.not_applicable   # G2: not at baseline
    assert state.language == "zh_CN" and "rss_change" not in base
    w1 = sv.patient_visits(db, v.patient_id)[1]
    adm2 = sv.start_administration(db, staff(db, "nurse"), visit_id=w1.id, instrument_id="csc",
                                   language="en", override_reason="test: second visit same day")
    pat2 = at_kiosk(db, w1.id)                               # handed over for W1 now
    answer_all(db, pat2, adm2, lambda item, codes: codes[min(2, len(codes) - 1)])
    follow = sv.submit_administration(db, pat2, adm2)
    assert follow["rss_change"] > 0 and follow["baseline_administration_id"] == adm
    assert "C2b" not in sv.administration_state(db, adm2).not_applicable


@pytest.mark.parametrize("instrument", ["rand36", "csc"])
def test_recall_period_comes_from_the_protocol_and_needs_an_override(db, instrument) -> None:  # noqa: F811
    """protocol.md §2: an instrument opens no earlier than its recall period (the protocol's
    min_days_between: SF-36 28 days, CSC 7) after its previous completion, unless staff give a
    reason; the override is audited with the administration."""
    from storage.clock import use_clock, utcnow
    days = sv.current_protocol(db).min_days_between(instrument)
    v = enrol(db)
    pat = at_kiosk(db, v.visit_id)
    nurse = staff(db, "nurse")
    t0 = utcnow()
    with use_clock(lambda: t0):
        adm = start(db, v, instrument)
        answer_all(db, pat, adm)
        sv.submit_administration(db, pat, adm)
    nxt = v.visits[1].id                                         # W1
    almost = t0 + timedelta(days=days, seconds=-60)
    with use_clock(lambda: almost), pytest.raises(UserError, match=f"{days} days"):
        sv.start_administration(db, nurse, visit_id=nxt, instrument_id=instrument, language="en")
    with use_clock(lambda: almost):
        overridden = sv.start_administration(db, nurse, visit_id=nxt, instrument_id=instrument,
                                             language="en", override_reason="visit moved by PI")
    assert overridden
    with db.session() as s:
        reasons = set(s.scalars(select(AuditEvent.reason).where(
            AuditEvent.action == "administration.start")))
    assert "visit moved by PI" in reasons


def test_recall_period_passed_opens_without_override(db) -> None:  # noqa: F811
    from storage.clock import use_clock, utcnow
    v = enrol(db)
    pat = at_kiosk(db, v.visit_id)
    t0 = utcnow()
    with use_clock(lambda: t0):
        adm = start(db, v, "csc")
        answer_all(db, pat, adm)
        sv.submit_administration(db, pat, adm)
    days = sv.current_protocol(db).min_days_between("csc")
    with use_clock(lambda: t0 + timedelta(days=days)):
        assert sv.start_administration(db, staff(db, "nurse"), visit_id=v.visits[1].id,
                                       instrument_id="csc", language="en")


def test_interrupt_and_resume(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = start(db, v)
    pat = at_kiosk(db, v.visit_id)
    sv.record_answer(db, pat, adm, "q1", 2)
    sv.mark_interrupted(db, pat, adm)
    assert [s.id for s in sv.interrupted_administrations(db)] == [adm]
    assert start(db, v) == adm                               # resume the same administration
    assert sv.administration_state(db, adm).answers == {"q1": 2}
    assert sv.interrupted_administrations(db) == []


def test_patient_cannot_answer_for_another_patient(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = start(db, v)
    other = at_kiosk(db, enrol(db, "S-002").visit_id)       # a real hand-over, to another
    with pytest.raises(PermissionDenied):
        sv.record_answer(db, other, adm, "q1", 1)


def test_correction_requires_reason_rescores_and_invalidates_signature(db) -> None:  # noqa: F811
    v = enrol(db)
    pat = at_kiosk(db, v.visit_id)
    adm = start(db, v)
    answer_all(db, pat, adm)
    first = sv.submit_administration(db, pat, adm)
    inv = staff(db, "investigator")
    sv.sign_visit(db, inv, v.visit_id, username="investigator", password=PASSWORDS["investigator"],
                  meaning="reviewed and approved")
    assert sv.visit_signatures(db, v.visit_id)[0].status == "valid"
    nurse = staff(db, "nurse")
    with pytest.raises(UserError, match="reason"):
        sv.correct_answer(db, nurse, adm, "q3", 3, reason="   ")
    sv.correct_answer(db, nurse, adm, "q3", 3, reason="patient reported a mis-tap")
    sig = sv.visit_signatures(db, v.visit_id)[0]
    assert sig.status == "invalidated" and not sig.content_matches
    assert sv.patient_visits(db, v.patient_id)[0].status == "resign_required"
    hist = [r for r in sv.audit_history(db, entity="answer") if r.field == "code"
            and r.action == "answer.correct"]
    assert len(hist) == 1 and hist[0].old_value == "1" and hist[0].new_value == "3"
    assert hist[0].reason == "patient reported a mis-tap" and hist[0].actor_role == "nurse"
    with db.session() as s:
        rand = s.scalar(select(Score).where(Score.algorithm_id == "rand36-1.0"))
    assert rand.values["rand_pf"] != first["rand_pf"]


def test_sign_needs_password_and_investigator(db) -> None:  # noqa: F811
    v = enrol(db)
    with pytest.raises(PermissionDenied):
        sv.sign_visit(db, staff(db, "nurse"), v.visit_id, password=PASSWORDS["nurse"],
                      meaning="reviewed")
    with pytest.raises(AuthError):
        sv.sign_visit(db, staff(db, "investigator"), v.visit_id, username="investigator",
                      password="wrong",
                      meaning="reviewed")
    assert sv.visit_signatures(db, v.visit_id) == []
    assert audit_rows(db, action="authz.denied")
    assert audit_rows(db, action="signature.failure")


def test_clinical_assessment_derives_scores_and_corrections_need_reason(db) -> None:  # noqa: F811
    v = enrol(db)
    nurse = staff(db, "nurse")
    data = {"sample_date": date.today(), "ascites": "slight", "encephalopathy": "none",
            "labs": {"bilirubin": {"value": 42.75, "unit": "umol/L"},
                     "albumin": {"value": 30, "unit": "g/L"}, "inr": {"value": 1.5},
                     "creatinine": {"value": 1.1, "unit": "mg/dL"},
                     "sodium": {"value": 133, "unit": "mmol/L"}}}
    sv.enter_clinical_assessment(db, nurse, v.visit_id, data)
    ca = sv.clinical_assessment(db, v.visit_id)
    assert ca["derived"]["child_pugh"] == {"score": 8, "class": "B", "variant": "standard",
                                           "formula_id": "CTP-Pugh1973-INR"}
    assert {"meld", "meld_na", "meld3"} <= set(ca["derived"])
    assert ca["labs"]["bilirubin"]["unit"] == "umol/L"
    with pytest.raises(UserError, match="reason"):
        sv.enter_clinical_assessment(db, nurse, v.visit_id, {**data, "ascites": "moderate"})
    with pytest.raises(UserError):
        sv.enter_clinical_assessment(db, nurse, v.visit_id,
                                     {**data, "labs": {"inr": {"value": 99}}, "reason": "x"})
    with pytest.raises(ConflictError):
        sv.enter_clinical_assessment(db, nurse, v.visit_id, {
            **data, "ascites": "moderate", "reason": "r", "expected_version": ca["version"] + 5})
    sv.enter_clinical_assessment(db, nurse, v.visit_id,
                                 {**data, "ascites": "moderate", "reason": "re-examined",
                                  "expected_version": ca["version"]})
    assert sv.clinical_assessment(db, v.visit_id)["derived"]["child_pugh"]["score"] == 9


def test_admin_cannot_touch_clinical_data(db) -> None:  # noqa: F811
    v = enrol(db)
    admin = staff(db, "admin")
    with pytest.raises(PermissionDenied):
        sv.start_administration(db, admin, visit_id=v.visit_id, instrument_id="rand36",
                                language="en")
    with pytest.raises(PermissionDenied):
        sv.enter_clinical_assessment(db, admin, v.visit_id, {})
    with pytest.raises(PermissionDenied):
        sv.enrol_patient(db, admin, subject_id="X-1", initials="A", sex="M",
                         day1_date=date.today(), screening=eligible_screening(db, date.today()))


def test_lockout_after_five_failures_same_message(db) -> None:  # noqa: F811
    messages = set()
    for _ in range(5):
        with pytest.raises(AuthError) as e:
            sv.authenticate(db, "nurse", "wrong-password")
        messages.add(str(e.value))
    with pytest.raises(AuthError) as e:
        sv.authenticate(db, "nurse", PASSWORDS["nurse"])      # right password, but locked
    messages.add(str(e.value))
    with pytest.raises(AuthError) as e:
        sv.authenticate(db, "nobody", "whatever")
    messages.add(str(e.value))
    assert messages == {sv.AUTH_FAILED}
    assert len(audit_rows(db, action="auth.lockout")) == 1
    assert len(audit_rows(db, action="auth.failure")) == 6
    from storage.clock import use_clock, utcnow
    later = utcnow() + sv.LOCKOUT + timedelta(seconds=1)
    with use_clock(lambda: later):
        actor = sv.authenticate(db, "nurse", PASSWORDS["nurse"])
    assert actor.role == "nurse" and audit_rows(db, action="auth.login")


def test_password_hash_is_argon2id(db) -> None:  # noqa: F811
    with db.session() as s:
        h = s.execute(text("SELECT password_hash FROM user_account WHERE username='nurse'")
                      ).scalar_one()
    assert h.startswith("$argon2id$")
    m, t = int(h.split("m=")[1].split(",")[0]), int(h.split("t=")[1].split(",")[0])
    assert m >= 19 * 1024 and t >= 2


def test_optimistic_locking_on_concurrent_correction(db) -> None:  # noqa: F811
    v = enrol(db)
    pat = at_kiosk(db, v.visit_id)
    adm = start(db, v)
    answer_all(db, pat, adm)
    sv.submit_administration(db, pat, adm)
    with db.session() as s:
        version = s.scalar(select(Answer.version_id).where(Answer.item_id == "q5"))
    nurse, inv = staff(db, "nurse"), staff(db, "investigator")
    sv.correct_answer(db, nurse, adm, "q5", 2, reason="first", expected_version=version)
    with pytest.raises(ConflictError, match="changed"):
        sv.correct_answer(db, inv, adm, "q5", 3, reason="second", expected_version=version)


def test_patient_list_and_literal_search(db) -> None:  # noqa: F811
    enrol(db, "S-001", full_name="张伟")
    enrol(db, "S_002", full_name="100% Test")
    rows = sv.list_patients(db)
    assert [r.subject_id for r in rows] == ["S-001", "S_002"]
    assert rows[0].next_visit_code == "BL" and rows[0].next_visit_window_status == "due"
    assert [r.subject_id for r in sv.list_patients(db, search="%")] == ["S_002"]
    assert [r.subject_id for r in sv.list_patients(db, search="_")] == ["S_002"]
    assert [r.subject_id for r in sv.list_patients(db, search="张")] == ["S-001"]
    assert sv.list_patients(db, search="' OR 1=1 --") == []


def test_every_service_write_has_audit_rows_with_actor(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = start(db, v)
    sv.record_answer(db, at_kiosk(db, v.visit_id), adm, "q1", 1)
    with db.session() as s:
        nulls = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.actor_kind.is_(None)))
        assert nulls == 0
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.entity == "answer")))
    assert len(rows) == 1 and rows[0].operation == "insert"     # one row per new answer
    assert {"code", "item_id", "answered_at", "saved_at", "status"} <= set(rows[0].fields())
