"""The FHIR code tables (``reports/export/fhir_codes.py``): every lab storage keeps has a LOINC
code with a named source and a valid check digit, the LOINC property fits the UCUM unit the value
is sent in (the canonical unit of ``forms.labs``), and the README's "FHIR codes" table agrees."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.labs import ANALYTES
from reports.export import fhir_clinical
from reports.export.clinical_meta import LABS
from reports.export.fhir_codes import LAB_LOINC, LOCAL_CODES_REASON, UCUM_UNITS
from storage.models import PATIENT_STATUSES, VISIT_STATUSES

ROOT = Path(__file__).resolve().parents[1]
#: LOINC property (the bracket in the long common name) -> UCUM units that measure it
PROPERTY_UNITS = {"Mass/volume": {"mg/dL", "g/dL", "ng/mL"}, "Moles/volume": {"mmol/L"},
                  "Enzymatic activity/volume": {"U/L"}, "#/volume": {"10*9/L"}}


def loinc_check_digit(number: str) -> int:
    """LOINC's mod-10 check digit (Users' Guide: double every other digit from the right)."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10


def ucum_of(lab: str) -> str:
    return UCUM_UNITS[ANALYTES[lab].canonical_unit]


@pytest.mark.parametrize("code, ok", [("1975-2", True), ("1975-3", False), ("777-3", True),
                                      ("72007-8", True), ("2951-2", True), ("2951-1", False)])
def test_check_digit_rule(code, ok):
    number, digit = code.split("-")
    assert (loinc_check_digit(number) == int(digit)) is ok


def test_every_stored_lab_has_a_loinc_code_with_a_source():
    assert set(LAB_LOINC) == set(LABS)
    for lab, lc in LAB_LOINC.items():
        number, digit = lc.code.split("-")
        assert loinc_check_digit(number) == int(digit), lab
        assert re.search(r"\bIG\b|Sample Data Depot", lc.source), lab
    assert len({lc.code for lc in LAB_LOINC.values()}) == len(LAB_LOINC)


@pytest.mark.parametrize("lab", LABS)
def test_loinc_property_and_specimen_fit_the_unit_sent(lab):
    lc, ucum = LAB_LOINC[lab], ucum_of(lab)
    prop = re.search(r"\[(.+?)\]", lc.display)
    if lab == "inr":          # a ratio: no bracketed property, dimensionless UCUM annotation
        assert prop is None and lc.display.startswith("INR ") and ucum == "{INR}"
        return
    assert ucum in PROPERTY_UNITS[prop.group(1)], (lab, lc.display, ucum)
    specimen = "in Blood" if lab == "platelets" else "in Serum or Plasma"
    assert specimen in lc.display


def test_local_codes_say_why_they_are_local():
    assert "VR-36" in LOCAL_CODES_REASON and "RAND-36" in LOCAL_CODES_REASON


def test_readme_table_lists_the_same_codes_and_units():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("**FHIR codes**")
    table = readme[start:readme.index("\n\n", readme.index("| what |", start))]
    rows = [r for r in table.splitlines() if r.startswith("|") and "| LOINC |" in r]
    assert len(rows) == len(LAB_LOINC)
    for lab, lc in LAB_LOINC.items():
        row = f"| {lc.code} | {lc.display} | `{ucum_of(lab)}` |"
        assert any(r.endswith(row) for r in rows), row


def test_every_stored_status_has_its_fhir_status():
    """A status storage may hold never falls back to a guess (a new one fails here first)."""
    assert set(fhir_clinical._SUBJECT_STATUS) == set(PATIENT_STATUSES)
    assert set(fhir_clinical._ENCOUNTER_STATUS) == set(VISIT_STATUSES)
