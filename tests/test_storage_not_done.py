"""A questionnaire recorded "not done" with a reason (forms.not_done): the rule, the storage
service (permission, refusals, audit rows, visit status, signature), on the real storage."""
from __future__ import annotations

import json

import pytest

from forms import not_done as nd
from forms.errors import UserError
from forms.visit_start import battery_complete, remaining_battery, visit_start
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.errors import ConflictError, PermissionDenied, RecordLocked
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (PASSWORDS, answer_all, at_kiosk, db, enrol,  # noqa: F401
                              pg_template, sqlite_db, sqlite_template, staff)


# --- the rule (forms) -----------------------------------------------------------------------

def test_not_done_counts_as_accounted_for_in_the_battery_rule() -> None:
    assert not battery_complete(("a", "b"), {"a"})
    assert battery_complete(("a", "b"), {"a"}, {"b"})
    assert battery_complete(("a", "b"), set(), {"a", "b"})
    assert remaining_battery(("a", "b", "c"), {"a"}, {"b"}) == ("c",)
    from datetime import datetime, timezone
    now = datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert not visit_start(("a",), set(), {}, {}, now, not_done={"a"}).startable


def test_reason_checks_and_labels() -> None:
    got = nd.check_not_done("csc", ("rand36", "csc"), "refused", "  said  no ")
    assert got == nd.NotDone("csc", "refused", "said no")
    assert got.label() == "Patient refused: said no"
    assert got.label("zh_CN") == "患者拒绝：said no"
    with pytest.raises(UserError, match="not a questionnaire of this visit"):
        nd.check_not_done("fat5", ("csc",), "refused", None)
    with pytest.raises(UserError, match="must be one of"):
        nd.check_not_done("csc", ("csc",), "bored", None)
    with pytest.raises(UserError, match="reason: other"):
        nd.check_not_done("csc", ("csc",), "other", "  ")
    with pytest.raises(UserError, match="too long"):
        nd.check_not_done("csc", ("csc",), "other", "x" * (nd.TEXT_MAX + 1))
    assert set(nd.REASON_LABELS) == set(nd.REASONS)
    assert all(set(v) == {"en", "zh_CN"} for v in nd.REASON_LABELS.values())


# --- storage ----------------------------------------------------------------------------------

def _submit(db, visit_id: int, instrument: str) -> int:  # noqa: ANN001
    adm = sv.start_administration(db, staff(db, "nurse"), visit_id=visit_id,
                                  instrument_id=instrument, language="en",
                                  override_reason="test: compressed timeline")
    pat = at_kiosk(db, visit_id)
    answer_all(db, pat, adm)
    sv.submit_administration(db, pat, adm)
    return adm


def _visit(db, v) -> object:  # noqa: ANN001
    return next(x for x in sv.patient_visits(db, v.patient_id) if x.id == v.visit_id)


def test_not_done_completes_the_visit_and_is_audited(db) -> None:  # noqa: F811
    """SQLite and PostgreSQL: the records are read back from the audit table on both."""
    v = enrol(db)
    first, second = sv.remaining_battery(db, v.visit_id)[:2]
    battery = sv.remaining_battery(db, v.visit_id)
    nurse = staff(db, "nurse")
    sv.mark_not_done(db, nurse, v.visit_id, second, reason="too_unwell", text="ascites")
    assert second not in sv.remaining_battery(db, v.visit_id)
    assert _visit(db, v).status == "in_progress" and _visit(db, v).actual_date is not None
    [rec] = sv.visit_not_done(db, v.visit_id)
    assert (rec.instrument_id, rec.reason, rec.text, rec.recorded_by) == (
        second, "too_unwell", "ascites", "nurse")
    for inst in battery:
        if inst != second:
            _submit(db, v.visit_id, inst)
    assert _visit(db, v).status == "completed"     # submitted + not done = complete
    rows = [r for r in sv.audit_history(db, entity="visit", entity_id=v.visit_id)
            if r.action == "questionnaire.not_done"]
    event = next(r for r in rows if r.operation == "event")
    assert json.loads(event.new_value) == {"instrument_id": second, "reason": "too_unwell",
                                           "text": "ascites"}
    assert event.reason == "Patient too unwell: ascites"
    assert sv.subject_not_done(db, v.patient_id) == [rec]
    assert first in sv.submitted_battery(db, v.visit_id)
    assert verify_audit(db).ok


