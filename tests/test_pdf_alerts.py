"""The visit summary's alert box prints the stored staff alerts with their acknowledgement
(real SQLite storage, real PDF)."""
from __future__ import annotations

import io

from pypdf import PdfReader

from forms import csc
from reports.summary_loader import load_visit_summary
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage_fixtures import sqlite_db, sqlite_template, staff  # noqa: F401
from test_storage_alerts import _csc_with


def _first_page(db, lang: str = "en") -> str:
    code = sv.patient_visits(db, sv.find_patient(db, "S-ALERT").id)[0].code
    buf = io.BytesIO()
    build_visit_summary(load_visit_summary(db, "S-ALERT", code, lang=lang), buf)
    return " ".join(PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text().split())


def test_alert_box_shows_stored_alerts_and_acknowledgement(sqlite_db):
    _csc_with(sqlite_db, {"A2": csc.YES, "A5": csc.NOT_SURE})
    text = _first_page(sqlite_db)
    assert "Black or bloody stools: patient answered Yes" in text
    assert "Rapid belly or weight increase: patient answered Not sure" in text
    assert text.count("not yet acknowledged") == 2
    a2 = next(a for a in sv.list_alerts(sqlite_db) if a.item_id == "A2")
    sv.acknowledge_alert(sqlite_db, staff(sqlite_db, "nurse"), a2.id, "seen")
    text = _first_page(sqlite_db)
    assert "acknowledged by nurse" in text and text.count("not yet acknowledged") == 1
    assert "尚未确认" in _first_page(sqlite_db, "zh_CN")
