"""A questionnaire started, paused after two answers and then recorded not done (the patient
could not finish it), in every export, on a real SQLite database: the answers given are kept
and shown as an incomplete questionnaire where the format carries incomplete data (CSV,
REDCap, ODM; FHIR as a QuestionnaireResponse with status "stopped"), next to the not-done
record; SDTM QS holds the not-done record only (items of an unfinished questionnaire are not
analysis data); every format stays valid."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from reports.export.commands import run_export
from reports.export.odm_validate import odm_errors
from reports.export.sdtm import ND_REASND, qs_category
from storage import services as sv
from fhir_r4 import checked_bundle
from storage_fixtures import at_kiosk, enrol, sqlite_db, sqlite_template, staff  # noqa: F401
from test_export_not_done_standards import _read
from test_export_redcap_rules import check_import_rules

ODM = "{http://www.cdisc.org/ns/odm/v1.3}"


@pytest.fixture
def study(sqlite_db):  # noqa: F811
    """(db, investigator, paused instrument id, its two answered item ids)."""
    db = sqlite_db
    v = enrol(db, "S-PA1")
    first = sv.remaining_battery(db, v.visit_id)[0]
    nurse = staff(db, "nurse")
    adm = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id=first,
                                  language="en")
    pat = at_kiosk(db, v.visit_id)
    inst = sv.administration_instrument(db, adm)
    items = [it for it in inst.items if inst.options_for(it).codes][:2]
    for it in items:
        sv.record_answer(db, pat, adm, it.id, inst.options_for(it).codes[0])
    sv.mark_interrupted(db, pat, adm)
    sv.mark_not_done(db, nurse, v.visit_id, first, reason="too_unwell")
    return db, staff(db, "investigator"), first, [it.id for it in items]


def test_sdtm_has_the_not_done_record_and_no_items_of_the_unfinished_questionnaire(
        study, tmp_path) -> None:
    db, inv, first, _items = study
    run_export(db, inv, "sdtm", tmp_path / "sdtm")
    qs = [r for r in _read(tmp_path / "sdtm" / "qs.csv") if r["QSCAT"] == qs_category(first)]
    assert [(r["QSTESTCD"], r["QSSTAT"], r["QSREASND"]) for r in qs] == [
        ("QSALL", "NOT DONE", ND_REASND["too_unwell"])]


def test_redcap_keeps_the_answers_as_an_incomplete_form_with_the_reason(study, tmp_path) -> None:
    db, inv, first, items = study
    run_export(db, inv, "redcap", tmp_path / "rc")
    rows = check_import_rules(tmp_path / "rc")
    bl = next(r for r in rows if r["record_id"] == "S-PA1" and r["redcap_event_name"] == "bl_arm_1")
    assert (bl[f"{first}_nd_reason"], bl[f"{first}_complete"]) == ("too_unwell", "0")
    fields = {r["Variable / Field Name"]: r["Form Name"]
              for r in _read(tmp_path / "rc" / "redcap_data_dictionary.csv")}
    answered = [k for k, form in fields.items() if form == first and bl.get(k)
                and not k.startswith(f"{first}_nd") and k != f"{first}_complete"]
    assert len(answered) == len(items)


def test_csv_lists_the_paused_administration_and_the_not_done_record(study, tmp_path) -> None:
    db, inv, first, items = study
    run_export(db, inv, "csv", tmp_path / "csv")
    rows = [r for r in _read(tmp_path / "csv" / "administrations_wide.csv")
            if r["instrument"] == first]
    assert sorted(r["status"] for r in rows) == ["interrupted", "not_done"]
    assert next(r for r in rows if r["status"] == "not_done")["not_done_reason"] == "too_unwell"
    answers = [r for r in _read(tmp_path / "csv" / "answers_long.csv")
               if r["instrument"] == first]
    assert sorted(r["item"] for r in answers) == sorted(items)


def test_odm_is_schema_valid_with_the_partial_form_and_the_not_done_group(study, tmp_path) -> None:
    db, inv, first, items = study
    path = tmp_path / "study.xml"
    run_export(db, inv, "odm", path)
    assert odm_errors(path) == []
    root = ET.parse(path).getroot()
    forms = [f for f in root.iter(f"{ODM}FormData") if f.get("FormOID") == f"F.{first.upper()}"]
    groups = {g.get("ItemGroupOID") for f in forms for g in f}
    assert f"IG.{first.upper()}.NOT_DONE" in groups
    values = [i for f in forms for i in f.iter(f"{ODM}ItemData")
              if not i.get("ItemOID", "").startswith(f"I.{first.upper()}.NOT_DONE")]
    assert len([i for i in values if i.get("Value")]) >= len(items)


def test_fhir_response_and_not_done_observation_validate(study, tmp_path) -> None:
    db, inv, first, items = study
    path = tmp_path / "bundle.json"
    run_export(db, inv, "fhir", path)
    data, counts = checked_bundle(path)
    assert counts["Observation"] >= 1
    res = [e["resource"] for e in data["entry"]]
    [qr] = [r for r in res if r["resourceType"] == "QuestionnaireResponse"]
    assert qr["status"] == "stopped"         # abandoned, not still in progress
    assert sum(len(g.get("item", [g])) for g in qr["item"]) == len(items)
    nd = [r for r in res if r["resourceType"] == "Observation" and "dataAbsentReason" in r]
    assert [r["code"]["coding"][0]["code"] for r in nd] == [f"{first}_panel"]
    assert nd[0]["encounter"] == qr["encounter"]
