"""Metadata side of the exports: data dictionary, ODM 1.3.2 (official XSD), FHIR Questionnaire."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol
from forms.schedule import protocol_schedule
from reports.export.dictionary import write_data_dictionary
from reports.export.fhir_meta import code_system, iter_items, questionnaire
from reports.export.odm_meta import write_metadata_file
from reports.export.odm_validate import odm_errors
from reports.export.scoredefs import score_defs
from reports.export.variables import instruments

NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# --- data_dictionary.csv ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def dictionary(tmp_path_factory):
    p = tmp_path_factory.mktemp("dd") / "data_dictionary.csv"
    n = write_data_dictionary(p, instruments())
    assert p.read_bytes().startswith(b"\xef\xbb\xbf")
    with p.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n
    return {r["variable"]: r for r in rows}


def test_dictionary_has_every_item_and_score_with_instrument_and_version(dictionary):
    for inst in instruments():
        for it in inst.items:
            r = dictionary[f"{inst.id}_{it.id}".lower()]
            assert (r["instrument"], r["version"], r["kind"], r["item"]) == \
                (inst.id, inst.version, "item", it.id)
            assert r["label"] == it.text["en"]
            rs = inst.options_for(it)
            assert r["codes"] == " | ".join(f"{o.code}={o.label['en']}" for o in rs.options)
        for s in score_defs(inst.id):
            r = dictionary[s.name]
            assert (r["kind"], r["algorithm"], r["type"]) == ("score", s.algorithm, s.type)


def test_dictionary_carries_branching_and_other_languages(dictionary):
    assert dictionary["csc_c2b"]["shown_if"] == "csc_c2 >= 1"
    assert dictionary["csc_g2"]["shown_if"] == "visit_kind != baseline"
    assert dictionary["csc_c1"]["label_zh_CN"].startswith("在过去7天内")
    assert dictionary["sf36_pcs"]["algorithm"] == "sf36v1-ware1993-norms1990"
    assert dictionary["rand_pf"]["algorithm"] == "rand36-1.0"
    assert dictionary["status"]["codes"].startswith("in_progress=")


# --- ODM 1.3.2 --------------------------------------------------------------------------------

SCHEDULE = protocol_schedule(load_protocol(DEFAULT_PROTOCOL_PATH))


@pytest.fixture(scope="module")
def odm_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("odm") / "metadata.xml"
    write_metadata_file(p, instruments(), SCHEDULE, protocol="EPRO-001")
    return p


def test_odm_metadata_is_valid_against_the_official_xsd(odm_file):
    assert odm_errors(odm_file) == []


def test_the_xsd_check_is_not_vacuous(odm_file, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(odm_file.read_text(encoding="utf-8").replace(
        ' DataType="integer"', '', 1), encoding="utf-8")
    assert any("DataType" in e for e in odm_errors(bad))
    bad.write_text(odm_file.read_text(encoding="utf-8").replace(
        "<Protocol>", "<Bogus/><Protocol>", 1), encoding="utf-8")
    assert odm_errors(bad)


def test_odm_structure_events_forms_items_codelists(odm_file):
    root = ET.parse(odm_file).getroot()
    assert root.get("ODMVersion") == "1.3.2"
    mdv = root.find("odm:Study/odm:MetaDataVersion", NS)
    events = [e.get("Name") for e in mdv.findall("odm:StudyEventDef", NS)]
    assert events == [v.code for v in SCHEDULE] + ["unscheduled", "enrolment",
                                                   "outcome records"]
    forms = {f.get("OID") for f in mdv.findall("odm:FormDef", NS)}
    assert forms == {"F.RAND36", "F.CSC", "F.SUBJECT", "F.CLINICAL", "F.DISPOSITION",
                     "F.IMAGING", "F.HCC", "F.VITAL_STATUS", "F.EARLY_TERMINATION",
                     "F.ADVERSE_EVENT", "F.INFUSION"}
    item_defs = {i.get("OID"): i for i in mdv.findall("odm:ItemDef", NS)}
    code_lists = {c.get("OID"): c for c in mdv.findall("odm:CodeList", NS)}
    for inst in instruments():
        for it in inst.items:
            d = item_defs[f"I.{inst.id.upper()}.{it.id}"]
            texts = {t.get(XML_LANG): t.text for t in d.findall("odm:Question/odm:TranslatedText", NS)}
            assert texts == {lang.replace("_", "-"): t for lang, t in it.text.items()}
            cl = code_lists[d.find("odm:CodeListRef", NS).get("CodeListOID")]
            coded = [int(c.get("CodedValue")) for c in cl.findall("odm:CodeListItem", NS)]
            assert coded == list(inst.options_for(it).codes)
    # every referenced OID exists
    oids = {e.get("OID") for e in mdv.iter() if e.get("OID")}
    for e in mdv.iter():
        for attr in ("StudyEventOID", "FormOID", "ItemGroupOID", "ItemOID", "CodeListOID",
                     "MethodOID", "CollectionExceptionConditionOID"):
            if e.get(attr):
                assert e.get(attr) in oids, (attr, e.get(attr))


def test_odm_branching_and_translations(odm_file):
    root = ET.parse(odm_file).getroot()
    mdv = root.find("odm:Study/odm:MetaDataVersion", NS)
    refs = {r.get("ItemOID"): r for r in mdv.iter(f"{{{NS['odm']}}}ItemRef")}
    c2b = refs["I.CSC.C2b"].get("CollectionExceptionConditionOID")
    cond = {c.get("OID"): c for c in mdv.findall("odm:ConditionDef", NS)}[c2b]
    assert "csc_c2 >= 1" in cond.find("odm:FormalExpression", NS).text
    assert refs["I.CSC.G2"].get("CollectionExceptionConditionOID")
    assert refs["I.CSC.C1"].get("CollectionExceptionConditionOID") is None
    decode = mdv.find("odm:CodeList[@OID='CL.CSC.SEV5']/odm:CodeListItem/odm:Decode", NS)
    assert {t.get(XML_LANG): t.text for t in decode} == {"en": "None", "zh-CN": "无"}


# --- FHIR Questionnaire -----------------------------------------------------------------------

@pytest.mark.parametrize("inst", instruments(), ids=lambda i: i.id)
def test_questionnaire_validates_as_fhir_r4b_and_codes_match_the_instrument(inst):
    q = questionnaire(inst)
    model = Questionnaire.model_validate(q)
    assert model.version == inst.version and model.status == "active"
    items = list(iter_items(q))
    assert [i["linkId"] for i in items] == list(inst.item_ids)
    link_ids = [i["linkId"] for i in items] + [g["linkId"] for g in q["item"] if "item" in g]
    assert len(link_ids) == len(set(link_ids))
    for i in items:
        it = inst.item(i["linkId"])
        rs = inst.options_for(it)
        assert i["type"] == "choice" and i["text"] == it.text["en"]
        got = [(o["valueCoding"]["system"], o["valueCoding"]["code"], o["valueCoding"]["display"])
               for o in i["answerOption"]]
        assert got == [(code_system(inst, rs.id), str(o.code), o.label["en"]) for o in rs.options]


def test_questionnaire_branching_uses_enable_when_on_codings():
    csc = {i.id: i for i in instruments(["csc"])}["csc"]
    items = {i["linkId"]: i for i in iter_items(questionnaire(csc))}
    ew = items["C2b"]["enableWhen"]
    assert {(e["question"], e["operator"], e["answerCoding"]["code"]) for e in ew} == \
        {("C2", "=", str(c)) for c in (1, 2, 3, 4)}
    assert items["C2b"]["enableBehavior"] == "any"
    expr = items["G2"]["extension"][0]["valueExpression"]["expression"]
    assert expr == "%visit_kind != 'baseline'"      # the protocol's kind, not a visit code
    assert "enableWhen" not in items["C1"]
    tr = items["C1"]["_text"]["extension"][0]["extension"]
    assert {e["url"]: list(e.values())[1] for e in tr}["lang"] == "zh-CN"


def test_sf36_grids_are_groups_in_the_questionnaire():
    rand = instruments(["rand36"])[0]
    q = questionnaire(rand)
    groups = {g["linkId"]: g for g in q["item"] if g["type"] == "group"}
    assert [i["linkId"] for i in groups["rand36_activities"]["item"]] == \
        [f"q{n}" for n in range(3, 13)]
    assert groups["rand36_activities"]["text"] == rand.item("q3").stem["en"]
