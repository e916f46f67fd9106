"""forms.outcomes, the one check of the typed outcome forms (no storage): canonical values,
every problem kind exactly, ranges on both sides, 'required when' / 'only when', date order,
the AE grade-5 rule, the alert findings and the Child-Pugh rise at exactly 2 points."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from forms import outcomes as oc
from forms.alerts import AlertFinding
from forms.outcomes import OutcomeProblem as P
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol

TODAY = date(2026, 6, 10)
CONSENT = date(2026, 1, 5)
AE = {"term": "Fever", "onset": "2026-06-01", "grade": "2", "serious": "no",
      "relatedness": "possible", "action": "none", "outcome": "recovered"}


def check(kind: str, raw: dict) -> tuple[dict, tuple]:
    return oc.check_outcome(kind, raw, consent_date=CONSENT, today=TODAY)


def test_canonical_values():
    out, problems = check("imaging", {"date": date(2026, 6, 10), "modality": "ct",
                                      "liver_size_cm": " 12,5 ", "portal_vein_mm": 3,
                                      "spleen_thickness_mm": "150.0", "ascites": ""})
    assert problems == ()
    assert out == {"date": "2026-06-10", "modality": "ct", "liver_size_cm": 12.5,
                   "portal_vein_mm": 3, "spleen_thickness_mm": 150}
    assert type(out["spleen_thickness_mm"]) is int and type(out["liver_size_cm"]) is float
    out, problems = check("infusion", {"date": "2026-01-05", "cell_count_e6": "100000",
                                       "lot": "  L  7 ", "start_time": time(9, 5),
                                       "stop_time": " 10:30 ", "reactions": ["x"][0]})
    assert problems == () and out == {"date": "2026-01-05", "cell_count_e6": 100000,
                                      "lot": "L 7", "start_time": "09:05",
                                      "stop_time": "10:30", "reactions": "x"}


@pytest.mark.parametrize("field, value, problem", [
    ("liver_size_cm", "4.99", P("liver_size_cm", "out_of_range", "4.99", "5\u201335")),
    ("liver_size_cm", "35.01", P("liver_size_cm", "out_of_range", "35.01", "5\u201335")),
    ("liver_size_cm", "abc", P("liver_size_cm", "not_a_number", "abc")),
    ("liver_size_cm", "Infinity", P("liver_size_cm", "not_a_number", "Infinity")),
    ("liver_size_cm", True, P("liver_size_cm", "not_a_number", "True")),
    ("modality", "xray", P("modality", "invalid", "xray")),
    ("date", "10/06/2026", P("date", "invalid_date", "10/06/2026")),
    ("date", "2026-06-11", P("date", "future", "2026-06-11")),
    ("date", "2026-01-04", P("date", "before_consent", "2026-01-04", "2026-01-05"))])
def test_imaging_problems_exactly(field, value, problem):
    raw = {"date": "2026-06-10", "modality": "mri", field: value}
    out, problems = check("imaging", raw)
    assert problems == (problem,) and field not in out


def test_range_ends_are_allowed():
    for v in ("5", "35"):
        assert check("imaging", {"date": "2026-06-10", "modality": "mri",
                                 "liver_size_cm": v})[1] == ()
    assert check("imaging", {"date": "2026-01-05", "modality": "mri"})[1] == ()
    assert oc.check_outcome("imaging", {"date": "2099-01-01", "modality": "mri"})[1] == ()


def test_integer_field_and_grade_range():
    for grade, problem in (("2.5", P("grade", "not_a_number", "2.5")),
                           ("0", P("grade", "out_of_range", "0", "1\u20135")),
                           ("6", P("grade", "out_of_range", "6", "1\u20135"))):
        assert check("adverse_event", {**AE, "grade": grade})[1] == (problem,)
    out, problems = check("adverse_event", {**AE, "grade": "3.0"})
    assert problems == () and out["grade"] == 3 and type(out["grade"]) is int


def test_time_and_text_problems():
    raw = {"date": "2026-06-01", "cell_count_e6": 5, "lot": "L" * 65, "start_time": "25:00",
           "extra": 1}
    assert check("infusion", raw)[1] == (
        P("extra", "unknown"), P("lot", "out_of_range", "L" * 20 + "…", "\u2264 64"),
        P("start_time", "invalid_time", "25:00"))
    assert check("infusion", {**raw, "lot": "L" * 64, "start_time": "9:00"})[1] == (
        P("extra", "unknown"), P("start_time", "invalid_time", "9:00"))


def test_choices_canonical_order_and_invalid():
    raw = {"date_found": "2026-06-01", "hcc_diagnosis": "yes", "diagnosis_date": "2026-06-01"}
    out, problems = check("hcc", {**raw, "basis": ["pathology", "imaging", "pathology"]})
    assert problems == () and out["basis"] == ["imaging", "pathology"]
    assert check("hcc", {**raw, "basis": "afp"})[0]["basis"] == ["afp"]
    assert check("hcc", {**raw, "basis": ["afp", "biopsy", "x"]})[1] == (
        P("basis", "invalid", "biopsy"),)
    assert check("hcc", {**raw, "basis": []})[0].get("basis") is None


def test_required_when_and_only_when():
    assert check("vital_status", {"contact_date": "2026-06-01", "status": "dead"})[1] == (
        P("death_date", "required"), P("death_cause", "required"))
    assert check("vital_status", {"contact_date": "2026-06-01", "status": "alive",
                                  "death_date": "2026-05-01"})[1] == (
        P("death_date", "not_allowed", "2026-05-01"), P("last_known_alive", "required"))
    ok = {"contact_date": "2026-06-01", "status": "unknown", "last_known_alive": "2026-06-01"}
    assert check("vital_status", ok)[1] == ()
    assert check("vital_status", {**ok, "status": "dead", "death_date": "2026-06-01",
                                  "death_cause": "x"})[1] == ()
    assert check("vital_status", {**ok, "status": "dead", "death_date": "2026-05-30",
                                  "death_cause": "x"})[1] == (
        P("death_date", "before", "2026-05-30", "last_known_alive"),)
    assert check("early_termination", {"date": "2026-06-01", "reason": "death",
                                       "reason_text": "t"})[1] == ()
    assert check("early_termination", {"date": "2026-06-01", "reason": "other"})[1] == (
        P("reason_text", "required"),)
    assert check("adverse_event", {**AE, "serious": "yes"})[1] == (
        P("serious_criteria", "required"),)


def test_a_bad_field_is_not_also_reported_required():
    assert check("vital_status", {"contact_date": "2026-06-01", "status": "dead",
                                  "death_date": "x", "death_cause": "c"})[1] == (
        P("death_date", "invalid_date", "x"),)
    assert check("vital_status", {"contact_date": "2026-06-01", "status": "dean"})[1] == (
        P("status", "invalid", "dean"),)
    assert check("imaging", {})[1] == (P("date", "required"), P("modality", "required"))


def test_order_rules():
    assert check("adverse_event", {**AE, "end": "2026-05-31"})[1] == (
        P("end", "before", "2026-05-31", "onset"),)
    assert check("adverse_event", {**AE, "end": "2026-06-01"})[1] == ()
    assert check("infusion", {"date": "2026-06-01", "cell_count_e6": 5, "lot": "L",
                              "start_time": "10:00", "stop_time": "09:59"})[1] == (
        P("stop_time", "before", "09:59", "start_time"),)


def test_grade_5_goes_with_a_fatal_outcome():
    assert check("adverse_event", {**AE, "grade": 5})[1] == (P("outcome", "invalid",
                                                               "recovered"),)
    assert check("adverse_event", {**AE, "outcome": "fatal"})[1] == (P("outcome", "invalid",
                                                                       "fatal"),)
    assert check("adverse_event", {**AE, "grade": 5, "outcome": "fatal"})[1] == ()
    assert check("adverse_event", {**AE, "grade": "x", "outcome": "fatal"})[1] == (
        P("grade", "not_a_number", "x"),)


def test_problem_messages():
    m = oc.problem_message
    assert m("adverse_event", P("end", "before", "2026-05-31", "onset"), "en") == \
        "End date: 2026-05-31 is before Onset date."
    assert m("imaging", P("modality", "invalid", "xray"), "en") == \
        "Modality: xray is not one of the choices."
    assert m("imaging", P("ascites", "not_allowed", "slight"), "fr") == \
        "Ascites on imaging: leave empty for this answer."
    assert m("imaging", P("zz", "unknown"), "zh_CN") == "zz：不是本表的字段。"
    assert m("adverse_event", P("serious", "required"), "zh_CN").endswith("：必填。")
    assert m("adverse_event", P("outcome", "invalid", "fatal"), "zh_CN") == "转归：死亡 不是可选项。"
    assert m("adverse_event", P("outcome", "invalid", "dead"), "zh_CN") == "转归：dead 不是可选项。"
    assert m("adverse_event", P("end", "before", "2026-05-31", "onset"), "zh_CN") == \
        "结束日期：2026-05-31 早于发生日期。"
    assert m("adverse_event", P("end", "before", "2026-05-31", "x"), "en") == \
        "End date: 2026-05-31 is before x."


def test_findings():
    ae = {**AE, "grade": 3, "serious": "yes", "serious_criteria": ["death", "disability"]}
    assert oc.outcome_findings("adverse_event", ae) == (
        AlertFinding("red", "serious_ae", "serious", {"term": "Fever", "onset": "2026-06-01",
                                                      "criteria": "death, disability"}),
        AlertFinding("red", "ae_grade_3plus", "grade", {"term": "Fever", "grade": 3,
                                                        "onset": "2026-06-01"}))
    assert oc.outcome_findings("adverse_event", {**AE, "grade": 2}) == ()
    assert oc.outcome_findings("adverse_event", ae, before={**ae, "grade": 2}) == (
        AlertFinding("red", "ae_grade_3plus", "grade", {"term": "Fever", "grade": 3,
                                                        "onset": "2026-06-01"}),)
    assert oc.outcome_findings("adverse_event", ae, before=ae) == ()
    assert oc.outcome_findings("vital_status", {"status": "dead", "death_date": "2026-06-01"}) \
        == (AlertFinding("red", "death", "death_date", {"date": "2026-06-01"}),)
    assert oc.outcome_findings("vital_status", {"status": "alive"}) == ()
    assert oc.outcome_findings("hcc", {"hcc_diagnosis": "yes", "diagnosis_date": "2026-06-02",
                                       "basis": ["imaging", "afp"]}) == (
        AlertFinding("red", "new_hcc", "hcc_diagnosis", {"date": "2026-06-02",
                                                         "basis": "imaging, afp"}),)
    assert oc.outcome_findings("hcc", {"hcc_diagnosis": "no"}) == ()
    assert oc.outcome_findings("imaging", {"status": "dead", "serious": "yes"}) == ()


def test_child_pugh_rise_at_exactly_two_points():
    assert oc.CHILD_PUGH_RISE_POINTS == 2
    assert oc.child_pugh_rise_finding(7, 8) is None
    assert oc.child_pugh_rise_finding(7, 9) == AlertFinding(
        "amber", "child_pugh_rise", "child_pugh", {"baseline": 7, "now": 9})
    assert oc.child_pugh_rise_finding(None, 9) is None
    assert oc.child_pugh_rise_finding(7, None) is None


def test_describe_kind_and_event_date():
    label, text = oc.describe_outcome("hcc", {"date_found": "2026-06-01", "hcc_diagnosis": "yes",
                                              "basis": ["imaging", "afp"], "size_mm": None},
                                      "en")
    assert label == "Focal lesion / HCC"
    assert text == ("Date lesion found: 2026-06-01 \u00b7 HCC diagnosis: yes \u00b7 Basis of "
                    "diagnosis: imaging, AFP")
    assert oc.describe_outcome("hcc", {"size_mm": 12, "basis": []}, "zh_CN") == (
        "肝内占位 / 肝细胞癌", "病灶大小 (mm): 12")
    assert oc.kind_of_fields({"onset", "grade"}) == "adverse_event"
    assert oc.kind_of_fields(set()) is None and oc.kind_of_fields({"onset", "x"}) is None
    assert oc.event_date("adverse_event", {"onset": "2026-06-01"}) == date(2026, 6, 1)
    assert oc.event_date("adverse_event", {}) is None


def test_forms_of_a_visit():
    assert oc.forms_for_visit(("labs", "imaging", "hcc", "imaging"), "follow_up") == (
        "imaging", "hcc")
    assert oc.forms_for_visit(("vital_status",), "early_termination") == (
        "vital_status", "early_termination")
    p = load_protocol(DEFAULT_PROTOCOL_PATH)
    assert oc.visit_outcome_kinds(p, "D1") == ("infusion", "adverse_event")
    assert oc.visit_outcome_kinds(p, "UNS4") == oc.visit_outcome_kinds(p, "UNS")
    assert "imaging" in oc.visit_outcome_kinds(p, "UNS4")
    assert oc.visit_outcome_kinds(p, "W99") == ()


def test_an_empty_field_first_stops_nothing():
    assert check("imaging", {"date": "", "modality": "ct", "ascites": "none"}) == (
        {"modality": "ct", "ascites": "none"}, (P("date", "required"),))


def test_a_condition_on_a_multiple_choice_field():
    assert oc._holds(("basis", ("afp",)), {"basis": ["imaging", "afp"]}) is True
    assert oc._holds(("basis", ("afp",)), {"basis": ["imaging", "pathology"]}) is False
    assert oc._holds(("basis", ("afp",)), {"basis": []}) is False
    assert oc._holds(("status", ("dead",)), {"status": "dead"}) is True


def test_describe_labels_per_language_and_leaves_out_empty_values():
    fields = {"date_found": "2026-06-01", "hcc_diagnosis": "yes", "size_mm": 12, "basis": []}
    assert oc.describe_outcome("hcc", fields, "zh_CN") == (
        "肝内占位 / 肝细胞癌", "发现日期: 2026-06-01 \u00b7 病灶大小 (mm): 12 \u00b7 诊断肝细胞癌: 是")
    label, text = oc.describe_outcome("adverse_event", {"term": "", "grade": 2}, "fr")
    assert (label, text) == (oc.FORMS["adverse_event"].label["en"], "CTCAE grade (1\u20135): 2")


def test_kind_of_all_of_a_forms_fields():
    assert oc.kind_of_fields([f.key for f in oc.FORMS["imaging"].fields]) == "imaging"


def test_kinds_of_each_visit_by_its_own_definition():
    p = load_protocol(DEFAULT_PROTOCOL_PATH)
    assert "hcc" in oc.visit_outcome_kinds(p, "W12") and "hcc" not in oc.visit_outcome_kinds(p,
                                                                                             "W1")
    assert oc.visit_outcome_kinds(p, "ET")[-1] == "early_termination"
    assert "early_termination" not in oc.visit_outcome_kinds(p, "W52")
    no_uns = replace(p, visits=tuple(v for v in p.visits if v.kind != "unscheduled"))
    assert oc.visit_outcome_kinds(no_uns, "UNS4") == ()


def test_findings_of_a_record_with_only_the_deciding_field():
    assert oc.outcome_findings("vital_status", {"status": "dead"}) == (
        AlertFinding("red", "death", "death_date", {"date": ""}),)
    assert oc.outcome_findings("adverse_event", {"serious": "yes", "grade": 3}) == (
        AlertFinding("red", "serious_ae", "serious", {"term": "", "onset": "", "criteria": ""}),
        AlertFinding("red", "ae_grade_3plus", "grade", {"term": "", "grade": 3, "onset": ""}))
    assert oc.outcome_findings("hcc", {"hcc_diagnosis": "yes"}) == (
        AlertFinding("red", "new_hcc", "hcc_diagnosis", {"date": "", "basis": ""}),)


def test_a_bad_field_does_not_hide_a_later_missing_one():
    assert check("imaging", {"date": "x"}) == ({}, (P("date", "invalid_date", "x"),
                                                    P("modality", "required")))
