"""Unscheduled visits, out-of-window reasons and the visit lock (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from forms.errors import UserError
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.errors import ConflictError, PermissionDenied, RecordLocked
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (PASSWORDS, answer_all, at_kiosk, db, enrol, pg_template,  # noqa: F401
                              sqlite_db, sqlite_template, staff)


def _submit(database, v, visit_id: int, instrument: str = "csc") -> int:  # noqa: ANN001
    adm = sv.start_administration(database, staff(database, "nurse"), visit_id=visit_id,
                                  instrument_id=instrument, language="en",
                                  override_reason="test: compressed timeline")
    pat = at_kiosk(database, visit_id)
    answer_all(database, pat, adm)
    sv.submit_administration(database, pat, adm)
    return adm


# --- unscheduled visits ---------------------------------------------------------------------

def test_unscheduled_visit_gets_next_code_reason_and_chronological_place(db) -> None:  # noqa: F811
    day1 = date.today() - timedelta(days=40)
    v = enrol(db, day1=day1)
    nurse = staff(db, "nurse")
    with pytest.raises(UserError, match="reason"):
        sv.add_unscheduled_visit(db, nurse, v.patient_id, reason="  ")
    uns1 = sv.add_unscheduled_visit(db, nurse, v.patient_id, reason="ascites tap",
                                    visit_date=day1 + timedelta(days=20))   # between W2 and W4
    uns2 = sv.add_unscheduled_visit(db, nurse, v.patient_id, reason="fever")  # today
    visits = sv.patient_visits(db, v.patient_id)
    assert [x.code for x in visits] == ["BL", "W1", "W2", "UNS1", "W4", "UNS2", "W8",
                                        "W12", "W24", "W36", "W52"]
    u1 = next(x for x in visits if x.id == uns1)
    assert u1.unscheduled_reason == "ascites tap" and u1.target_day == 21
    assert u1.planned_date == day1 + timedelta(days=20) and u1.window_days == (0, 0)
    assert next(x for x in visits if x.id == uns2).planned_date == date.today()
    moved = [r for r in sv.audit_history(db, entity="visit") if r.field == "sequence"
             and r.operation == "update"]
    assert moved and {r.action for r in moved} == {"visit.add_unscheduled"}
    assert {r.reason for r in moved} == {"ascites tap", "fever"}
    with pytest.raises(UserError, match="consent"):
        sv.add_unscheduled_visit(db, nurse, v.patient_id, reason="x",
                                 visit_date=day1 - timedelta(days=30))
    with pytest.raises(PermissionDenied):
        sv.add_unscheduled_visit(db, staff(db, "admin"), v.patient_id, reason="x")
    adm = _submit(db, v, uns1)                  # questionnaires work at an unscheduled visit
    assert sv.administration_state(db, adm).status == "submitted"
    assert verify_audit(db).ok


# --- out-of-window reason -------------------------------------------------------------------

def test_out_of_window_reason_only_outside_the_window_and_kept_at_submit(db) -> None:  # noqa: F811
    v = enrol(db, day1=date.today() - timedelta(days=60))      # W1, W2, W4 are overdue
    nurse = staff(db, "nurse")
    visits = sv.patient_visits(db, v.patient_id)
    w8 = next(x for x in visits if x.code == "W8")               # day 61: inside +-7 days
    with pytest.raises(UserError, match="not outside its window"):
        sv.set_visit_out_of_window_reason(db, nurse, w8.id, reason="x")
    w1 = next(x for x in visits if x.code == "W1")
    assert w1.window_status == "overdue"
    with pytest.raises(ConflictError, match="changed"):
        sv.set_visit_out_of_window_reason(db, nurse, w1.id, reason="r",
                                          expected_version=w1.version + 1)
    sv.set_visit_out_of_window_reason(db, nurse, w1.id, reason="patient was in hospital",
                                      expected_version=w1.version)
    _submit(db, v, w1.id)                                        # assessed late: flagged
    w1 = next(x for x in sv.patient_visits(db, v.patient_id) if x.code == "W1")
    assert w1.out_of_window and w1.window_status == "out_of_window"
    assert w1.out_of_window_reason == "patient was in hospital"  # not overwritten
    rows = [r for r in sv.audit_history(db, entity="visit", entity_id=w1.id)
            if r.field == "out_of_window_reason"]
    assert rows[0].action == "visit.out_of_window_reason"
    assert rows[0].reason == "patient was in hospital" and rows[0].actor_role == "nurse"


# --- lock -----------------------------------------------------------------------------------

def test_lock_needs_signature_investigator_and_reason(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = _submit(db, v, v.visit_id, "rand36")
    inv, nurse = staff(db, "investigator"), staff(db, "nurse")
    with pytest.raises(UserError, match="must be signed"):
        sv.lock_visit(db, inv, v.visit_id, reason="database lock for interim analysis")
    sv.sign_visit(db, inv, v.visit_id, username="investigator", password=PASSWORDS["investigator"],
                  meaning="reviewed and approved")
    with pytest.raises(PermissionDenied):
        sv.lock_visit(db, nurse, v.visit_id, reason="x")
    with pytest.raises(UserError, match="reason"):
        sv.lock_visit(db, inv, v.visit_id, reason="")
    sv.lock_visit(db, inv, v.visit_id, reason="database lock for interim analysis")
    with pytest.raises(ConflictError, match="already locked"):
        sv.lock_visit(db, inv, v.visit_id, reason="again")
    assert sv.patient_visits(db, v.patient_id)[0].locked
    rows = [r for r in sv.audit_history(db, entity="visit", entity_id=v.visit_id)
            if r.field in ("locked_at", "locked_by", "lock_reason")]
    assert {r.field for r in rows} == {"locked_at", "locked_by", "lock_reason"}
    assert {(r.action, r.actor_role, r.reason) for r in rows} == {
        ("visit.lock", "investigator", "database lock for interim analysis")}
    assert verify_audit(db).ok
    assert sv.administration_state(db, adm).status == "submitted"


def test_locked_visit_refuses_every_data_change(db) -> None:  # noqa: F811
    v = enrol(db)
    adm = _submit(db, v, v.visit_id, "rand36")
    nurse, inv = staff(db, "nurse"), staff(db, "investigator")
    sv.enter_clinical_assessment(db, nurse, v.visit_id, {"vital_status": "alive"})
    sv.sign_visit(db, inv, v.visit_id, username="investigator", password=PASSWORDS["investigator"],
                  meaning="reviewed and approved")
    sv.lock_visit(db, inv, v.visit_id, reason="locked for analysis")
    with db.session() as s:
        before = s.execute(text("SELECT count(*) FROM audit_event")).scalar()
    pat = at_kiosk(db, v.visit_id)
    attempts = [
        lambda: sv.correct_answer(db, nurse, adm, "q3", 3, reason="late correction"),
        lambda: sv.enter_clinical_assessment(db, nurse, v.visit_id, {
            "vital_status": "died", "death_date": date.today(), "reason": "correction"}),
        lambda: sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id="csc",
                                        language="en"),
        lambda: sv.sign_visit(db, inv, v.visit_id, username="investigator",
                              password=PASSWORDS["investigator"],
                              meaning="reviewed"),
        lambda: sv.set_visit_out_of_window_reason(db, nurse, v.visit_id, reason="x"),
    ]
    for attempt in attempts:
        with pytest.raises(RecordLocked, match="locked by the investigator"):
            attempt()
    with db.session() as s:
        assert s.execute(text("SELECT count(*) FROM audit_event")).scalar() == before
    assert sv.administration_state(db, adm).answers["q3"] == 1
    assert sv.visit_signatures(db, v.visit_id)[0].status == "valid"
    assert sv.submit_administration(db, pat, adm)["sf36_pcs"] is not None  # replay: read only
    other = v.visits[1]                          # other visits of the patient stay open
    adm2 = sv.start_administration(db, nurse, visit_id=other.id, instrument_id="csc",
                                   language="en", override_reason="test")
    sv.record_answer(db, at_kiosk(db, other.id), adm2, "C1", 1)


def test_lock_refused_while_a_questionnaire_is_open(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    _submit(sqlite_db, v, v.visit_id, "rand36")
    inv = staff(sqlite_db, "investigator")
    sv.sign_visit(sqlite_db, inv, v.visit_id, username="investigator",
                  password=PASSWORDS["investigator"],
                  meaning="reviewed and approved")
    adm = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="csc", language="en")
    with pytest.raises(UserError, match="still open"):
        sv.lock_visit(sqlite_db, inv, v.visit_id, reason="lock")
    sv.record_answer(sqlite_db, at_kiosk(sqlite_db, v.visit_id), adm, "C1", 1)


def test_locked_visit_refuses_answers_of_an_open_administration(sqlite_db) -> None:  # noqa: F811
    """Belt and braces: even an administration left open (here forced by raw SQL after the
    lock) cannot take answers on a locked visit."""
    v = enrol(sqlite_db)
    _submit(sqlite_db, v, v.visit_id, "rand36")
    inv, nurse = staff(sqlite_db, "investigator"), staff(sqlite_db, "nurse")
    adm = sv.start_administration(sqlite_db, nurse, visit_id=v.visit_id, instrument_id="csc",
                                  language="en")
    with sqlite_db.session() as s:
        s.execute(text("UPDATE visit SET status = 'signed', locked_at = '2024-01-01 00:00:00', "
                       "locked_by = 1, lock_reason = 'x' WHERE id = :v"), {"v": v.visit_id})
    pat = at_kiosk(sqlite_db, v.visit_id)
    for attempt in (lambda: sv.record_answer(sqlite_db, pat, adm, "C1", 1),
                    lambda: sv.record_answers(sqlite_db, pat, adm, {"C1": 1}),
                    lambda: sv.skip_item(sqlite_db, pat, adm, "C1", "prefer_not_to_answer"),
                    lambda: sv.mark_interrupted(sqlite_db, pat, adm),
                    lambda: sv.submit_administration(sqlite_db, pat, adm)):
        with pytest.raises(RecordLocked):
            attempt()
    assert sv.administration_state(sqlite_db, adm).answers == {}


def test_early_termination_visit_on_demand_with_the_protocols_code(db) -> None:  # noqa: F811
    """protocol.md §2: ET is created on demand (with a reason), once, in date order, and
    gives the protocol's battery."""
    day1 = date.today() - timedelta(days=40)
    v = enrol(db, day1=day1)
    nurse = staff(db, "nurse")
    with pytest.raises(UserError, match="reason"):
        sv.add_early_termination_visit(db, nurse, v.patient_id, reason=" ")
    et = sv.add_early_termination_visit(db, nurse, v.patient_id, reason="withdrew consent",
                                        visit_date=day1 + timedelta(days=20))
    visits = sv.patient_visits(db, v.patient_id)
    assert [x.code for x in visits][:5] == ["BL", "W1", "W2", "ET", "W4"]
    got = next(x for x in visits if x.id == et)
    assert got.unscheduled_reason == "withdrew consent" and got.target_day == 21
    assert sv.remaining_battery(db, et) == sv.current_protocol(db).visit("ET").battery
    with pytest.raises(ConflictError, match="already has the ET visit"):
        sv.add_early_termination_visit(db, nurse, v.patient_id, reason="again")
