"""ODM 1.3.2 ClinicalData export: XSD-valid, values round-trip, audit records, signatures."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from bench.export_db import INJECTION_REASON, build_small
from reports.export.commands import run_export
from reports.export.odm_validate import odm_errors
from storage.db import open_database
from storage.models import Administration, Answer, Score

NS = {"o": "http://www.cdisc.org/ns/odm/v1.3"}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("odm")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    run_export(db, small.investigator, "odm", d / "study.xml")
    yield db, small, d / "study.xml"
    db.dispose()


def test_clinical_data_file_is_valid_against_the_official_xsd(env):
    assert odm_errors(env[2]) == []


def test_answers_and_scores_round_trip(env):
    db, _, path = env
    root = ET.parse(path).getroot()
    got: dict[tuple[int, str], str | None] = {}
    scores: dict[tuple[int, str], str] = {}
    for form in root.iter(f"{{{NS['o']}}}FormData"):
        key = form.get("FormRepeatKey")
        if key is None:
            continue
        adm = int(key)
        for ig in form.findall("o:ItemGroupData", NS):
            for it in ig.findall("o:ItemData", NS):
                oid = it.get("ItemOID")
                if ig.get("ItemGroupOID").endswith(".ITEMS"):
                    got[(adm, oid.split(".", 2)[2])] = it.get("Value")
                elif ig.get("ItemGroupOID").endswith(".SCORES"):
                    scores[(adm, oid.rsplit(".", 1)[1])] = it.get("Value")
    with db.session() as s:
        answers = list(s.scalars(select(Answer)))
        stored_scores = list(s.scalars(select(Score)))
        n_adm = len(list(s.scalars(select(Administration))))
    assert len({k[0] for k in got}) == n_adm
    expected = {(a.administration_id, a.item_id): (None if a.code is None else str(a.code))
                for a in answers if a.status != "not_applicable"}
    assert got == expected
    checked = 0
    for sc in stored_scores:
        for key, val in sc.values.items():
            if isinstance(val, float) and key in ("rand_pf", "sf36_pcs", "tsb", "rss"):
                name = {"tsb": "csc_tsb", "rss": "csc_rss"}.get(key, key)
                assert float(scores[(sc.administration_id, name)]) == val
                checked += 1
    assert checked >= 4


def test_changed_item_carries_an_audit_record_and_skips_are_null(env):
    _, small, path = env
    root = ET.parse(path).getroot()
    subj = root.find(f".//o:SubjectData[@SubjectKey='{small.corrected[0]}']", NS)
    w1 = subj.find("o:StudyEventData[@StudyEventOID='SE.W1']", NS)
    c1 = w1.find(".//o:FormData[@FormOID='F.CSC']//o:ItemData[@ItemOID='I.CSC.C1']", NS)
    assert c1.get("Value") == str(small.corrected[3])
    ar = c1.find("o:AuditRecord", NS)
    assert ar.find("o:UserRef", NS).get("UserOID") == "USR.nurse1"
    assert ar.find("o:LocationRef", NS).get("LocationOID") == "LOC.WS-1"
    assert ar.find("o:ReasonForChange", NS).text == INJECTION_REASON
    assert ar.find("o:DateTimeStamp", NS).text.endswith("+00:00")
    assert "1 -> 3" in c1.find("o:Annotation/o:Comment", NS).text
    unchanged = w1.find(".//o:ItemData[@ItemOID='I.CSC.C2']", NS)
    assert unchanged.find("o:AuditRecord", NS) is None
    q7 = subj.find(".//o:StudyEventData[@StudyEventOID='SE.BL']"
                   "//o:ItemData[@ItemOID='I.RAND36.q7']", NS)
    assert q7.get("IsNull") == "Yes" and "prefer_not_to_answer" in q7.find(".//o:Comment", NS).text
    # every UserRef/LocationRef/SignatureRef points into AdminData
    admin = root.find("o:AdminData", NS)
    oids = {e.get("OID") for e in admin}
    for tag, attr in (("UserRef", "UserOID"), ("LocationRef", "LocationOID"),
                      ("SignatureRef", "SignatureOID")):
        for e in root.iter(f"{{{NS['o']}}}{tag}"):
            assert e.get(attr) in oids


def test_signature_and_subject_scope(env, tmp_path):
    db, small, path = env
    root = ET.parse(path).getroot()
    base = root.find(".//o:SubjectData[@SubjectKey='S-001']"
                     "/o:StudyEventData[@StudyEventOID='SE.BL']", NS)
    sig = base.find("o:Signature", NS)
    assert sig.find("o:SignatureRef", NS).get("SignatureOID") == "SD.reviewed_and_approved"
    assert sig.find("o:UserRef", NS).get("UserOID") == "USR.inv"
    run_export(db, small.investigator, "odm", tmp_path / "one.xml", subject="S-002")
    one = ET.parse(tmp_path / "one.xml").getroot()
    assert [s.get("SubjectKey") for s in one.iter(f"{{{NS['o']}}}SubjectData")] == ["S-002"]
    assert odm_errors(tmp_path / "one.xml") == []
