"""The Review tab's history of a clinician-assessment value (issue 14 item 3), real storage:
as entered by the nurse, the investigator's correction with its reason, the current value, all
in the form's words (labels and units, never codes)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nurse_demo import backend_for, demo_db, demo_template, login, open_row  # noqa: F401
from storage import services as sv
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_corrected_lab_shows_entry_correction_and_current(qtbot, demo_db):
    p, v = next((p, v) for p in sv.list_patients(demo_db) for v in sv.patient_visits(demo_db, p.id)
                if (sv.clinical_assessment(demo_db, v.id) or {}).get("labs", {}).get("sodium")
                and not v.locked)
    stored = sv.clinical_assessment(demo_db, v.id)
    old = stored["labs"]["sodium"]["value"]
    win = NurseMainWindow(backend_for(demo_db), demo=True)
    qtbot.addWidget(win)
    login(qtbot, win, "investigator")
    w = win.work
    labs = {k: {"value": e["value"], "unit": e["unit"]} for k, e in stored["labs"].items()}
    labs["sodium"] = {"value": "127", "unit": "mmol/L"}
    sv.enter_clinical_assessment(demo_db, win.actor, v.id, {
        "sample_date": stored["sample_date"], "labs": labs, "ascites": stored["ascites"],
        "encephalopathy": stored["encephalopathy"], "symptom_grades": stored["symptom_grades"],
        "dialysis": stored["dialysis"], "vital_status": stored["vital_status"],
        "death_date": stored["death_date"], "imaging": stored["imaging"] or None,
        "reason": "source_document: lab sheet of the day", "expected_version": stored["version"]})
    w.proxy.sort(0, Qt.SortOrder.AscendingOrder)
    rows = [w.proxy.index(r, 0).data() for r in range(w.proxy.rowCount())]
    open_row(qtbot, win, rows.index(p.subject_id))
    with qtbot.waitSignal(win.visit_loaded, timeout=20000):
        w.visits.select_code(v.code)
    assert w.review.select_clinical("labs.sodium")
    assert w.review.selected() is None and not w.review.correct_button.isEnabled()
    item = w.review.tree.currentItem()
    assert (item.text(1), item.text(2), item.text(3)) == ("Sodium", "127 mmol/L", "1")
    lines = w.review.history.lines()
    assert lines[0].startswith(f"As entered by nurse (study nurse): {old} mmol/L")
    assert ("Corrected by investigator (investigator)" in lines[1]
            and f"{old} mmol/L → 127 mmol/L" in lines[1]
            and "Corrected from the source document: lab sheet of the day" in lines[1])
    assert lines[-1] == "Current: 127 mmol/L"
    assert w.review.select_clinical("ascites")
    assert "_" not in w.review.tree.currentItem().text(2)
