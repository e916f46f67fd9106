"""FHIR Bundle content a receiving system needs: visits (Encounter) on every response and
observation, the study and arm, labs with LOINC + UCUM, liver scores, local codes declared in a
CodeSystem, texts in the language the patient saw. Demo database with an unscheduled visit and
an early termination; validated with the fhir.resources R4 (4.0.1) and R4B models."""
from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from bench.export_db import build_small
from fhir_r4 import R4Invalid, r4b_codes_outside, validate_r4
from forms.instrument import load_instrument
from reports.export.commands import run_export
from reports.export.fhir_codes import LAB_LOINC, LOCAL_SYSTEM, LOINC
from storage import services as sv
from storage.db import open_database
from storage.models import Administration, Patient, Visit

UCUM = "http://unitsofmeasure.org"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("fhirc")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    pids = {p.subject_id: p.id for p in sv.list_patients(db)}
    uns = sv.add_unscheduled_visit(db, small.nurse, pids["S-001"], reason="jaundice",
                                   visit_date=date(2026, 1, 20))
    sv.enter_clinical_assessment(db, small.nurse, uns, {
        "sample_date": date(2026, 1, 20),
        "labs": {"bilirubin": {"value": 3.1, "unit": "mg/dL"}, "albumin": {"value": 3.0},
                 "inr": {"value": 1.6}, "creatinine": {"value": 1.1},
                 "sodium": {"value": 133}, "platelets": {"value": 88, "unit": "10^9/L"},
                 "alt": {"value": 40, "unit": "U/L"}, "afp": {"value": 12, "unit": "ng/mL"}},
        "ascites": "slight", "encephalopathy": "none", "symptom_grades": {},
        "vital_status": "alive"})
    sv.add_early_termination_visit(db, small.nurse, pids["S-002"], reason="withdrew",
                                   visit_date=date(2026, 2, 1))
    run_export(db, small.investigator, "fhir", d / "bundle.json")
    data = json.loads((d / "bundle.json").read_text(encoding="utf-8"))
    yield db, data
    db.dispose()


def of(data, t):
    return [e for e in data["entry"] if e["resource"]["resourceType"] == t]


def test_bundle_with_the_new_resources_validates(env):
    _, data = env
    Bundle.model_validate(data)
    assert r4b_codes_outside(data) == []
    assert {"Encounter", "ResearchStudy", "ResearchSubject", "CodeSystem"} <= {
        e["resource"]["resourceType"] for e in data["entry"]}


def test_bundle_validates_with_the_r4_models_too(env, tmp_path):
    _, data = env
    (tmp_path / "b.json").write_text(json.dumps(data), encoding="utf-8")
    kinds = validate_r4(tmp_path / "b.json")
    assert {"Encounter", "ResearchStudy", "ResearchSubject", "CodeSystem", "Observation",
            "QuestionnaireResponse", "Questionnaire", "Patient"} == set(kinds)


def test_the_r4_check_is_r4_not_r4b(env, tmp_path):
    """A resource type that exists in R4B only passes R4B and fails the R4 check; an Encounter
    whose class is a list (R5's shape) fails both: the check really validates against R4."""
    _, data = env
    r4b_only = copy.deepcopy(data)
    r4b_only["entry"].append({"fullUrl": "urn:uuid:00000000-0000-5000-8000-000000000000",
                              "resource": {"resourceType": "SubscriptionStatus",
                                           "status": "active", "type": "heartbeat",
                                           "subscription": {"reference": "Subscription/1"}}})
    Bundle.model_validate(r4b_only)
    (tmp_path / "r4b.json").write_text(json.dumps(r4b_only), encoding="utf-8")
    with pytest.raises(R4Invalid, match="SubscriptionStatus"):
        validate_r4(tmp_path / "r4b.json")
    r5_shape = copy.deepcopy(data)
    enc = next(e["resource"] for e in r5_shape["entry"]
               if e["resource"]["resourceType"] == "Encounter")
    enc["class"] = [enc["class"]]
    (tmp_path / "r5.json").write_text(json.dumps(r5_shape), encoding="utf-8")
    with pytest.raises(R4Invalid, match="class"):
        validate_r4(tmp_path / "r5.json")


def test_the_r4_check_holds_status_codes_to_the_r4_value_sets(env, tmp_path):
    """R5's ResearchSubject.status is a publication status ("active"); R4's and R4B's is the
    subject's progress ("on-study"). The pydantic models accept any code; the checks do not."""
    _, data = env
    r5_code = copy.deepcopy(data)
    subj = next(e["resource"] for e in r5_code["entry"]
                if e["resource"]["resourceType"] == "ResearchSubject")
    subj["status"] = "active"
    assert r4b_codes_outside(r5_code) == ["ResearchSubject.status = 'active'"]
    (tmp_path / "s.json").write_text(json.dumps(r5_code), encoding="utf-8")
    with pytest.raises(R4Invalid, match="ResearchSubject.status = 'active'"):
        validate_r4(tmp_path / "s.json")


def test_every_loinc_code_is_a_verified_lab_code_with_its_name(env):
    _, data = env
    verified = {lc.code: lc.display for lc in LAB_LOINC.values()}
    seen = set()
    for e in data["entry"]:
        r = e["resource"]
        for c in r.get("code", {}).get("coding", []) if r["resourceType"] == "Observation" else []:
            if c["system"] == LOINC:
                assert c["display"] == verified[c["code"]], c
                assert r["category"][0]["coding"][0]["code"] == "laboratory"
                seen.add(c["code"])
    assert seen == {"1975-2", "1751-7", "6301-6", "2160-0", "2951-2", "1834-1", "1742-6",
                    "777-3"}   # every lab the fixture entered (no AST)


