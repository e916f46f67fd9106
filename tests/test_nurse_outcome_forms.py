"""Outcome forms in the nurse workstation over the REAL storage (issue 15 item 1): the forms the
protocol gives the visit, live messages from the forms check, save, an alert raised by storage,
correction with a reason."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from storage import services as sv
from storage_fixtures import PASSWORDS, enrol, sqlite_db, sqlite_template, staff  # noqa: F401
from ui.nurse.backend import StorageBackend
from ui.nurse.clinical_form import ClinicalAssessmentForm
from ui.nurse.clinical_load import fill_form
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _open(qtbot, db, code: str):  # noqa: ANN001, ANN202
    enrol(db, "T-OUT", day1=date.today() - timedelta(days=100))
    win = NurseMainWindow(StorageBackend(db, station_id="WS-T"))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        win.login.user_edit.setText("nurse")
        win.login.password_edit.setText(PASSWORDS["nurse"])
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)
    w = win.work
    with qtbot.waitSignal(win.patient_loaded, timeout=20000):
        w.table.setCurrentIndex(w.proxy.index(0, 0))
    with qtbot.waitSignal(win.visit_loaded, timeout=20000):
        w.visits.select_code(code)
    w.tabs.setCurrentWidget(w.outcomes)
    return win, w.outcomes


def _kinds(o) -> list:  # noqa: ANN001
    return [o.kind_box.itemData(i) for i in range(o.kind_box.count())]


def test_forms_of_the_visit_live_messages_save_and_correct(qtbot, sqlite_db) -> None:  # noqa: F811
    win, o = _open(qtbot, sqlite_db, "W12")
    assert _kinds(o) == ["imaging", "hcc", "vital_status",   # W12's staff forms in the
                         "adverse_event"]                    # protocol
    o.field("date").widget.setText(date.today().isoformat())
    o.field("modality").widget.setCurrentIndex(1)
    o.field("liver_size_cm").widget.setText("80")
    assert "Liver size (cm): 80 is outside the plausible range" in o.problems.text()
    o.field("liver_size_cm").widget.setText("12.5")
    assert o.problems.text() == ""
    with qtbot.waitSignal(o.saved, timeout=10000):
        qtbot.mouseClick(o.save_button, Qt.MouseButton.LeftButton)
    [rec] = sv.list_outcomes(sqlite_db, None, kind="imaging")
    assert rec.fields["liver_size_cm"] == 12.5 and rec.visit_code == "W12"
    assert o.records.count() == 1
    o._edit_item(o.records.item(0))                   # correct it: a reason is required
    o.field("liver_size_cm").widget.setText("13")
    qtbot.mouseClick(o.save_button, Qt.MouseButton.LeftButton)
    assert "reason" in o.problems.text().lower()
    o.reason.setText("read from the report again")
    with qtbot.waitSignal(o.saved, timeout=10000):
        qtbot.mouseClick(o.save_button, Qt.MouseButton.LeftButton)
    [rec] = sv.list_outcomes(sqlite_db, None, kind="imaging")
    assert rec.fields["liver_size_cm"] == 13 and rec.version == 2


def test_unscheduled_visit_ae_form_raises_an_alert_in_storage(qtbot,
                                                             sqlite_db) -> None:  # noqa: F811
    win, o = _open(qtbot, sqlite_db, "W4")
    assert _kinds(o) == ["vital_status", "adverse_event"]    # after dosing: AE, vital status
    assert not o.empty.isVisibleTo(o)
    pid = sv.find_patient(sqlite_db, "T-OUT").id
    sv.add_unscheduled_visit(sqlite_db, win.actor, pid, reason="fever")
    win.select_patient(pid)
    qtbot.waitUntil(lambda: any(v.code == "UNS1" for v in win.work.visits.visits), timeout=20000)
    with qtbot.waitSignal(win.visit_loaded, timeout=20000):
        win.work.visits.select_code("UNS1")
    assert "adverse_event" in _kinds(o) and "hcc" in _kinds(o)
    o.kind_box.setCurrentIndex(_kinds(o).index("adverse_event"))
    today = date.today().isoformat()
    for key, text in (("term", "Variceal bleeding"), ("onset", today), ("grade", "3")):
        o.field(key).widget.setText(text)
    for key, code in (("serious", "yes"), ("relatedness", "unlikely"), ("action", "none"),
                      ("outcome", "recovering")):
        combo = o.field(key).widget
        combo.setCurrentIndex(combo.findData(code))
    assert "Seriousness criteria: required." in o.problems.text()
    next(b for b in o.field("serious_criteria").boxes
         if b.property("code") == "hospitalisation").setChecked(True)
    with qtbot.waitSignal(o.saved, timeout=10000):
        qtbot.mouseClick(o.save_button, Qt.MouseButton.LeftButton)
    assert {a.reason for a in sv.list_alerts(sqlite_db, patient_id=pid)} == {
        "serious_ae", "ae_grade_3plus"}
    o.kind_box.setCurrentIndex(_kinds(o).index("hcc"))
    o._edit_item(o.records.item(0))                   # the chooser names the corrected form
    assert o.kind_box.currentData() == "adverse_event" and o.reason.isVisibleTo(o)


def test_clinician_form_keeps_imaging_and_vital_status_only_for_old_rows(
        qtbot, sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-OLD")
    form = ClinicalAssessmentForm()
    qtbot.addWidget(form)
    form.show()
    fill_form(form, None)                           # a new assessment: typed forms hold these
    assert not form.imaging_box.isVisible() and not form.vital.isVisible()
    sv.enter_clinical_assessment(sqlite_db, staff(sqlite_db, "nurse"), v.visit_id, {
        "sample_date": date.today(), "labs": {}, "vital_status": "alive",
        "imaging": {"liver_size_cm": 12}})          # an assessment with the old fields
    fill_form(form, sv.clinical_assessment(sqlite_db, v.visit_id))
    assert form.imaging_box.isVisible() and form.vital.isVisible()
    assert form.imaging_edits["liver_size_cm"].text() == "12"
