"""The visit summary as of its visit (issue 15 item 3): a reprint of W12 after W24 data exist
shows no W24 point and the same numbers; staff-data alerts lead its alert box."""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta, timezone

from forms import csc
from pdf_text import pages_text
from reports.summary_loader import load_visit_summary
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage.clock import use_clock
from storage_fixtures import (PASSWORDS, answer_all, at_kiosk, enrol, sqlite_db,  # noqa: F401
                              sqlite_template, staff)

LABS = {"bilirubin": {"value": "2.0", "unit": "mg/dL"}, "albumin": {"value": "31", "unit": "g/L"},
        "inr": {"value": "1.4", "unit": ""}, "creatinine": {"value": "1.0", "unit": "mg/dL"},
        "sodium": {"value": "136", "unit": ""}}


def _visit_data(db, v, code: str, pick: int) -> None:  # noqa: ANN001
    visit = {x.code: x for x in v.visits}[code]
    at = datetime.combine(visit.planned_date, time(9, 0), timezone.utc)
    with use_clock(lambda: at):
        _enter(db, v, visit.id, pick, visit.planned_date)


def _enter(db, v, vid: int, pick: int, day: date) -> None:  # noqa: ANN001
    nurse = staff(db, "nurse")
    adm = sv.start_administration(db, nurse, visit_id=vid, instrument_id=csc.INSTRUMENT_ID,
                                  language="en")
    pat = at_kiosk(db, vid)
    answer_all(db, pat, adm, code_for=lambda item, codes: codes[min(pick, len(codes) - 1)]
               if not item.startswith("A") else (0 if 0 in codes else codes[-1]))
    sv.submit_administration(db, pat, adm)
    sv.enter_clinical_assessment(db, nurse, vid, {"sample_date": day, "labs": LABS,
                                                  "ascites": "slight",
                                                  "encephalopathy": "none"})


def _numbers(s):  # noqa: ANN001, ANN202
    return (s.trends, s.csc, s.sf36, s.scores, s.clinician, s.alerts)


def test_reprint_of_w12_after_w24_data_shows_no_w24_point_and_same_numbers(
        sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-ASOF", day1=date.today() - timedelta(days=200))
    for code, pick in (("BL", 0), ("W12", 1)):
        _visit_data(sqlite_db, v, code, pick)
    first = load_visit_summary(sqlite_db, "T-ASOF", "W12")
    _visit_data(sqlite_db, v, "W24", 2)
    again = load_visit_summary(sqlite_db, "T-ASOF", "W12")
    assert "W24" in again.trends.visit_codes          # the fixed schedule axis
    assert all(p.visit_code != "W24" for s in again.trends.series for p in s.points)
    assert _numbers(again) == _numbers(first)
    w24 = load_visit_summary(sqlite_db, "T-ASOF", "W24")
    assert any(p.visit_code == "W24" for s in w24.trends.series for p in s.points)


def test_staff_data_alerts_lead_the_summary_alert_box(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-DEAD", day1=date.today() - timedelta(days=100))
    vid = {x.code: x.id for x in v.visits}["W12"]
    sv.record_outcome(sqlite_db, staff(sqlite_db, "nurse"), v.patient_id, "vital_status",
                      {"contact_date": date.today(), "status": "dead",
                       "death_date": date.today(), "death_cause": "liver failure"},
                      visit_id=vid)
    s = load_visit_summary(sqlite_db, "T-DEAD", "W12")
    assert [(a.level, a.kind) for a in s.alerts] == [("red", "death")]
    assert s.outcomes == (("Vital status", "Contact date: {0} \u00b7 Status: dead \u00b7 "
                           "Date of death: {0} \u00b7 Cause of death: liver failure"
                           .format(date.today().isoformat())),)
    buf = io.BytesIO()
    build_visit_summary(s, buf)
    text = " ".join(" ".join(pages_text(buf.getvalue())).split())
    assert "Death reported" in text and "Cause of death: liver failure" in text
    assert load_visit_summary(sqlite_db, "T-DEAD", "W4").alerts == ()


def test_signed_visit_leaves_out_data_entered_after_its_signature(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-SIGN", day1=date.today() - timedelta(days=200))
    _visit_data(sqlite_db, v, "W12", 1)
    w12 = {x.code: x.id for x in v.visits}["W12"]
    sv.sign_visit(sqlite_db, staff(sqlite_db, "investigator"), w12,
                  password=PASSWORDS["investigator"], meaning="reviewed and approved",
                  username="investigator")
    signed = load_visit_summary(sqlite_db, "T-SIGN", "W12")
    bl = {x.code: x for x in v.visits}["BL"]           # baseline labs entered late, after it
    sv.enter_clinical_assessment(sqlite_db, staff(sqlite_db, "nurse"), bl.id,
                                 {"sample_date": bl.planned_date, "labs": LABS,
                                  "ascites": "slight", "encephalopathy": "none"})
    again = load_visit_summary(sqlite_db, "T-SIGN", "W12")
    assert again.signature is not None
    assert all(p.visit_code != "BL" for s in again.trends.series for p in s.points)
    assert _numbers(again) == _numbers(signed)
    assert again.data_as_of == again.signature.signed_at
    buf = io.BytesIO()
    build_visit_summary(again, buf)
    assert "Data as of the signature" in " ".join(pages_text(buf.getvalue()))
