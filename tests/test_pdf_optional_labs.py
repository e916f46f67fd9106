"""Visit summary PDF, clinician block: the optional labs (AFP, ALT, AST, platelets) stored with
the assessment are printed after the core labs, labelled in English and Chinese."""
from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from pg_server import pg_server_url  # noqa: F401
from reports.summary_loader import load_visit_summary
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401

NINE = {"bilirubin": {"value": 2.5, "unit": "mg/dL"}, "albumin": {"value": 3.0, "unit": "g/dL"},
        "inr": {"value": 1.5}, "creatinine": {"value": 1.2, "unit": "mg/dL"},
        "sodium": {"value": 131, "unit": "mmol/L"},
        "afp": {"value": "1234.5", "unit": "ng/mL"}, "alt": {"value": "48", "unit": "U/L"},
        "ast": {"value": "61", "unit": "U/L"}, "platelets": {"value": "87", "unit": "G/L"}}


def _store(db, subject: str, labs: dict) -> str:  # noqa: ANN001, F811
    """Store the labs at the patient's first visit; returns that visit's code."""
    v = enrol(db, subject)
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, {
        "sample_date": date(2026, 3, 2), "labs": labs, "ascites": "none",
        "encephalopathy": "none", "dialysis": False})
    return v.visits[0].code


def _pdf_lines(summary) -> tuple[list[str], list[str]]:  # noqa: ANN001
    buf = io.BytesIO()
    warnings = build_visit_summary(summary, buf)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(buf.getvalue())).pages)
    return [ln.strip() for ln in text.splitlines()], warnings


def test_loader_keeps_optional_labs_in_order_with_units(sqlite_db) -> None:  # noqa: F811
    block = load_visit_summary(sqlite_db, "OPT-1", _store(sqlite_db, "OPT-1", NINE)).clinician
    assert [lab.analyte for lab in block.labs] == [
        "bilirubin", "albumin", "inr", "creatinine", "sodium", "afp", "alt", "ast", "platelets"]
    got = {lab.analyte: (lab.value, lab.unit, lab.sample_date) for lab in block.labs}
    assert got["afp"] == (1234.5, "ng/mL", date(2026, 3, 2))
    assert got["alt"] == (48.0, "U/L", date(2026, 3, 2))
    assert got["ast"] == (61.0, "U/L", date(2026, 3, 2))
    assert got["platelets"] == (87.0, "10^9/L", date(2026, 3, 2))


@pytest.mark.parametrize("lang, labels", [
    ("en", ("AFP", "ALT", "AST", "Platelets")),
    ("zh_CN", ("甲胎蛋白", "ALT", "AST", "血小板")),
])
def test_pdf_prints_optional_labs(sqlite_db, lang, labels) -> None:  # noqa: F811
    first = _store(sqlite_db, "OPT-2", NINE)
    lines, warnings = _pdf_lines(load_visit_summary(sqlite_db, "OPT-2", first, lang=lang))
    assert warnings == []
    for label, value, unit in zip(labels, ("1234.5", "48", "61", "87"),
                                  ("ng/mL", "U/L", "U/L", "×10⁹/L")):
        i = lines.index(label)                  # one cell per line: label, value, unit, date
        assert lines[i + 1:i + 4] == [value, unit, "2026-03-02"], lines[i:i + 4]
    # core labs first, the optional ones after them
    assert lines.index(labels[0]) > lines.index("2.5")

def test_pdf_without_optional_labs_prints_none_of_them(sqlite_db) -> None:  # noqa: F811
    core = {k: NINE[k] for k in ("bilirubin", "albumin", "inr", "creatinine", "sodium")}
    lines, _ = _pdf_lines(load_visit_summary(sqlite_db, "OPT-3", _store(sqlite_db, "OPT-3", core)))
    assert "2.5" in lines                              # the core labs are printed
    assert not {"AFP", "ALT", "AST", "Platelets", "ng/mL", "U/L"} & set(lines)
