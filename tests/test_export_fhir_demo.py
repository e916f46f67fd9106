"""Issue 17's FHIR receiving rules, checked on the export of the DEMO database as a data manager
loads it (5 subjects, seed 1, generated with full names: an unscheduled visit, an early
termination, a death, adverse events, questionnaires answered in English and in Chinese):
valid R4 (fhir.resources 6.4 models) and R4B, every reference resolved inside the Bundle, an
Encounter per visit on every response and observation, study/subject with arm and disposition,
labs with LOINC + UCUM equal to the stored values, liver scores, a unit on every number, every
local code declared in a CodeSystem of the Bundle, texts in the language the patient saw, no
name or initials."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from fhir_r4 import r4b_codes_outside, validate_r4
from forms.instrument import load_instrument
from forms.labs import lab_value
from forms.liver import SCORE_INPUTS
from reports.export.commands import run_export
from reports.export.fhir_clinical import research_subject
from reports.export.fhir_codes import LAB_LOINC, LOINC, UCUM
from reports.export.fhir_data import urn
from reports.export.fhir_meta import iter_items
from reports.export.reader import iter_patients
from storage import services as sv
from storage.db import open_database
from storage.demo import generate_demo_data
from storage.models import Administration, ClinicalAssessment, Patient, Visit
from storage_fixtures import answer_all

#: code systems defined outside the Bundle (HL7 terminology, LOINC, UCUM)
STANDARD = (LOINC, UCUM, "http://terminology.hl7.org/CodeSystem/")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("fhirdemo")
    db = open_database(f"sqlite:///{d / 'demo.db'}", demo=True)
    generate_demo_data(db, patients=5, seed=1, full_names=True)
    _labs_and_chinese_csc_at_the_unscheduled_and_et_visits(db)
    inv = sv.authenticate(db, "investigator", "trial-demo-1", station_id="WS-1")
    run_export(db, inv, "fhir", d / "bundle.json")
    text = (d / "bundle.json").read_text(encoding="utf-8")
    yield db, d / "bundle.json", json.loads(text), text
    db.dispose()


def _labs_and_chinese_csc_at_the_unscheduled_and_et_visits(db):
    """The demo keeps outcome records at UNS1/ET (not FHIR content): add what the FHIR export
    sends (labs in SI units, a CSC answered in Chinese) through the services, at the unscheduled
    visit and at the early termination of the subject who withdrew (not the one who died)."""
    nurse = sv.authenticate(db, "nurse", "ward-demo-1", station_id="WS-1")
    done = set()
    for p in reversed(sv.list_patients(db)):
        for v in sv.patient_visits(db, p.id):
            if v.code not in ("UNS1", "ET") or v.code in done or v.actual_date is None:
                continue
            sv.enter_clinical_assessment(db, nurse, v.id, {
                "sample_date": v.actual_date, "ascites": "slight", "encephalopathy": "none",
                "labs": {"bilirubin": {"value": 51, "unit": "umol/L"}, "inr": {"value": 1.7},
                         "albumin": {"value": 29, "unit": "g/L"}, "sodium": {"value": 131},
                         "creatinine": {"value": 1.2}, "ast": {"value": 61, "unit": "U/L"}},
                "symptom_grades": {}, "vital_status": "alive"})
            patient = sv.hand_over_kiosk(db, nurse, v.id)
            adm = sv.start_administration(db, nurse, visit_id=v.id, instrument_id="csc",
                                          language="zh_CN", override_reason="extra visit")
            answer_all(db, patient, adm)
            sv.submit_administration(db, patient, adm)
            done.add(v.code)
    assert done == {"UNS1", "ET"}


def of(data, t):
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == t]


def walk(x, key):
    """Every dict under ``x`` that holds ``key``."""
    if isinstance(x, dict):
        if key in x:
            yield x
        for v in x.values():
            yield from walk(v, key)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v, key)


def test_the_demo_has_what_the_rules_are_checked_on(env):
    db, _, data, _ = env
    with db.session() as s:
        codes = set(s.scalars(select(Visit.code).where(Visit.actual_date.is_not(None))))
        langs = set(s.execute(select(Administration.instrument_id, Administration.language)))
    assert {"UNS1", "ET"} <= codes
    assert {("rand36", "zh_CN"), ("csc", "zh_CN"), ("rand36", "en"), ("csc", "en")} <= langs
    kinds = {r.kind for r in sv.list_outcomes(db)}
    assert {"early_termination", "adverse_event", "vital_status"} <= kinds
    assert any(r.fields.get("status") == "dead" for r in sv.list_outcomes(db))


def test_valid_r4_and_r4b_with_codes_in_their_value_sets(env):
    _, path, data, _ = env
    Bundle.model_validate(data)
    assert r4b_codes_outside(data) == []
    kinds = validate_r4(path)
    assert sum(kinds.values()) == len(data["entry"])


def test_every_reference_resolves_inside_the_bundle(env):
    _, _, data, _ = env
    full = [e["fullUrl"] for e in data["entry"]]
    assert len(set(full)) == len(full)
    refs = [d["reference"] for e in data["entry"] for d in walk(e["resource"], "reference")]
    assert len(refs) > 1000 and set(refs) <= set(full)
    canon = {f"{q['url']}|{q['version']}" for q in of(data, "Questionnaire")}
    assert {qr["questionnaire"] for qr in of(data, "QuestionnaireResponse")} <= canon


def test_an_encounter_per_visit_on_every_response_and_observation(env):
    db, _, data, _ = env
    enc = {e["fullUrl"]: e["resource"] for e in data["entry"]
           if e["resource"]["resourceType"] == "Encounter"}
    with db.session() as s:
        n_visits = len(s.scalars(select(Visit.id)).all())
        visit_of = dict(s.execute(select(Administration.id, Visit.code)
                                  .join(Visit, Visit.id == Administration.visit_id)).all())
        reasons = dict(s.execute(select(Visit.id, Visit.unscheduled_reason)
                                 .where(Visit.unscheduled_reason.is_not(None))).all())
    assert len(enc) == n_visits
    assert {e["identifier"][0]["value"] for e in enc.values() if "reasonCode" in e} == \
        {"UNS1", "ET"}
    for vid, why in reasons.items():
        assert enc[urn("Encounter", vid)]["reasonCode"] == [{"text": why}]
    for qr in of(data, "QuestionnaireResponse"):
        visit = enc[qr["encounter"]["reference"]]
        assert visit["identifier"][0]["value"] == visit_of[int(qr["identifier"]["value"])]
        assert visit["subject"] == qr["subject"]
    at = set()
    for obs in of(data, "Observation"):
        visit = enc[obs["encounter"]["reference"]]
        assert visit["subject"] == obs["subject"]
        at.add(visit["identifier"][0]["value"])
    assert {"UNS1", "ET"} <= at         # labs, liver and CSC scores of the UNS1 / ET visits
    assert {"UNS1", "ET"} <= {visit_of[int(qr["identifier"]["value"])]
                              for qr in of(data, "QuestionnaireResponse")}


def test_study_subjects_arm_and_disposition(env):
    db, _, data, _ = env
    (study,) = of(data, "ResearchStudy")
    arms = {a["name"] for a in study["arm"]}
    with db.session() as s:
        arm_of = dict(s.execute(select(Patient.subject_id, Patient.arm)).all())
    subject_of = {e["fullUrl"]: e["resource"]["identifier"][0]["value"]
                  for e in data["entry"] if e["resource"]["resourceType"] == "Patient"}
    dead = {r.subject_id: date.fromisoformat(r.fields["death_date"])
            for r in sv.list_outcomes(db) if r.fields.get("status") == "dead"}
    ended = {r.subject_id: r.fields["date"] for r in sv.list_outcomes(db)
             if r.kind == "early_termination"}
    assert dead and set(ended) - set(dead)
    statuses = {}
    for rs in of(data, "ResearchSubject"):
        sid = subject_of[rs["individual"]["reference"]]
        assert rs["assignedArm"] == arm_of[sid] and rs["assignedArm"] in arms
        statuses[sid] = rs["status"]
        if sid in ended:        # R4 off-study: ended "through ... withdrawal ... adverse event"
            assert rs["status"] == "off-study" and rs["period"]["end"] == \
                (dead.get(sid) or date.fromisoformat(ended[sid])).isoformat()
        else:
            assert rs["status"] == "on-study" and "end" not in rs.get("period", {})
    assert set(statuses) == set(arm_of)
    for p in of(data, "Patient"):
        sid = p["identifier"][0]["value"]
        assert p.get("deceasedDateTime") == (dead[sid].isoformat() if sid in dead else None)


@pytest.mark.parametrize("row, status, end", [
    ({"disposition": "completed"}, "off-study", None),
    ({"disposition": "ongoing"}, "on-study", None),
    ({"disposition": "terminated", "termination_date": "2026-03-01"}, "off-study", "2026-03-01"),
    ({"disposition": "died", "termination_date": "2026-03-01", "death_date": date(2026, 2, 27)},
     "off-study", "2026-02-27"),
    (None, "on-study", None)])
def test_subject_status_and_end_follow_the_disposition(env, row, status, end):
    db, _, _, _ = env
    pd = next(iter_patients(db, subject="DEMO-0001"))
    rs = research_subject(pd, "urn:uuid:p", "urn:uuid:s", row)
    assert (rs["status"], rs["period"].get("end")) == (status, end)
    assert rs["period"]["start"] == pd.patient.consent_date.isoformat()


def test_scores_of_a_corrected_response_are_amended(env):
    """The demo corrects answers after submission: that response is ``amended`` and so are the
    scores recomputed from it (R4 Observation status); every other score is ``final``."""
    _, _, data, _ = env
    qr_status = {e["fullUrl"]: e["resource"]["status"] for e in data["entry"]
                 if e["resource"]["resourceType"] == "QuestionnaireResponse"}
    assert "amended" in qr_status.values()
    for obs in of(data, "Observation"):
        if obs["id"].startswith("score-"):
            qr = qr_status[obs["derivedFrom"][0]["reference"]]
            assert obs["status"] == {"completed": "final", "amended": "amended"}[qr]


def test_labs_carry_loinc_ucum_and_the_stored_value(env):
    db, _, data, _ = env
    by_loinc = {lc.code: lab for lab, lc in LAB_LOINC.items()}
    sent = {}
    for obs in of(data, "Observation"):
        c = obs["code"]["coding"][0]
        if c["system"] == LOINC:
            assert c["display"] == LAB_LOINC[by_loinc[c["code"]]].display
            assert obs["category"][0]["coding"][0]["code"] == "laboratory"
            sent[(obs["encounter"]["reference"], by_loinc[c["code"]])] = obs["valueQuantity"]
    n = 0
    with db.session() as s:
        for ca in s.scalars(select(ClinicalAssessment)):
            for lab, entry in (ca.labs or {}).items():
                lv = lab_value(lab, entry["value"], entry.get("unit"))
                q = sent.pop((urn("Encounter", ca.visit_id), lab))
                assert q["value"] == pytest.approx(float(lv.canonical), abs=1e-4)
                assert q["system"] == UCUM and q["code"] and q["unit"]
                n += 1
    assert n > 50 and sent == {}


def test_liver_scores_equal_stored_and_derive_from_their_inputs(env):
    """Child-Pugh (score, class), MELD, MELD-Na, MELD 3.0 as storage derived them, each naming
    as ``derivedFrom`` only the labs it is computed from (``forms.liver.SCORE_INPUTS``: no AST at
    the unscheduled visit, no sodium for Child-Pugh)."""
    db, _, data, _ = env
    lab_of = {lc.code: lab for lab, lc in LAB_LOINC.items()}
    labs_at, liver = {}, {}
    for e in data["entry"]:
        r = e["resource"]
        if r["resourceType"] != "Observation":
            continue
        c = r["code"]["coding"][0]
        if c["system"] == LOINC:
            labs_at.setdefault(r["encounter"]["reference"], {})[e["fullUrl"]] = lab_of[c["code"]]
        elif c["code"] in ("child_pugh", "child_pugh_class", "meld", "meld_na", "meld3"):
            liver[(r["encounter"]["reference"], c["code"])] = r
    n = 0
    with db.session() as s:
        for ca in s.scalars(select(ClinicalAssessment)):
            enc = urn("Encounter", ca.visit_id)
            for calc, parts in (ca.derived or {}).items():
                for part, value in parts.items() if isinstance(parts, dict) else ():
                    code = calc if part == "score" else f"{calc}_{part}"
                    if code not in ("child_pugh", "child_pugh_class", "meld", "meld_na",
                                    "meld3") or value is None:
                        continue
                    r = liver.pop((enc, code))
                    got = r.get("valueString", r.get("valueQuantity", {}).get("value"))
                    assert got == value, (code, got, value)
                    sources = {labs_at[enc][d["reference"]] for d in r["derivedFrom"]}
                    assert sources == set(labs_at[enc].values()) & set(SCORE_INPUTS[calc])
                    n += 1
    assert n > 50 and liver == {}


def test_every_number_has_a_unit(env):
    """valueQuantity with a UCUM code on every numeric value; a count is FHIR's Count (UCUM
    ``1``, whole number: R4 Count datatype, constraint cnt-3)."""
    _, _, data, _ = env
    for obs in of(data, "Observation"):
        assert not {"valueInteger", "valueDecimal"} & set(obs), obs["id"]
        q = obs.get("valueQuantity")
        if q is not None:
            assert q["system"] == UCUM and q["code"] and q["unit"], obs["id"]
    counts = [o["valueQuantity"] for o in of(data, "Observation")
              if o["code"]["coding"][0]["code"] == "csc_nmod"]
    assert counts and all(q["code"] == "1" and isinstance(q["value"], int) for q in counts)


def test_every_local_code_is_declared_in_a_code_system_of_the_bundle(env):
    _, _, data, _ = env
    declared = {}
    for cs in of(data, "CodeSystem"):
        assert cs["content"] == "complete" and cs["description"]
        declared[cs["url"]] = {c["code"]: c for c in cs["concept"]}
    used = 0
    for e in data["entry"]:
        if e["resource"]["resourceType"] == "CodeSystem":
            continue
        for c in walk(e["resource"], "system"):
            if "code" not in c or c["system"].startswith(STANDARD):
                continue
            concept = declared[c["system"]][c["code"]]
            if "display" in c:
                assert c["display"] in {concept["display"]} | {
                    d["value"] for d in concept.get("designation", [])}, c
            used += 1
    assert used > 1000


def test_texts_are_in_the_language_the_patient_saw(env):
    _, _, data, _ = env
    insts = {i: load_instrument(i) for i in ("rand36", "csc")}
    seen = set()
    for qr in of(data, "QuestionnaireResponse"):
        inst = insts[qr["questionnaire"].split("|")[0].rsplit(":", 1)[1]]
        lang = qr["language"].replace("-", "_")
        for leaf in iter_items(qr):
            item = inst.item(leaf["linkId"])
            assert leaf["text"] == item.text[lang]
            assert bool(CJK.search(leaf["text"])) is (lang == "zh_CN")
            for a in leaf.get("answer", []):
                c = a["valueCoding"]
                assert c["display"] == inst.options_for(item).label(int(c["code"]), lang)
                assert bool(CJK.search(c["display"])) is (lang == "zh_CN")
            seen.add((inst.id, lang))
    assert seen == {("rand36", "zh_CN"), ("csc", "zh_CN"), ("rand36", "en"), ("csc", "en")}


def test_no_name_or_initials(env):
    db, _, data, text = env
    with db.session() as s:
        people = list(s.execute(select(Patient.full_name, Patient.initials)))
    assert all(name for name, _ in people)      # the demo stored full names
    strings = {d for e in data["entry"] for d in _strings(e["resource"])}
    for name, initials in people:
        assert name not in text
        assert initials not in strings
    for p in of(data, "Patient"):
        assert set(p) <= {"resourceType", "id", "identifier", "gender", "birthDate",
                          "deceasedDateTime"}


def _strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)