def test_refusals_say_why(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    v = enrol(db)
    first, second = sv.remaining_battery(db, v.visit_id)[:2]
    nurse = staff(db, "nurse")
    _submit(db, v.visit_id, first)
    with pytest.raises(ConflictError, match="already completed"):
        sv.mark_not_done(db, nurse, v.visit_id, first, reason="refused")
    adm = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id=second,
                                  language="en", override_reason="test")
    with pytest.raises(ConflictError, match="in progress at the kiosk"):
        sv.mark_not_done(db, nurse, v.visit_id, second, reason="refused")
    with pytest.raises(UserError, match="reason: other"):
        sv.mark_not_done(db, nurse, v.visit_id, "csc", reason="other")
    with pytest.raises(PermissionDenied):
        sv.mark_not_done(db, staff(db, "admin"), v.visit_id, second, reason="refused")
    with pytest.raises(PermissionDenied):
        sv.mark_not_done(db, at_kiosk(db, v.visit_id), v.visit_id, second, reason="refused")
    assert sv.visit_not_done(db, v.visit_id) == []


def test_kiosk_never_offers_a_not_done_questionnaire_and_withdrawal_reopens_it(
        sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    v = enrol(db)
    battery = sv.remaining_battery(db, v.visit_id)
    nurse = staff(db, "nurse")
    sv.mark_not_done(db, nurse, v.visit_id, battery[0], reason="unable")
    kv = sv.kiosk_visit(db, v.visit_id)
    assert battery[0] not in kv.start.remaining
    assert battery[0] not in next(k for k in sv.kiosk_visits(db)
                                  if k.visit_id == v.visit_id).start.remaining
    with pytest.raises(ConflictError, match="recorded as not done"):
        sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id=battery[0],
                                language="en", override_reason="test")
    with pytest.raises(ConflictError, match="already recorded"):
        sv.mark_not_done(db, nurse, v.visit_id, battery[0], reason="refused")
    with pytest.raises(UserError, match="reason"):
        sv.withdraw_not_done(db, nurse, v.visit_id, battery[0], reason=" ")
    sv.withdraw_not_done(db, nurse, v.visit_id, battery[0], reason="patient feels better")
    assert sv.remaining_battery(db, v.visit_id) == battery
    assert sv.visit_not_done(db, v.visit_id) == []
    with pytest.raises(ConflictError, match="is not recorded"):
        sv.withdraw_not_done(db, nurse, v.visit_id, battery[0], reason="again")
    undo = [r for r in sv.audit_history(db, entity="visit", entity_id=v.visit_id)
            if r.action == "questionnaire.not_done_withdrawn"]
    assert undo and undo[0].reason == "patient feels better"
    assert verify_audit(db).ok


