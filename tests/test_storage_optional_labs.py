"""Optional labs (AFP, ALT, AST, platelets; symptoms.md §4) in the clinician assessment: stored in
the same ``labs`` JSON as the core labs, audited, read back, refused when implausible
(SQLite and a real PostgreSQL server)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from forms.errors import UserError
from storage import services as sv
from storage.audit_verify import verify_audit
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import db, enrol, pg_template, sqlite_db, sqlite_template, staff  # noqa: F401

ALL_NINE = {"bilirubin": {"value": 42.75, "unit": "umol/L"},
            "albumin": {"value": 30, "unit": "g/L"}, "inr": {"value": 1.5},
            "creatinine": {"value": 1.1, "unit": "mg/dL"},
            "sodium": {"value": 133, "unit": "mmol/L"},
            "afp": {"value": "1234.5", "unit": "ng/mL"},
            "alt": {"value": 48, "unit": "U/L"},
            "ast": {"value": "61", "unit": "U/L"},
            "platelets": {"value": "87", "unit": "×10⁹/L"}}


def _data(labs: dict, **extra) -> dict:  # noqa: ANN003
    return {"sample_date": date(2026, 3, 2), "labs": labs, "ascites": "slight",
            "encephalopathy": "none", "dialysis": False, **extra}


def _labs_audit(db):  # noqa: ANN001, ANN202, F811
    return [(r.operation, r.old_value, r.new_value, r.reason)
            for r in sv.audit_history(db, entity="clinical_assessment") if r.field == "labs"]


def test_all_nine_labs_save_and_read_back(db) -> None:  # noqa: F811
    v = enrol(db)
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, _data(ALL_NINE))
    ca = sv.clinical_assessment(db, v.visit_id)
    labs = ca["labs"]
    assert set(labs) == set(ALL_NINE)
    assert labs["afp"] == {"value": "1234.5", "unit": "ng/mL", "canonical": "1234.5",
                           "canonical_unit": "ng/mL"}
    assert labs["alt"] == {"value": "48", "unit": "U/L", "canonical": "48",
                           "canonical_unit": "U/L"}
    assert labs["ast"]["value"] == "61" and labs["ast"]["unit"] == "U/L"
    # ×10⁹/L is stored under its one ASCII spelling
    assert labs["platelets"] == {"value": "87", "unit": "10^9/L", "canonical": "87",
                                 "canonical_unit": "10^9/L"}
    assert labs["bilirubin"]["unit"] == "umol/L"        # core labs unchanged
    # the optional labs feed no score: the derived scores are those of the five core labs
    without = enrol(db, subject="S-002")
    core = {k: ALL_NINE[k] for k in ("bilirubin", "albumin", "inr", "creatinine", "sodium")}
    sv.enter_clinical_assessment(db, staff(db, "nurse"), without.visit_id, _data(core))
    assert ca["derived"] == sv.clinical_assessment(db, without.visit_id)["derived"]
    assert {"child_pugh", "meld", "meld_na", "meld3"} <= set(ca["derived"])


def test_optional_labs_are_audited_and_corrected_with_reason(db) -> None:  # noqa: F811
    v = enrol(db)
    nurse = staff(db, "nurse")
    sv.enter_clinical_assessment(db, nurse, v.visit_id, _data(ALL_NINE))
    ca = sv.clinical_assessment(db, v.visit_id)
    with pytest.raises(UserError, match="reason"):
        sv.enter_clinical_assessment(db, nurse, v.visit_id,
                                     _data({**ALL_NINE, "afp": {"value": 20, "unit": "ng/mL"}}))
    sv.enter_clinical_assessment(db, nurse, v.visit_id,
                                 _data({**ALL_NINE, "afp": {"value": 20, "unit": "ng/mL"}},
                                       reason="lab re-issued", expected_version=ca["version"]))
    assert sv.clinical_assessment(db, v.visit_id)["labs"]["afp"]["value"] == "20"
    rows = _labs_audit(db)
    assert [r[0] for r in rows] == ["insert", "update"]
    assert json.loads(rows[0][2])["afp"]["value"] == "1234.5"
    assert json.loads(rows[1][1])["afp"]["value"] == "1234.5"
    assert json.loads(rows[1][2])["afp"]["value"] == "20"
    assert json.loads(rows[1][2])["platelets"]["value"] == "87"
    assert rows[1][3] == "lab re-issued"
    assert verify_audit(db).ok


def test_implausible_afp_is_refused_with_a_clear_message(db) -> None:  # noqa: F811
    v = enrol(db)
    bad = {**ALL_NINE, "afp": {"value": "2000000", "unit": "ng/mL"}}
    with pytest.raises(UserError) as ei:
        sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, _data(bad))
    assert str(ei.value) == ("afp 2000000 ng/mL: implausible value (plausible range "
                             "0–1000000 ng/mL); check the value and its unit")
    assert sv.clinical_assessment(db, v.visit_id) is None       # nothing stored
    assert _labs_audit(db) == []


@pytest.mark.parametrize("lab, entry, match", [
    ("platelets", {"value": 150, "unit": "/uL"}, "unknown unit for platelets"),
    ("alt", {"value": 0, "unit": "U/L"}, "alt 0 U/L: implausible value"),
    ("ast", {"value": "n/a", "unit": "U/L"}, "ast n/a U/L: not a number"),
])
def test_bad_optional_lab_refused(db, lab, entry, match) -> None:  # noqa: F811
    v = enrol(db)
    with pytest.raises(UserError, match=match):
        sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id,
                                     _data({**ALL_NINE, lab: entry}))


def test_unknown_lab_still_refused(db) -> None:  # noqa: F811
    v = enrol(db)
    with pytest.raises(UserError, match="Unknown lab 'ggt'.*afp, alt, ast, platelets"):
        sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id,
                                     _data({**ALL_NINE, "ggt": {"value": 40, "unit": "U/L"}}))


def test_an_empty_optional_lab_is_not_stored(db) -> None:  # noqa: F811
    v = enrol(db)
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id,
                                 _data({**ALL_NINE, "afp": {"value": "", "unit": "ng/mL"}}))
    assert "afp" not in sv.clinical_assessment(db, v.visit_id)["labs"]