def test_pro_and_liver_scores_keep_local_codes(env):
    """No LOINC code is verified for RAND-36 / SF-36 v1 or Child-Pugh/MELD; LOINC's VR-36 codes
    (another instrument) must never stand in for them."""
    _, data = env
    (cs,) = [e for e in of(data, "CodeSystem") if e["resource"]["url"] == LOCAL_SYSTEM]
    assert "VR-36" in cs["resource"]["description"]
    vr36 = {"72007-8", "72008-6", "71998-9", "71983-1"}
    for e in of(data, "Observation"):
        r = e["resource"]
        systems = {c["system"] for c in r["code"]["coding"]}
        codes = {c["code"] for c in r["code"]["coding"]}
        assert not codes & vr36
        if r.get("category", [{}])[0].get("coding", [{}])[0].get("code") != "laboratory":
            assert systems == {LOCAL_SYSTEM}, r["code"]


def test_every_response_and_observation_names_its_visit(env):
    db, data = env
    enc = {e["fullUrl"]: e["resource"] for e in of(data, "Encounter")}
    with db.session() as s:
        visit_of = dict(s.execute(select(Administration.id, Visit.code)
                                  .join(Visit, Visit.id == Administration.visit_id)).all())
        codes = set(s.scalars(select(Visit.code)))
    assert {e["identifier"][0]["value"] for e in enc.values()} == codes  # UNS1 and ET too
    for e in of(data, "QuestionnaireResponse"):
        r = e["resource"]
        visit = enc[r["encounter"]["reference"]]
        assert visit["identifier"][0]["value"] == visit_of[int(r["identifier"]["value"])]
        assert visit["subject"] == r["subject"]
    for e in of(data, "Observation"):
        r = e["resource"]
        assert enc[r["encounter"]["reference"]]["subject"] == r["subject"]


def test_study_and_subjects_carry_the_arm(env):
    db, data = env
    (study,) = of(data, "ResearchStudy")
    arms = {a["name"] for a in study["resource"]["arm"]}
    assert arms == {"low", "medium", "high"}
    with db.session() as s:
        arm_of = dict(s.execute(select(Patient.subject_id, Patient.arm)).all())
    pats = {e["fullUrl"]: e["resource"]["identifier"][0]["value"] for e in of(data, "Patient")}
    subs = [e["resource"] for e in of(data, "ResearchSubject")]
    assert len(subs) == len(pats) == 3
    for r in subs:
        assert r["study"]["reference"] == study["fullUrl"]
        assert r["assignedArm"] == arm_of[pats[r["individual"]["reference"]]] and \
            r["assignedArm"] in arms


def test_labs_have_loinc_codes_and_ucum_units(env):
    _, data = env
    labs = {}
    for e in of(data, "Observation"):
        r = e["resource"]
        c = r["code"]["coding"][0]
        if c["system"] == "http://loinc.org":
            labs.setdefault(c["code"], []).append(r["valueQuantity"])
    assert labs["1975-2"] == [{"value": 2, "unit": "mg/dL", "system": UCUM, "code": "mg/dL"},
                              {"value": 3.1, "unit": "mg/dL", "system": UCUM, "code": "mg/dL"}]
    assert labs["1751-7"][0]["value"] == 3.2 and labs["1751-7"][0]["code"] == "g/dL"  # 32 g/L
    assert {q["code"] for q in labs["6301-6"]} == {"{INR}"}
    assert labs["2160-0"][0]["code"] == "mg/dL" and labs["2951-2"][0]["code"] == "mmol/L"
    assert labs["777-3"] == [{"value": 88, "unit": "10^9/L", "system": UCUM, "code": "10*9/L"}]
    assert labs["1742-6"][0]["code"] == "U/L" and labs["1834-1"][0]["code"] == "ng/mL"


def test_numbers_have_units_and_local_codes_are_declared(env):
    _, data = env
    (cs,) = [e for e in of(data, "CodeSystem") if e["resource"]["url"] == LOCAL_SYSTEM]
    declared = {c["code"] for c in cs["resource"]["concept"]}
    used = set()
    for e in of(data, "Observation"):
        r = e["resource"]
        if "valueQuantity" in r:
            assert r["valueQuantity"]["system"] == UCUM and r["valueQuantity"]["code"]
        for c in r["code"]["coding"]:
            assert c["system"] in (LOCAL_SYSTEM, "http://loinc.org"), c
            if c["system"] == LOCAL_SYSTEM:
                used.add(c["code"])
    assert used <= declared
    assert {"child_pugh", "child_pugh_class", "meld", "meld_na"} <= used   # liver scores
    assert {"rand_pf", "csc_tsb"} <= used


def test_texts_are_in_the_language_the_patient_saw(env):
    _, data = env
    csc = load_instrument("csc")
    zh = [e["resource"] for e in of(data, "QuestionnaireResponse")
          if e["resource"]["language"] == "zh-CN"]
    assert zh
    for r in zh:
        for it in r["item"]:
            for leaf in it.get("item", [it]):
                item = csc.item(leaf["linkId"])
                assert leaf["text"] == item.text["zh_CN"]
                for a in leaf.get("answer", []):
                    c = a["valueCoding"]
                    assert c["display"] == csc.options_for(item).label(int(c["code"]), "zh_CN")
