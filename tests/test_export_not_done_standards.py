"""A questionnaire recorded not done in the standard exports (SDTM, REDCap, ODM, FHIR), on an
exported real SQLite database: the baseline visit of one subject has its first questionnaire
recorded not done (reason other, with text) and its second one submitted."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import odmlib
import pytest
import xmlschema
from odmlib import open_odm

from forms.not_done import REASON_LABELS, REASONS, reason_label
from reports.export.commands import run_export
from reports.export.odm_validate import odm_errors
from reports.export.sdtm import ND_REASND, qs_category
from storage import services as sv
from fhir_r4 import checked_bundle
from reports.export.fhir_codes import LOCAL_SYSTEM
from storage_fixtures import answer_all, enrol, sqlite_db, sqlite_template, staff  # noqa: F401
from test_export_redcap_rules import check_import_rules

NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3", "def": "http://www.cdisc.org/ns/def/v2.0"}
TEXT = "no interpreter 无翻译"


def _read(path):  # noqa: ANN001
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def study(sqlite_db):  # noqa: F811
    """(db, investigator, not-done instrument id, submitted instrument id)."""
    v = enrol(sqlite_db, "S-ND1")
    first, second = sv.remaining_battery(sqlite_db, v.visit_id)[:2]
    nurse = staff(sqlite_db, "nurse")
    sv.mark_not_done(sqlite_db, nurse, v.visit_id, first, reason="other", text=TEXT)
    aid = sv.start_administration(sqlite_db, nurse, visit_id=v.visit_id,
                                  instrument_id=second, language="en")
    answer_all(sqlite_db, nurse, aid)
    sv.submit_administration(sqlite_db, nurse, aid)
    return sqlite_db, staff(sqlite_db, "investigator"), first, second


def test_sdtm_qs_has_one_qsall_not_done_record_with_reason(study, tmp_path) -> None:
    db, inv, first, second = study
    run_export(db, inv, "sdtm", tmp_path / "sdtm")
    qs = _read(tmp_path / "sdtm" / "qs.csv")
    nd = [r for r in qs if r["QSTESTCD"] == "QSALL"]
    assert len(nd) == 1
    r = nd[0]
    assert (r["QSTEST"], r["QSCAT"], r["QSSTAT"]) == \
        ("Questionnaire", qs_category(first), "NOT DONE")
    assert r["QSREASND"] == "OTHER" == ND_REASND["other"]
    assert r["QSORRES"] == r["QSSTRESC"] == r["QSSTRESN"] == r["QSDRVFL"] == ""
    # no item rows of the questionnaire not done; visit, date, day and epoch of the visit
    assert not [x for x in qs if x["QSCAT"] == r["QSCAT"] and x["QSTESTCD"] != "QSALL"]
    done = [x for x in qs if x["QSCAT"] == qs_category(second)]
    assert done and r["QSCAT"] != done[0]["QSCAT"]
    for col in ("VISIT", "VISITNUM", "EPOCH", "QSDY"):
        assert r[col] == done[0][col], col
    # QSDTC: the visit's date (a questionnaire never shown has no answer time) as SV holds it
    # (a local date; the answered rows carry UTC times, another day near midnight in some zones)
    visit = [x for x in _read(tmp_path / "sdtm" / "sv.csv") if x["VISITNUM"] == r["VISITNUM"]]
    assert len(visit) == 1 and r["QSDTC"] == visit[0]["SVSTDTC"][:10] != ""
    # the staff's text is the SUPPQS qualifier QSNDTEXT of that record
    supp = [s for s in _read(tmp_path / "sdtm" / "suppqs.csv") if s["IDVARVAL"] == r["QSSEQ"]]
    assert [(s["QNAM"], s["QVAL"]) for s in supp] == [("QSNDTEXT", TEXT)]
    # define.xml: QSALL in the QSTESTCD/QSTEST code lists, the reasons in REASND, and the
    # value-level code list of QSREASND for QSALL records
    root = ET.parse(tmp_path / "sdtm" / "define.xml").getroot()
    lists = {cl.get("OID"): {i.get("CodedValue") for i in cl} for cl in
             root.iter(f"{{{NS['odm']}}}CodeList")}
    assert "QSALL" in lists["CL.QSTESTCD"] and "Questionnaire" in lists["CL.QSTEST"]
    assert set(ND_REASND.values()) <= lists["CL.REASND"]
    assert lists["CL.REASNDQS"] == set(ND_REASND.values())
    assert "QSNDTEXT" in lists["CL.QNAM"]
    vl = root.find(".//def:ValueListDef[@OID='VL.QS.QSREASND']", NS)
    assert vl is not None
    item = vl.find("odm:ItemRef", NS).get("ItemOID")
    cl_ref = root.find(f".//odm:ItemDef[@OID='{item}']/odm:CodeListRef", NS)
    assert cl_ref.get("CodeListOID") == "CL.REASNDQS"
    tests = {t["QSTESTCD"]: t for t in _read(tmp_path / "sdtm" / "qs_testcodes.csv")}
    assert tests["QSALL"]["QSTEST"] == "Questionnaire"
    # --format sdtm-qs writes the same record and qualifier
    run_export(db, inv, "sdtm-qs", tmp_path / "qs.csv")
    flat = [x for x in _read(tmp_path / "qs.csv") if x["QSTESTCD"] == "QSALL"]
    assert [(x["QSCAT"], x["QSSTAT"], x["QSREASND"]) for x in flat] == \
        [(r["QSCAT"], "NOT DONE", "OTHER")]
    assert ("QSNDTEXT", TEXT) in {(x["QNAM"], x["QVAL"])
                                  for x in _read(tmp_path / "qs_suppqs.csv")}


def test_sdtm_package_with_not_done_is_valid_define_2_0(study, tmp_path) -> None:
    db, inv, _first, _second = study
    run_export(db, inv, "sdtm", tmp_path / "sdtm")
    xsd = Path(odmlib.__file__).resolve().parent / "schemas" / "define" / "2.0" / "define2-0-0.xsd"
    schema = xmlschema.XMLSchema10(str(xsd))
    assert [e.reason for e in schema.iter_errors(str(tmp_path / "sdtm" / "define.xml"))] == []


def test_redcap_not_done_fields_on_the_visit_event_and_import_accepted(study, tmp_path) -> None:
    db, inv, first, second = study
    run_export(db, inv, "redcap", tmp_path / "rc")
    fields = {r["Variable / Field Name"]: r
              for r in _read(tmp_path / "rc" / "redcap_data_dictionary.csv")}
    reason = fields[f"{first}_nd_reason"]
    assert (reason["Form Name"], reason["Field Type"]) == (first, "dropdown")
    assert reason["Choices, Calculations, OR Slider Labels"] == " | ".join(
        f"{r}, {reason_label(r)}" for r in REASONS)
    assert fields[f"{first}_nd_text"]["Form Name"] == first
    rows = check_import_rules(tmp_path / "rc")       # REDCap's importer rules
    bl = next(r for r in rows if r["record_id"] == "S-ND1"
              and r["redcap_event_name"] == "bl_arm_1")
    assert (bl[f"{first}_nd_reason"], bl[f"{first}_nd_text"]) == ("other", TEXT)
    assert bl[f"{first}_complete"] == "0"
    assert (bl[f"{second}_nd_reason"], bl[f"{second}_complete"]) == ("", "2")


def test_odm_not_done_form_carries_the_coded_reason_and_stays_schema_valid(study, tmp_path) -> None:
    db, inv, first, second = study
    path = tmp_path / "study.xml"
    run_export(db, inv, "odm", path)
    assert odm_errors(path) == []
    with open_odm(str(path)) as odm:                 # odmlib's strict loader
        assert odm.ClinicalData[0].SubjectData
    root = ET.parse(path).getroot()
    o = f"{{{NS['odm']}}}"
    up = first.upper()
    forms = [f for f in root.iter(f"{o}FormData") if f.get("FormOID") == f"F.{up}"]
    assert [f.get("FormRepeatKey") for f in forms] == ["ND"]
    groups = [g.get("ItemGroupOID") for g in forms[0]]
    assert groups == [f"IG.{up}.NOT_DONE"]          # no answers: the form is not complete
    items = {i.get("ItemOID"): i for i in forms[0].iter(f"{o}ItemData")}
    reason = items[f"I.{up}.NOT_DONE.reason"]
    assert reason.get("Value") == "other"
    assert reason.find(f"{o}AuditRecord/{o}UserRef").get("UserOID").startswith("USR.")
    assert items[f"I.{up}.NOT_DONE.text"].get("Value") == TEXT
    assert items[f"I.{up}.NOT_DONE.recorded_at"].get("Value")
    # the submitted questionnaire is an ordinary form, without a not-done group
    other = [f for f in root.iter(f"{o}FormData") if f.get("FormOID") == f"F.{second.upper()}"]
    assert other and not [g for f in other for g in f
                          if g.get("ItemGroupOID", "").endswith(".NOT_DONE")]
    # metadata: the group is on the instrument's form, the reason has the en/zh code list
    form_def = root.find(f".//{o}FormDef[@OID='F.{up}']")
    assert f"IG.{up}.NOT_DONE" in {r.get("ItemGroupOID") for r in form_def}
    cl = root.find(f".//{o}CodeList[@OID='CL.NOT_DONE_REASON']")
    xl = "{http://www.w3.org/XML/1998/namespace}lang"
    decoded = {i.get("CodedValue"): {t.get(xl): t.text for t in i.iter(f"{o}TranslatedText")}
               for i in cl}
    assert decoded == {r: {"en": REASON_LABELS[r]["en"], "zh-CN": REASON_LABELS[r]["zh_CN"]}
                       for r in REASONS}


def test_fhir_not_done_is_a_valueless_observation_on_the_visit_encounter(study, tmp_path) -> None:
    db, inv, first, second = study
    v = enrol(db, "S-ND2")                        # a refusal: asked-declined, no text
    third = sv.remaining_battery(db, v.visit_id)[0]
    sv.mark_not_done(db, staff(db, "nurse"), v.visit_id, third, reason="refused")
    path = tmp_path / "bundle.json"
    run_export(db, inv, "fhir", path)
    data, counts = checked_bundle(path)
    assert counts["Observation"] >= 2
    res = [e["resource"] for e in data["entry"]]
    nd = [r for r in res if r["resourceType"] == "Observation" and "dataAbsentReason" in r]
    assert len(nd) == 2
    subject = {e["fullUrl"]: e["resource"]["identifier"][0]["value"] for e in data["entry"]
               if e["resource"]["resourceType"] == "Patient"}
    by_subject = {subject[r["subject"]["reference"]]: r for r in nd}
    other, refused = by_subject["S-ND1"], by_subject["S-ND2"]
    assert other["code"]["coding"][0]["code"] == f"{first}_panel"
    assert refused["code"]["coding"][0]["code"] == f"{third}_panel"
    assert other["dataAbsentReason"]["coding"][0]["code"] == "not-performed"
    assert other["dataAbsentReason"]["text"] == reason_label("other")
    assert other["note"] == [{"text": TEXT}]
    assert refused["dataAbsentReason"]["coding"][0]["code"] == "asked-declined"
    assert "note" not in refused
    for r in nd:
        assert r["status"] == "cancelled" and not any(k.startswith("value") for k in r)
        assert r["code"]["coding"][0]["system"] == LOCAL_SYSTEM
    # linked to the visit's Encounter and the patient; no QuestionnaireResponse for it
    enc = {e["fullUrl"]: e["resource"] for e in data["entry"]
           if e["resource"]["resourceType"] == "Encounter"}
    assert enc[other["encounter"]["reference"]]["identifier"][0]["value"] == "BL"
    qrs = [r["questionnaire"] for r in res if r["resourceType"] == "QuestionnaireResponse"]
    assert [q.split(":")[-1].split("|")[0] for q in qrs] == [second]
    declared = {c["code"] for r in res if r["resourceType"] == "CodeSystem"
                for c in r["concept"]}
    assert {f"{first}_panel", f"{third}_panel"} <= declared


def test_sdtm_long_not_done_text_continues_in_suppqs_and_xpt_is_written(study, tmp_path) -> None:
    db, inv, first, _second = study
    v = enrol(db, "S-ND3")
    # TEXT_MAX (200) characters of 3 bytes: 66 per 200-byte piece, so 4 pieces
    long_text = ("患者因视力原因无法阅读问卷" * 16)[:200]
    sv.mark_not_done(db, staff(db, "nurse"), v.visit_id, first, reason="unable", text=long_text)
    run_export(db, inv, "sdtm", tmp_path / "sdtm")
    qs = [r for r in _read(tmp_path / "sdtm" / "qs.csv")
          if r["QSTESTCD"] == "QSALL" and r["USUBJID"].endswith("S-ND3")]
    assert [r["QSREASND"] for r in qs] == [ND_REASND["unable"]]
    supp = [s for s in _read(tmp_path / "sdtm" / "suppqs.csv")
            if s["USUBJID"].endswith("S-ND3") and s["IDVARVAL"] == qs[0]["QSSEQ"]]
    assert [s["QNAM"] for s in supp] == ["QSNDTEXT", "QSNDTXT1", "QSNDTXT2", "QSNDTXT3"]
    assert "".join(s["QVAL"] for s in supp) == long_text
    assert all(len(s["QVAL"].encode("utf-8")) <= 200 for s in supp)
    assert (tmp_path / "sdtm" / "suppqs.xpt").stat().st_size > 0
    root = ET.parse(tmp_path / "sdtm" / "define.xml").getroot()
    qnam = {i.get("CodedValue") for cl in root.iter(f"{{{NS['odm']}}}CodeList")
            if cl.get("OID") == "CL.QNAM" for i in cl}
    assert {"QSNDTEXT", "QSNDTXT1", "QSNDTXT2", "QSNDTXT3"} <= qnam
