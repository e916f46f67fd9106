"""Typed outcome records on the real storage (issue 15 items 1-2): saved canonical, refused with
clear messages (en, zh_CN), corrected with an audited reason, alerts raised by storage."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forms.errors import UserError
from storage import services as sv
from storage.models import AuditEvent
from storage_fixtures import (PASSWORDS, db, enrol, pg_server_url, pg_template,  # noqa: F401
                              sqlite_db, sqlite_template, staff, storage_day)

TODAY = date.today()


@pytest.fixture(autouse=True)
def _today_stays_today():
    with storage_day(TODAY):              # TODAY is taken at import (tests/storage_fixtures.py)
        yield
AE = {"term": "Fever", "onset": (TODAY - timedelta(days=3)).isoformat(), "grade": "2",
      "serious": "no", "relatedness": "possible", "action": "none", "outcome": "recovered",
      "end": (TODAY - timedelta(days=1)).isoformat()}


def test_imaging_saved_typed_and_listed(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-IMG")
    rid = sv.record_outcome(sqlite_db, staff(sqlite_db, "nurse"), v.patient_id, "imaging",
                            {"date": TODAY, "modality": "ultrasound", "liver_size_cm": "12,5",
                             "portal_vein_mm": 13, "spleen_thickness_mm": "", "ascites": "slight"},
                            visit_id=v.visit_id)
    [rec] = sv.list_outcomes(sqlite_db, None, patient_id=v.patient_id, kind="imaging")
    assert rec.id == rid and rec.subject_id == "T-IMG" and rec.visit_code == v.visits[0].code
    assert rec.fields == {"date": TODAY.isoformat(), "modality": "ultrasound",
                          "liver_size_cm": 12.5, "portal_vein_mm": 13, "ascites": "slight"}
    assert rec.entered_by == "nurse" and rec.version == 1
    assert sv.list_alerts(sqlite_db, patient_id=v.patient_id) == []


@pytest.mark.parametrize("kind,fields,message", [
    ("imaging", {"date": TODAY, "modality": "ultrasound", "liver_size_cm": 80},
     "Liver size (cm): 80 is outside the plausible range 5\u201335."),
    ("adverse_event", {**AE, "end": (TODAY - timedelta(days=5)).isoformat()},
     "End date: {} is before Onset date.".format((TODAY - timedelta(days=5)).isoformat())),
    ("vital_status", {"contact_date": TODAY, "status": "dead",
                      "death_date": TODAY + timedelta(days=1), "death_cause": "x"},
     "Date of death: {} is in the future.".format((TODAY + timedelta(days=1)).isoformat())),
    ("vital_status", {"contact_date": TODAY, "status": "dead",
                      "death_date": TODAY - timedelta(days=400), "death_cause": "x"},
     "before the patient's consent"),
    ("adverse_event", {**AE, "serious": "yes"}, "Seriousness criteria: required."),
])
def test_implausible_values_are_refused_with_a_clear_message(sqlite_db, kind, fields,  # noqa: F811
                                                             message) -> None:
    v = enrol(sqlite_db, "T-BAD")
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        sv.record_outcome(sqlite_db, staff(sqlite_db, "nurse"), v.patient_id, kind, fields)
    assert sv.list_outcomes(sqlite_db, None, patient_id=v.patient_id) == []


def test_messages_in_chinese(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-ZH")
    with pytest.raises(UserError, match="结束日期：.* 早于发生日期"):
        sv.record_outcome(sqlite_db, staff(sqlite_db, "nurse"), v.patient_id, "adverse_event",
                          {**AE, "end": (TODAY - timedelta(days=5)).isoformat()}, lang="zh_CN")


def test_death_sae_grade3_hcc_raise_alerts_and_correction_is_audited(db) -> None:  # noqa: F811
    v = enrol(db, "T-ALR")
    nurse = staff(db, "nurse")
    ae = sv.record_outcome(db, nurse, v.patient_id, "adverse_event", AE)
    assert sv.list_alerts(db, patient_id=v.patient_id) == []
    sv.correct_outcome(db, nurse, ae, {**AE, "grade": 3, "serious": "yes",
                                       "serious_criteria": ["hospitalisation"]}, "grade misread")
    sv.record_outcome(db, nurse, v.patient_id, "vital_status",
                      {"contact_date": TODAY, "status": "dead", "death_date": TODAY,
                       "death_cause": "variceal bleeding"})
    sv.record_outcome(db, nurse, v.patient_id, "hcc",
                      {"date_found": TODAY, "size_mm": 18, "hcc_diagnosis": "yes",
                       "diagnosis_date": TODAY, "basis": ["imaging", "afp"]})
    alerts = sv.list_alerts(db, patient_id=v.patient_id)
    assert sorted(a.reason for a in alerts) == ["ae_grade_3plus", "death", "new_hcc",
                                                "serious_ae"]
    assert all(a.source == "outcome" and a.severity == "red" for a in alerts)
    assert {a.reason: a.params.get("record") for a in alerts}["serious_ae"] == ae
    # the same values again change nothing and raise nothing new
    sv.correct_outcome(db, nurse, ae, {**AE, "grade": 3, "serious": "yes",
                                       "serious_criteria": ["hospitalisation"]}, "again")
    assert len(sv.list_alerts(db, patient_id=v.patient_id)) == 4
    [rec] = sv.list_outcomes(db, None, patient_id=v.patient_id, kind="adverse_event")
    assert rec.version == 2 and rec.fields["grade"] == 3
    with db.session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.entity == "outcome_record",
                                                AuditEvent.action == "outcome.correct")).all()
    assert len(ev) == 1 and ev[0].reason == "grade misread"
    with pytest.raises(UserError, match="reason"):
        sv.correct_outcome(db, nurse, ae, AE, "")


def test_infusion_arm_dose_comes_from_the_patient_arm(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-INF")
    sv.record_outcome(sqlite_db, staff(sqlite_db, "nurse"), v.patient_id, "infusion",
                      {"date": TODAY, "arm": "high", "cell_count_e6": 50, "lot": "L-1",
                       "start_time": "09:00", "stop_time": "09:40"})
    [rec] = sv.list_outcomes(sqlite_db, None, patient_id=v.patient_id, kind="infusion")
    assert rec.fields["arm"] == sv.get_patient(sqlite_db, v.patient_id).arm


def _labs(bili: str, alb: str) -> dict:
    return {"bilirubin": {"value": bili, "unit": "mg/dL"}, "albumin": {"value": alb, "unit": "g/L"},
            "inr": {"value": "1.2", "unit": ""}, "creatinine": {"value": "1.0", "unit": "mg/dL"},
            "sodium": {"value": "138", "unit": ""}}


def test_child_pugh_rise_of_two_from_baseline_raises_one_alert(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-CP")
    nurse = staff(sqlite_db, "nurse")
    by_code = {x.code: x.id for x in v.visits}
    common = {"sample_date": TODAY, "ascites": "none", "encephalopathy": "none"}
    sv.enter_clinical_assessment(sqlite_db, nurse, by_code["BL"],
                                 {**common, "labs": _labs("1.0", "38")})        # CP 5
    sv.enter_clinical_assessment(sqlite_db, nurse, by_code["W1"],
                                 {**common, "labs": _labs("2.5", "38")})        # CP 6: +1
    assert sv.list_alerts(sqlite_db, patient_id=v.patient_id) == []
    sv.enter_clinical_assessment(sqlite_db, nurse, by_code["W4"],
                                 {**common, "labs": _labs("2.5", "30")})        # CP 7: +2
    sv.enter_clinical_assessment(sqlite_db, nurse, by_code["W4"],
                                 {**common, "labs": _labs("2.6", "30"), "reason": "typo"})
    [alert] = sv.list_alerts(sqlite_db, patient_id=v.patient_id)
    assert (alert.reason, alert.source, alert.visit_code) == ("child_pugh_rise", "clinical", "W4")
    assert dict(alert.params) == {"baseline": 5, "now": 7}


def test_a_record_added_to_a_signed_visit_needs_a_new_signature(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-SIG")
    sv.record_outcome(sqlite_db, staff(sqlite_db, "nurse"), v.patient_id, "imaging",
                      {"date": TODAY, "modality": "mri"}, visit_id=v.visit_id)
    sv.sign_visit(sqlite_db, staff(sqlite_db, "investigator"), v.visit_id,
                  password=PASSWORDS["investigator"], meaning="reviewed and approved",
                  username="investigator")
    sv.record_outcome(sqlite_db, staff(sqlite_db, "nurse"), v.patient_id, "adverse_event", AE,
                      visit_id=v.visit_id)
    [sig] = sv.visit_signatures(sqlite_db, v.visit_id)
    assert sig.status == "invalidated"
    assert {x.id: x.status for x in sv.patient_visits(sqlite_db, v.patient_id)}[
        v.visit_id] == "resign_required"
