"""The whole story of every value of a visit (storage.services.value_history, issue 14 item 3)
and the audited end of a staff session (record_logout, item 5), on the real SQLite storage."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from forms.errors import UserError
from storage import services as sv
from storage.models import AuditEvent
from storage_fixtures import (answer_all, at_kiosk, enrol, sqlite_db,  # noqa: F401
                              sqlite_template, staff)


def _patient_answers_and_submits(db, visit_id: int, patient_id: int, *, skip: str | None = None):
    """The patient answers the visit's first questionnaire at the kiosk (``skip`` skipped)."""
    kiosk = at_kiosk(db, visit_id, "KIOSK-1")
    inst = sv.remaining_battery(db, visit_id)[0]
    aid = sv.start_administration(db, staff(db, "nurse"), visit_id=visit_id,
                                  instrument_id=inst, language="en")
    answer_all(db, kiosk, aid)
    if skip is not None:
        sv.skip_item(db, kiosk, aid, skip, "prefer_not_to_answer")
    sv.submit_administration(db, kiosk, aid)
    return aid


def test_a_corrected_answer_shows_original_each_correction_and_current(sqlite_db):
    v = enrol(sqlite_db)
    aid = _patient_answers_and_submits(sqlite_db, v.visit_id, v.patient_id)
    adm = sv.administration_state(sqlite_db, aid)
    item, original = next(iter(adm.answers.items()))
    nurse, inv = staff(sqlite_db, "nurse"), staff(sqlite_db, "investigator")
    sv.correct_answer(sqlite_db, nurse, aid, item, original + 1, reason="transcription: note 4")
    sv.correct_answer(sqlite_db, inv, aid, item, original + 2, reason="source document p. 2")

    h = sv.value_history(sqlite_db, v.visit_id).answer(aid, item)
    assert h.entered == sv.AnswerValue("answered", original)
    assert h.entered_by is None and h.entered_at.tzinfo is not None    # the patient, at the kiosk
    assert [(c.actor_username, c.actor_role, c.reason, c.old.code, c.new.code)
            for c in h.changes] == [
        ("nurse", "nurse", "transcription: note 4", original, original + 1),
        ("investigator", "investigator", "source document p. 2", original + 1, original + 2)]
    assert h.current == sv.AnswerValue("answered", original + 2)
    assert h.corrected and h.last_reason == "source document p. 2"
    assert h.changes[0].at <= h.changes[1].at and h.changes[0].at.tzinfo is not None
    # an untouched answer: entered = current, no changes
    other = next(k for k in adm.answers if k != item)
    u = sv.value_history(sqlite_db, v.visit_id).answer(aid, other)
    assert u.entered == u.current == sv.AnswerValue("answered", adm.answers[other])
    assert not u.corrected


def test_a_skipped_answer_keeps_its_skip_reason_and_a_patient_change_is_part_of_entering(
        sqlite_db):
    v = enrol(sqlite_db)
    kiosk = at_kiosk(sqlite_db, v.visit_id, "KIOSK-1")
    inst = sv.remaining_battery(sqlite_db, v.visit_id)[0]
    aid = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id=inst, language="en")
    answer_all(sqlite_db, kiosk, aid)
    items = list(sv.administration_state(sqlite_db, aid).answers)
    sv.skip_item(sqlite_db, kiosk, aid, items[0], "dont_understand")
    first = sv.administration_state(sqlite_db, aid).answers[items[1]]
    sv.record_answer(sqlite_db, kiosk, aid, items[1], first + 1)    # changed before submitting
    sv.submit_administration(sqlite_db, kiosk, aid)
    hist = sv.value_history(sqlite_db, v.visit_id)
    skipped = hist.answer(aid, items[0])
    assert skipped.entered == skipped.current == sv.AnswerValue("skipped", None, "dont_understand")
    changed = hist.answer(aid, items[1])
    assert changed.entered == sv.AnswerValue("answered", first + 1) and not changed.corrected


def test_clinical_fields_history_per_lab_and_grade(sqlite_db):
    v = enrol(sqlite_db)
    nurse = staff(sqlite_db, "nurse")
    data = {"sample_date": date.today(), "ascites": "none",
            "labs": {"bilirubin": {"value": "30", "unit": "umol/L"},
                     "inr": {"value": "1.4", "unit": ""}},
            "symptom_grades": {"appetite": 1}}
    sv.enter_clinical_assessment(sqlite_db, nurse, v.visit_id, data)
    ver = sv.clinical_assessment(sqlite_db, v.visit_id)["version"]
    sv.enter_clinical_assessment(sqlite_db, staff(sqlite_db, "investigator"), v.visit_id, {
        **data, "labs": {**data["labs"], "bilirubin": {"value": "2.1", "unit": "mg/dL"}},
        "symptom_grades": {"appetite": 2}, "reason": "source_document: lab report",
        "expected_version": ver})
    c = sv.value_history(sqlite_db, v.visit_id).clinical
    bili = c["labs.bilirubin"]
    assert bili.entered == {"value": "30", "unit": "umol/L"} and bili.entered_by == "nurse"
    assert bili.current == {"value": "2.1", "unit": "mg/dL"}
    assert [(x.actor_username, x.reason) for x in bili.changes] == [
        ("investigator", "source_document: lab report")]
    assert c["symptom_grades.appetite"].entered == 1 and c["symptom_grades.appetite"].current == 2
    assert not c["labs.inr"].corrected and not c["ascites"].corrected


@pytest.mark.parametrize("why", ["user", "idle", "kiosk"])
def test_logout_is_audited_with_why(sqlite_db, why):
    nurse = staff(sqlite_db, "nurse")
    sv.record_logout(sqlite_db, nurse, why=why)
    with sqlite_db.session() as s:
        e = s.scalars(select(AuditEvent).where(AuditEvent.action == "auth.logout")).one()
        assert (e.actor_username, e.reason, e.entity, e.entity_id) == (
            "nurse", why, "user_account", nurse.user_id)
    with pytest.raises(UserError):
        sv.record_logout(sqlite_db, nurse, why="bored")
