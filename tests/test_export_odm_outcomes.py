"""Outcome data in the ODM 1.3.2 export (issue 15 item 4), on the demo database (imaging,
infusions, AEs with an SAE, a death, an early termination, an HCC diagnosis at an unscheduled
visit): still valid against the XSD, every record exactly once in its event, the AE item group
repeating, the DM-like disposition, code lists / units / question texts en + zh-CN from the one
definition of the outcome forms."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from odmlib import open_odm

from forms.outcome_defs import CTCAE_GRADES, FORMS
from reports.export.commands import run_export
from reports.export.odm_data import export_odm
from reports.export.redcap_data import export_redcap
from reports.export.variables import instruments
from reports.export.odm_validate import odm_errors
from storage import demo
from storage import services as sv
from storage.services.patients import local_today
from storage.db import open_database

O = "{http://www.cdisc.org/ns/odm/v1.3}"
XL = "{http://www.w3.org/XML/1998/namespace}lang"
KIND_OF_FORM = {f"F.{k.upper()}": k for k in FORMS}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("odmout")
    db = open_database(f"sqlite:///{d / 'demo.db'}")
    demo.generate_demo_data(db, patients=5, seed=1)
    inv = sv.authenticate(db, "investigator", "trial-demo-1", station_id="WS-1")
    run_export(db, inv, "odm", d / "study.xml")
    yield db, d / "study.xml", ET.parse(d / "study.xml").getroot()
    db.dispose()


def _records(root):
    """(subject, event OID, event repeat key, kind, record id) of every outcome record."""
    out = []
    for subj in root.iter(f"{O}SubjectData"):
        for ev in subj.findall(f"{O}StudyEventData"):
            for form in ev.findall(f"{O}FormData"):
                kind = KIND_OF_FORM.get(form.get("FormOID"))
                if kind is None:
                    continue
                keys = ([g.get("ItemGroupRepeatKey") for g in form.findall(f"{O}ItemGroupData")]
                        if kind == "adverse_event" else [form.get("FormRepeatKey")])
                for k in keys:
                    out.append((subj.get("SubjectKey"), ev.get("StudyEventOID"),
                                ev.get("StudyEventRepeatKey"), kind, int(k)))
    return out


def _values(el, prefix):
    return {i.get("ItemOID").split(".", 2)[2]: i.get("Value") for i in el.iter(f"{O}ItemData")
            if i.get("ItemOID").startswith(prefix)}


def test_valid_against_the_xsd_and_loaded_by_odmlib(env):
    _, path, _ = env
    assert odm_errors(path) == []
    with open_odm(str(path)) as odm:
        assert len(odm.ClinicalData[0].SubjectData) == 5


def test_every_outcome_record_once_in_its_visits_event(env):
    db, _, root = env
    got = _records(root)
    stored = sv.list_outcomes(db)
    assert sorted((s, k, r) for s, _, _, k, r in got) == \
        sorted((r.subject_id, r.kind, r.id) for r in stored) and len(stored) > 30
    where = {r: (ev, key) for _, ev, key, _, r in got}
    for r in stored:
        ev, key = where[r.id]
        if r.visit_code is None:            # screening imaging -> SCR, infusion -> D1
            assert ev == {"imaging": "SE.SCR", "infusion": "SE.D1"}[r.kind], r
        elif r.visit_code.startswith("UNS"):
            assert (ev, key) == ("SE.UNSCHEDULED", str(r.visit_id))
        else:
            assert (ev, key) == (f"SE.{r.visit_code}", None)
    hcc = next(r for r in stored if r.kind == "hcc")
    assert hcc.visit_code == "UNS1" and where[hcc.id][0] == "SE.UNSCHEDULED"


def test_death_sae_termination_and_disposition(env):
    db, _, root = env
    s2 = root.find(f".//{O}SubjectData[@SubjectKey='DEMO-0002']")
    et = s2.find(f"{O}StudyEventData[@StudyEventOID='SE.ET']")
    vs = _values(et.find(f"{O}FormData[@FormOID='F.VITAL_STATUS']"), "I.VITAL_STATUS.")
    assert vs["vs_status"] == "dead" and vs["vs_death_date"] and vs["vs_visit"] == "ET"
    assert _values(et.find(f"{O}FormData[@FormOID='F.EARLY_TERMINATION']"),
                   "I.EARLY_TERMINATION.")["et_reason"] == "death"
    ae = et.find(f"{O}FormData[@FormOID='F.ADVERSE_EVENT']/{O}ItemGroupData")
    vals = _values(ae, "I.ADVERSE_EVENT.")
    assert (vals["ae_grade"], vals["ae_serious"], vals["ae_serious_criteria_death"],
            vals["ae_serious_criteria_hospitalisation"], vals["ae_outcome"]) == \
        ("5", "yes", "1", "0", "fatal")
    audit = ae.find(f"{O}AuditRecord")
    assert audit.find(f"{O}UserRef").get("UserOID") == "USR.nurse"
    assert audit.find(f"{O}DateTimeStamp").text.endswith("+00:00")
    assert audit.find(f"{O}SourceID").text.startswith(f"outcome record {vals['ae_record']} ")
    dm = _values(s2.find(f"{O}StudyEventData[@StudyEventOID='SE.ENROLMENT']"),
                 "I.DISPOSITION.")
    assert (dm["ds_disposition"], dm["ds_death_date"], dm["ds_os_event"],
            dm["ds_termination_reason"]) == ("died", vs["vs_death_date"], "1", "death")
    assert dm["ds_last_known_alive"] <= dm["ds_death_date"]
    s3 = root.find(f".//{O}SubjectData[@SubjectKey='DEMO-0003']")
    dm3 = _values(s3.find(f"{O}StudyEventData[@StudyEventOID='SE.ENROLMENT']"),
                  "I.DISPOSITION.")
    assert (dm3["ds_disposition"], dm3["ds_termination_reason"]) == \
        ("terminated", "withdrew_consent")
    s4 = root.find(f".//{O}SubjectData[@SubjectKey='DEMO-0004']")
    hcc = _values(s4, "I.HCC.")
    assert (hcc["hcc_hcc_diagnosis"], hcc["hcc_basis_imaging"], hcc["hcc_basis_afp"],
            hcc["hcc_basis_pathology"]) == ("yes", "1", "1", "0")
    assert _values(s4, "I.DISPOSITION.")["ds_hcc_date"] == hcc["hcc_diagnosis_date"]


def test_metadata_repeating_code_lists_units_and_questions(env):
    _, _, root = env
    mdv = root.find(f"{O}Study/{O}MetaDataVersion")
    groups = {g.get("OID"): g for g in mdv.iter(f"{O}ItemGroupDef")}
    forms = {f.get("OID"): f for f in mdv.iter(f"{O}FormDef")}
    assert groups["IG.ADVERSE_EVENT"].get("Repeating") == "Yes"
    assert forms["F.ADVERSE_EVENT"].get("Repeating") == "No"
    for k in ("IMAGING", "HCC", "VITAL_STATUS", "EARLY_TERMINATION", "INFUSION"):
        assert forms[f"F.{k}"].get("Repeating") == "Yes" and \
            groups[f"IG.{k}"].get("Repeating") == "No"
    lists = {c.get("OID"): c for c in mdv.iter(f"{O}CodeList")}
    defs = {d.get("Name"): d for d in mdv.iter(f"{O}ItemDef")}

    def decodes(name):
        cl = lists[defs[name].find(f"{O}CodeListRef").get("CodeListOID")]
        return {i.get("CodedValue"): {t.get(XL): t.text for t in i.iter(f"{O}TranslatedText")}
                for i in cl.findall(f"{O}CodeListItem")}
    for kind, form in FORMS.items():                    # every coded field has its code list
        for f in form.fields:
            if f.choices and f.type == "choice":
                name = next(n for n in defs if n.endswith(f"_{f.key}")
                            and n.startswith(("im_", "hcc_", "vs_", "et_", "ae_", "inf_")))
                assert decodes(name) == {c: {"en": lab["en"], "zh-CN": lab["zh_CN"]}
                                         for c, lab in f.choice_labels.items()}, name
    assert list(decodes("ae_grade")) == list(CTCAE_GRADES)
    assert decodes("ae_serious_criteria_death") == {
        "1": {"en": "selected", "zh-CN": "已选"}, "0": {"en": "not selected", "zh-CN": "未选"}}
    assert list(decodes("inf_arm")) == ["low", "medium", "high"]
    assert list(decodes("ds_disposition")) == ["completed", "terminated", "died", "ongoing"]
    units = {u.get("OID"): u.get("Name") for u in root.iter(f"{O}MeasurementUnit")}

    def unit(name):
        return [units[r.get("MeasurementUnitOID")] for r in
                defs[name].findall(f"{O}MeasurementUnitRef")]
    assert (unit("im_liver_size_cm"), unit("im_portal_vein_mm"), unit("hcc_size_mm"),
            unit("inf_cell_count_e6"), unit("ae_grade")) == (["cm"], ["mm"], ["mm"],
                                                             ["×10^6"], [])
    checks = {r.get("Comparator"): r.find(f"{O}CheckValue").text
              for r in defs["im_portal_vein_mm"].findall(f"{O}RangeCheck")}
    assert checks == {"GE": "3", "LE": "40"}
    assert (defs["ae_onset"].get("DataType"), defs["inf_start_time"].get("DataType"),
            defs["im_liver_size_cm"].get("DataType")) == ("date", "time", "float")
    outcome_defs = [d for n, d in defs.items()
                    if n.startswith(("im_", "hcc_", "vs_", "et_", "ae_", "inf_", "ds_"))]
    assert len(outcome_defs) > 50
    for d in outcome_defs:                               # question en + zh-CN for every item
        q = {t.get(XL): t.text for t in d.findall(f"{O}Question/{O}TranslatedText")}
        assert set(q) == {"en", "zh-CN"} and all(q.values()), d.get("Name")
    assert {t.get(XL): t.text for t in defs["vs_death_date"].iter(f"{O}TranslatedText")} == \
        {"en": "Date of death", "zh-CN": "死亡日期"}
    events = {e.get("OID"): e for e in mdv.iter(f"{O}StudyEventDef")}
    assert [r.get("FormOID") for r in events["SE.SCR"].findall(f"{O}FormRef")] == ["F.IMAGING"]
    d1 = [r.get("FormOID") for r in events["SE.D1"].findall(f"{O}FormRef")]
    assert d1[0] == "F.INFUSION"                      # (and the AE form where the protocol says)
    bl = [r.get("FormOID") for r in events["SE.BL"].findall(f"{O}FormRef")]
    assert {"F.IMAGING", "F.ADVERSE_EVENT", "F.VITAL_STATUS"} <= set(bl)
    oids = {e.get("OID") for e in mdv.iter() if e.get("OID")} | set(units)
    for e in root.iter():                                 # every reference resolves
        for attr in ("StudyEventOID", "FormOID", "ItemGroupOID", "ItemOID", "CodeListOID",
                     "MeasurementUnitOID"):
            if e.get(attr):
                assert e.get(attr) in oids, (attr, e.get(attr))


def test_since_exports_a_new_record_of_a_subject_with_nothing_else_new(env, tmp_path):
    """(runs last: adds a record) A vital-status contact entered without a visit is the only
    thing new since an instant: ODM writes the subject with it alone in SE.OUTCOMES, REDCap
    as an outcome-log instance."""
    db, _, _ = env
    nurse = sv.authenticate(db, "nurse", "ward-demo-1", station_id="WS-1")
    pid = next(p.id for p in sv.list_patients(db) if p.subject_id == "DEMO-0003")
    today = local_today()
    since = datetime.now(timezone.utc)
    rid = sv.record_outcome(db, nurse, pid, "vital_status", {
        "contact_date": today, "status": "alive", "last_known_alive": today})
    export_odm(db, tmp_path / "since.xml", instruments(), since=since)
    assert odm_errors(tmp_path / "since.xml") == []
    root = ET.parse(tmp_path / "since.xml").getroot()
    (subj,) = root.iter(f"{O}SubjectData")
    assert [e.get("StudyEventOID") for e in subj] == ["SE.OUTCOMES"]
    assert _records(root) == [("DEMO-0003", "SE.OUTCOMES", None, "vital_status", rid)]
    export_redcap(db, tmp_path / "rc", instruments(), since=since)
    with (tmp_path / "rc" / "redcap_import.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["record_id"], r["redcap_event_name"], r["redcap_repeat_instrument"],
             r["redcap_repeat_instance"], r["vs_record"], r["vs_status"]) for r in rows] == [
        ("DEMO-0003", "outcome_log_arm_1", "vital_status", "1", str(rid), "alive")]
