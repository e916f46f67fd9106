"""ODM content a receiving EDC needs: measurement units, code lists for every coded item,
question texts (en, zh-CN) for every item, signature location and ID; odmlib's strict loader
loads the file; still valid against the ODM 1.3.2 XSD."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from odmlib import open_odm

from bench.export_db import INJECTION_NAME, build_small
from reports.export.commands import run_export
from reports.export.odm_validate import odm_errors
from storage import services as sv
from storage.db import open_database

O = "{http://www.cdisc.org/ns/odm/v1.3}"
XL = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    d = tmp_path_factory.mktemp("odmc")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    pids = {p.subject_id: p.id for p in sv.list_patients(db)}
    uns = sv.add_unscheduled_visit(db, small.nurse, pids["S-001"], reason="jaundice",
                                   visit_date=date(2026, 1, 20))
    sv.enter_clinical_assessment(db, small.nurse, uns, {
        "sample_date": date(2026, 1, 20), "labs": {"bilirubin": {"value": 3.1}},
        "ascites": "moderate", "encephalopathy": "grade1-2", "symptom_grades": {"appetite": 2},
        "imaging": {"spleen_size_cm": 14}, "vital_status": "alive"})
    et = sv.add_early_termination_visit(db, small.nurse, pids["S-002"], reason="withdrew",
                                        visit_date=date(2026, 2, 1))
    sv.enter_clinical_assessment(db, small.nurse, et, {
        "sample_date": date(2026, 2, 1), "ascites": "none", "encephalopathy": "none",
        "symptom_grades": {}, "vital_status": "died", "death_date": date(2026, 2, 1)})
    run_export(db, small.investigator, "odm", d / "study.xml")
    yield d / "study.xml"
    db.dispose()


def test_valid_and_loaded_by_odmlib(path):
    assert odm_errors(path) == []
    with open_odm(str(path)) as odm:
        assert odm.ClinicalData[0].SubjectData


def test_every_item_has_question_texts_in_en_and_zh(path):
    root = ET.parse(path).getroot()
    defs = list(root.iter(f"{O}ItemDef"))
    crf = [d for d in defs if d.get("Origin") == "CRF"]
    assert len(crf) > 100
    for d in crf:
        q = d.find(f"{O}Question")
        assert q is not None, d.get("OID")
        langs = {t.get(XL): t.text for t in q.findall(f"{O}TranslatedText")}
        assert {"en", "zh-CN"} <= set(langs) and all(langs.values()), d.get("OID")


def test_code_lists_and_units(path):
    root = ET.parse(path).getroot()
    lists = {c.get("OID"): [i.get("CodedValue") for i in c.findall(f"{O}CodeListItem")]
             for c in root.iter(f"{O}CodeList")}
    defs = {d.get("Name"): d for d in root.iter(f"{O}ItemDef")}

    def codes(name):
        return lists[defs[name].find(f"{O}CodeListRef").get("CodeListOID")]
    assert codes("ascites") == ["none", "slight", "moderate"]
    assert codes("encephalopathy") == ["none", "grade1-2", "grade3-4"]
    assert codes("vital_status") == ["alive", "died"]
    assert codes("arm") == ["low", "medium", "high"]
    assert codes("clin_appetite") == ["0", "1", "2", "3"]
    assert codes("child_pugh_class") == ["A", "B", "C"]
    units = {u.get("OID"): u.find(f"{O}Symbol/{O}TranslatedText").text
             for u in root.iter(f"{O}MeasurementUnit")}
    refs = {n: [units[r.get("MeasurementUnitOID")] for r in d.findall(f"{O}MeasurementUnitRef")]
            for n, d in defs.items()}
    assert refs["lab_bilirubin"] == ["mg/dL", "umol/L"]
    assert refs["img_spleen_size_cm"] == ["cm"]
    # a value carries the unit it was entered in
    data = {}
    for it in root.iter(f"{O}ItemData"):
        mu = it.find(f"{O}MeasurementUnitRef")
        if mu is not None:
            data.setdefault(it.get("ItemOID"), []).append(
                (it.get("Value"), units[mu.get("MeasurementUnitOID")]))
    assert data["I.F.CLINICAL.lab_bilirubin"] == [("34.2", "umol/L"), ("3.1", "mg/dL")]
    assert data["I.F.CLINICAL.img_spleen_size_cm"] == [("14", "cm")]


def test_signature_has_an_id_and_the_station(path):
    root = ET.parse(path).getroot()
    (sig,) = list(root.iter(f"{O}Signature"))
    assert sig.get("ID")
    assert sig.find(f"{O}LocationRef").get("LocationOID") == "LOC.WS-1"
    locs = {loc.get("OID") for loc in root.iter(f"{O}Location")}
    assert "LOC.WS-1" in locs


def test_early_termination_and_unscheduled_visits_have_their_events(path):
    root = ET.parse(path).getroot()
    defs = {e.get("OID"): e for e in root.iter(f"{O}StudyEventDef")}
    assert defs["SE.ET"].get("Repeating") == "No" and \
        defs["SE.UNSCHEDULED"].get("Repeating") == "Yes"
    s2 = root.find(f".//{O}SubjectData[@SubjectKey='S-002']")
    events = [e.get("StudyEventOID") for e in s2.findall(f"{O}StudyEventData")]
    assert "SE.ET" in events
    et = s2.find(f"{O}StudyEventData[@StudyEventOID='SE.ET']")
    vals = {i.get("ItemOID"): i.get("Value") for i in et.iter(f"{O}ItemData")}
    assert (vals["I.F.CLINICAL.vital_status"], vals["I.F.CLINICAL.death_date"]) == \
        ("died", "2026-02-01")
    s1 = root.find(f".//{O}SubjectData[@SubjectKey='S-001']")
    assert "SE.UNSCHEDULED" in [e.get("StudyEventOID") for e in s1.findall(f"{O}StudyEventData")]


def test_no_patient_name_in_the_file(path):
    """Two subjects have full names stored (one a formula-looking text): neither leaves."""
    values = [v for e in ET.parse(path).getroot().iter()
              for v in (e.text or "", *e.attrib.values())]      # unescaped, as a reader sees
    assert any("S-002" in v for v in values)
    for name in (INJECTION_NAME, "李小龙", "小龙"):
        assert not any(name in v for v in values)
