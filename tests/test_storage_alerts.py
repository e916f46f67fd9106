"""Staff alerts on real storage: raised by storage on submit from the instrument's alert rules,
listed with their reason, acknowledged once by a nurse or investigator, every step audited."""
from __future__ import annotations

import pytest

from forms import alerts as rules
from forms import csc
from storage import services as sv
from storage.errors import ConflictError, PermissionDenied
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (answer_all, db, enrol, pg_template, sqlite_db,  # noqa: F401
                              sqlite_template, staff)


def _csc_with(db, warning: dict[str, int]) -> tuple[int, int]:
    """Enrol, answer the first visit's CSC (every first option, ``warning`` for A-items) and
    submit; returns (patient id, administration id)."""
    v = enrol(db, "S-ALERT")
    nurse = staff(db, "nurse")
    aid = sv.start_administration(db, nurse, visit_id=v.visit_id,
                                  instrument_id=csc.INSTRUMENT_ID, language="en")

    def code_for(item_id, options):  # noqa: ANN001, ANN202
        return warning.get(item_id, 0 if 0 in options else options[0])
    answer_all(db, nurse, aid, code_for)
    sv.submit_administration(db, nurse, aid)
    return v.patient_id, aid


def test_warning_sign_answer_raises_a_stored_alert_on_submit(db):
    pid, aid = _csc_with(db, {"A3": csc.YES, "A5": csc.NOT_SURE})
    got = sv.list_alerts(db, unacknowledged=True)
    assert sorted((a.item_id, a.severity, a.reason, a.source) for a in got) == [
        ("A3", "red", rules.WARNING_SIGN_YES, "answer"),
        ("A5", "amber", rules.WARNING_SIGN_UNSURE, "answer")]
    a3 = next(a for a in got if a.item_id == "A3")
    assert a3.params == {"code": csc.YES}
    assert a3.administration_id == aid and a3.instrument_id == csc.INSTRUMENT_ID
    assert a3.subject_id == "S-ALERT" and a3.raised_at.tzinfo is not None
    actions = [h.action for h in sv.audit_history(db, patient_id=pid)]
    assert "alert.raise" in actions
    # the stored level (score row) says the same as the alerts
    assert sv.submit_administration(db, staff(db, "nurse"), aid)["alert"] == "red"
    assert len(sv.list_alerts(db)) == 2          # a replayed submit raises nothing new


def test_no_warning_sign_no_alert(sqlite_db):
    _csc_with(sqlite_db, {})
    assert sv.list_alerts(sqlite_db) == []


def test_acknowledge_is_audited_once_and_not_by_admin(db):
    pid, _ = _csc_with(db, {"A1": csc.YES})
    alert = sv.list_alerts(db, unacknowledged=True)[0]
    with pytest.raises(PermissionDenied):
        sv.acknowledge_alert(db, staff(db, "admin"), alert.id)
    sv.acknowledge_alert(db, staff(db, "nurse"), alert.id, "called the patient")
    assert sv.list_alerts(db, unacknowledged=True) == []
    done = sv.list_alerts(db, patient_id=pid)[0]
    assert done.acknowledged and done.acknowledged_by == "nurse"
    assert done.ack_note == "called the patient"
    rows = [h for h in sv.audit_history(db, patient_id=pid)
            if h.action == "alert.acknowledge"]
    assert {h.field for h in rows} >= {"acknowledged_at", "acknowledged_by", "ack_note"}
    with pytest.raises(ConflictError):
        sv.acknowledge_alert(db, staff(db, "investigator"), alert.id)


def test_staff_form_alert_for_issue_15(sqlite_db):
    v = enrol(sqlite_db, "S-FORM")
    aid = sv.raise_alert(sqlite_db, staff(sqlite_db, "investigator"), patient_id=v.patient_id,
                         visit_id=v.visit_id, source="clinical", severity="amber",
                         reason=rules.ANSWER_THRESHOLD, params={"op": ">=", "value": 3, "code": 4},
                         form="clinician", field="encephalopathy")
    got = sv.list_alerts(sqlite_db, visit_id=v.visit_id)
    assert [(a.id, a.form, a.field, a.source) for a in got] == [
        (aid, "clinician", "encephalopathy", "clinical")]
    with pytest.raises(Exception):
        sv.raise_alert(sqlite_db, staff(sqlite_db, "nurse"), patient_id=v.patient_id,
                       visit_id=None, source="clinical", severity="purple", reason="x",
                       params={}, form="f", field="g")


def test_correction_that_adds_a_warning_sign_raises_it(sqlite_db):
    pid, aid = _csc_with(sqlite_db, {"A2": csc.YES})
    sv.correct_answer(sqlite_db, staff(sqlite_db, "nurse"), aid, "A6", csc.YES,
                      reason="patient corrected the answer at review")
    assert sorted(a.item_id for a in sv.list_alerts(sqlite_db, patient_id=pid)) == ["A2", "A6"]
    sv.correct_answer(sqlite_db, staff(sqlite_db, "nurse"), aid, "A4", csc.NOT_SURE,
                      reason="second correction")
    assert sorted(a.item_id for a in sv.list_alerts(sqlite_db, patient_id=pid)) == [
        "A2", "A4", "A6"]                                  # raised once each