def test_all_not_done_completes_then_signed_visit_needs_resignature_on_withdrawal(
        sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    v = enrol(db)
    battery = sv.remaining_battery(db, v.visit_id)
    nurse, inv = staff(db, "nurse"), staff(db, "investigator")
    for inst in battery:
        sv.mark_not_done(db, nurse, v.visit_id, inst, reason="staff_error")
    assert _visit(db, v).status == "completed"
    assert v.visit_id not in {k.visit_id for k in sv.kiosk_visits(db)}
    sv.sign_visit(db, inv, v.visit_id, password=PASSWORDS["investigator"],
                  meaning="reviewed and approved", username="investigator")
    assert _visit(db, v).status == "signed"
    assert sv.visit_signatures(db, v.visit_id)[0].content_matches
    sv.withdraw_not_done(db, nurse, v.visit_id, battery[0], reason="done on paper")
    sig = sv.visit_signatures(db, v.visit_id)[0]
    assert sig.status == "invalidated" and "not-done record withdrawn" in sig.invalidated_reason
    assert not sig.content_matches                   # the signature covered the record
    assert _visit(db, v).status == "in_progress"     # something to do again
    sv.mark_not_done(db, nurse, v.visit_id, battery[0], reason="refused")
    assert _visit(db, v).status == "completed"


def test_locked_visit_refuses(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    v = enrol(db)
    battery = sv.remaining_battery(db, v.visit_id)
    nurse, inv = staff(db, "nurse"), staff(db, "investigator")
    for inst in battery[1:]:
        sv.mark_not_done(db, nurse, v.visit_id, inst, reason="refused")
    _submit(db, v.visit_id, battery[0])
    sv.sign_visit(db, inv, v.visit_id, password=PASSWORDS["investigator"],
                  meaning="reviewed and approved", username="investigator")
    sv.lock_visit(db, inv, v.visit_id, reason="database lock")
    with pytest.raises(RecordLocked):
        sv.withdraw_not_done(db, nurse, v.visit_id, battery[1], reason="x")


def _paused(db, v, answered: int):  # noqa: ANN001, ANN202
    """The visit's first questionnaire started, ``answered`` items answered by the patient at
    the kiosk, then paused: (battery, administration id, patient actor, instrument)."""
    battery = sv.remaining_battery(db, v.visit_id)
    adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                  instrument_id=battery[0], language="en",
                                  override_reason="test")
    pat = at_kiosk(db, v.visit_id)
    inst = sv.administration_instrument(db, adm)
    for item in inst.items[:answered]:
        sv.record_answer(db, pat, adm, item.id, inst.options_for(item).codes[0])
    sv.mark_interrupted(db, pat, adm)
    return battery, adm, pat, inst


def test_a_paused_questionnaire_the_patient_cannot_finish_is_recorded_not_done(
        sqlite_db) -> None:  # noqa: F811
    """Paused at the kiosk and never finished: staff record it not done; its answers stay as
    they were (interrupted, unscored), the kiosk stops offering it, the visit completes and can
    be locked; a withdrawal offers the same administration again."""
    db = sqlite_db
    v = enrol(db)
    battery, adm, _pat, _inst = _paused(db, v, answered=1)
    nurse, inv = staff(db, "nurse"), staff(db, "investigator")
    assert adm in {a.id for a in sv.interrupted_administrations(db)}
    for inst in battery[1:]:
        _submit(db, v.visit_id, inst)
    assert _visit(db, v).status == "in_progress"
    sv.mark_not_done(db, nurse, v.visit_id, battery[0], reason="too_unwell")
    kept = sv.administration_state(db, adm)
    assert (kept.status, kept.answered_count) == ("interrupted", 1)
    assert adm not in {a.id for a in sv.interrupted_administrations(db)}
    with pytest.raises(ConflictError, match="recorded as not done"):
        sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id=battery[0],
                                language="en", override_reason="test")
    assert _visit(db, v).status == "completed"
    sv.sign_visit(db, inv, v.visit_id, password=PASSWORDS["investigator"],
                  meaning="reviewed and approved", username="investigator")
    sv.lock_visit(db, inv, v.visit_id, reason="database lock")
    assert verify_audit(db).ok


def test_withdrawn_not_done_offers_the_paused_questionnaire_again(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    v = enrol(db)
    battery, adm, _pat, _inst = _paused(db, v, answered=0)
    nurse = staff(db, "nurse")
    for inst in battery:
        sv.mark_not_done(db, nurse, v.visit_id, inst, reason="unable")
    assert _visit(db, v).status == "completed"
    sv.withdraw_not_done(db, nurse, v.visit_id, battery[0], reason="wants to finish")
    assert adm in {a.id for a in sv.interrupted_administrations(db)}
    assert _visit(db, v).status == "in_progress"
    assert sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id=battery[0],
                                   language="en", override_reason="test") == adm


def test_a_paused_questionnaire_recorded_not_done_takes_no_more_answers(
        sqlite_db) -> None:  # noqa: F811
    """A kiosk that offered the paused questionnaire before staff recorded it not done (its
    resume list is older) cannot resume it by its id: answering, skipping or submitting it
    would leave one questionnaire both submitted and not done at the visit."""
    db = sqlite_db
    v = enrol(db)
    battery, adm, pat, inst = _paused(db, v, answered=1)
    nurse = staff(db, "nurse")
    second = inst.items[1]
    sv.mark_not_done(db, nurse, v.visit_id, battery[0], reason="too_unwell")
    for call in (lambda: sv.record_answer(db, pat, adm, second.id,
                                          inst.options_for(second).codes[0]),
                 lambda: sv.skip_item(db, pat, adm, second.id, "dont_understand"),
                 lambda: sv.submit_administration(db, pat, adm)):
        with pytest.raises(ConflictError, match="recorded as not done"):
            call()
    kept = sv.administration_state(db, adm)
    assert (kept.status, kept.answered_count) == ("interrupted", 1)
