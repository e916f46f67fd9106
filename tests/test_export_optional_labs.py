"""Exports of the clinician assessment carry the optional labs (AFP, ALT, AST, platelets),
dialysis and the Child-Pugh variant: clinical.csv, ODM (XSD-valid) and REDCap (dictionary and
import file consistent)."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from pg_server import pg_server_url  # noqa: F401
from reports.export.commands import run_export
from reports.export.odm_meta import CLINICAL_FORM as ODM_CLINICAL_FORM, field_oid
from reports.export.odm_validate import odm_errors
from storage import services as sv
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401

NS = {"o": "http://www.cdisc.org/ns/odm/v1.3"}
CORE = {"bilirubin": {"value": 2.5, "unit": "mg/dL"}, "albumin": {"value": 3.0, "unit": "g/dL"},
        "inr": {"value": 1.5}, "creatinine": {"value": 1.2, "unit": "mg/dL"},
        "sodium": {"value": 131, "unit": "mmol/L"}}
OPTIONAL = {"afp": {"value": "1234.5", "unit": "ng/mL"}, "alt": {"value": "48", "unit": "U/L"},
            "ast": {"value": "61", "unit": "U/L"}, "platelets": {"value": "87", "unit": "×10⁹/L"}}


def read(path):  # noqa: ANN001, ANN201
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def db2(sqlite_db):  # noqa: ANN001, ANN201, F811
    """OPT-1: all nine labs, dialysis yes, PBC bands; OPT-2: core labs, dialysis not recorded."""
    nurse = staff(sqlite_db, "nurse")
    for subject, labs, extra in (("OPT-1", {**CORE, **OPTIONAL},
                                  {"dialysis": True, "child_pugh_variant": "pbc"}),
                                 ("OPT-2", CORE, {})):
        v = enrol(sqlite_db, subject)
        sv.enter_clinical_assessment(sqlite_db, nurse, v.visit_id, {
            "sample_date": date(2026, 3, 2), "labs": labs, "ascites": "none",
            "encephalopathy": "none", **extra})
    return sqlite_db


def test_clinical_csv_has_optional_labs_dialysis_and_variant(db2, tmp_path) -> None:
    run_export(db2, staff(db2, "investigator"), "csv", tmp_path / "csv")
    rows = read(tmp_path / "csv" / "clinical.csv")
    # numbers in value, codes in text_value (one type per column, issue 17)
    got = {(r["subject_id"], r["field"]): (r["value"] or r["text_value"], r["unit"])
           for r in rows}
    assert got[("OPT-1", "labs.afp")] == ("1234.5", "ng/mL")
    assert got[("OPT-1", "labs.alt")] == ("48", "U/L")
    assert got[("OPT-1", "labs.ast")] == ("61", "U/L")
    assert got[("OPT-1", "labs.platelets")] == ("87", "10^9/L")
    assert got[("OPT-1", "dialysis")] == ("1", "")
    assert got[("OPT-1", "child_pugh_variant")] == ("pbc", "")
    assert got[("OPT-2", "dialysis")] == ("", "")             # not recorded: empty, never 0
    assert got[("OPT-2", "child_pugh_variant")] == ("standard", "")
    assert not any(s == "OPT-2" and f.startswith("labs.") and f[5:] in OPTIONAL
                   for s, f in got)


def test_odm_has_the_fields_in_metadata_and_data_and_stays_valid(db2, tmp_path) -> None:
    path = tmp_path / "study.xml"
    run_export(db2, staff(db2, "investigator"), "odm", path)
    assert odm_errors(path) == []
    root = ET.parse(path).getroot()
    defs = {d.get("OID"): d.get("DataType") for d in root.iterfind(".//o:ItemDef", NS)}
    group = next(g for g in root.iterfind(".//o:ItemGroupDef", NS)
                 if g.get("Name") == "clinician assessment")
    refs = {r.get("ItemOID") for r in group.iterfind("o:ItemRef", NS)}
    want = {"dialysis": "boolean", "child_pugh_variant": "text"}
    for k in OPTIONAL:
        want |= {f"lab_{k}": "float", f"lab_{k}_unit": "text"}
    for name, typ in want.items():
        oid = field_oid(ODM_CLINICAL_FORM, name)
        assert defs.get(oid) == typ, name
        assert oid in refs, name
    data: dict[str, dict[str, str]] = {}
    for subj in root.iterfind(".//o:SubjectData", NS):
        for form in subj.iterfind(".//o:FormData", NS):
            if form.get("FormOID") == ODM_CLINICAL_FORM:
                data[subj.get("SubjectKey")] = {i.get("ItemOID"): i.get("Value")
                                                for i in form.iterfind(".//o:ItemData", NS)}
    one, two = data["OPT-1"], data["OPT-2"]
    f = lambda n: field_oid(ODM_CLINICAL_FORM, n)  # noqa: E731
    assert one[f("lab_afp")] == "1234.5" and one[f("lab_afp_unit")] == "ng/mL"
    assert one[f("lab_alt")] == "48" and one[f("lab_ast")] == "61"
    assert one[f("lab_platelets")] == "87" and one[f("lab_platelets_unit")] == "10^9/L"
    assert one[f("dialysis")] == "true" and one[f("child_pugh_variant")] == "pbc"
    assert f("dialysis") not in two and f("lab_afp") not in two   # missing is absent
    assert two[f("child_pugh_variant")] == "standard"


def test_redcap_dictionary_and_import_carry_the_fields(db2, tmp_path) -> None:
    out = tmp_path / "rc"
    run_export(db2, staff(db2, "investigator"), "redcap", out)
    dd = {r["Variable / Field Name"]: r for r in read(out / "redcap_data_dictionary.csv")}
    assert dd["dialysis"]["Field Type"] == "yesno" and dd["dialysis"]["Form Name"] == "clinical"
    assert dd["child_pugh_variant"]["Field Type"] == "dropdown"
    codes = [c.split(",")[0].strip() for c in
             dd["child_pugh_variant"]["Choices, Calculations, OR Slider Labels"].split("|")]
    assert codes == ["standard", "pbc"]
    for k in OPTIONAL:
        assert dd[f"lab_{k}"]["Text Validation Type OR Show Slider Number"] == "number"
        assert dd[f"lab_{k}_unit"]["Form Name"] == "clinical"
    rows = {r["record_id"]: r for r in read(out / "redcap_import.csv")
            if r["clinical_complete"] == "2"}
    one, two = rows["OPT-1"], rows["OPT-2"]
    assert (one["lab_afp"], one["lab_afp_unit"]) == ("1234.5", "ng_mL")  # REDCap-safe code of ng/mL
    assert (one["lab_alt"], one["lab_ast"], one["lab_platelets"]) == ("48", "61", "87")
    assert one["dialysis"] == "1" and one["child_pugh_variant"] == "pbc"
    assert two["dialysis"] == "" and two["lab_afp"] == ""
    assert two["child_pugh_variant"] == "standard"
    assert set(dd) >= {c.split("___")[0]                     # a checkbox: <field>___<code>
                       for c in one if c not in ("record_id", "redcap_event_name",
                                                   "redcap_repeat_instrument",
                                                   "redcap_repeat_instance")
                       and not c.endswith("_complete")}
