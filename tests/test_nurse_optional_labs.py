"""The nurse clinical form saves all nine labs (five core + AFP, ALT, AST, platelets) through the
real StorageBackend on a temporary SQLite database, and restores them (symptoms.md §4)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import PASSWORDS, enrol, sqlite_db, sqlite_template, staff  # noqa: F401
from ui.nurse.backend import StorageBackend
from ui.nurse.clinical_form import ClinicalAssessmentForm
from ui.nurse.clinical_load import fill_form
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NINE = (("bilirubin", "40", "umol/L"), ("albumin", "32", "g/L"), ("inr", "1.4", None),
        ("creatinine", "90", "umol/L"), ("sodium", "136", None), ("afp", "1234.5", None),
        ("alt", "48", None), ("ast", "61", None), ("platelets", "87", None))


def _fill(form: ClinicalAssessmentForm) -> None:
    for name, value, unit in NINE:
        form.set_lab(name, value, unit)
    form.ascites.setCurrentIndex(form.ascites.findData("none"))
    form.encephalopathy.setCurrentIndex(form.encephalopathy.findData("none"))


def test_nurse_window_saves_all_nine_labs_to_storage(qtbot, sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    backend = StorageBackend(sqlite_db)
    win = NurseMainWindow(backend)
    qtbot.addWidget(win)
    failures: list[str] = []
    win.action_failed.connect(failures.append)
    with qtbot.waitSignal(win.patients_loaded, timeout=10000):
        win.login.user_edit.setText("nurse")
        win.login.password_edit.setText(PASSWORDS["nurse"])
        win.login.submit()
    w = win.work
    with qtbot.waitSignal(win.patient_loaded, timeout=10000):
        w.table.setCurrentIndex(w.proxy.index(0, 0))
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        w.visits.table.clearSelection()   # BL may be auto-selected, loaded already
        w.visits.select_code("BL")
    form = w.clinical
    _fill(form)
    assert form.problems_label.text() == "" and form.save_button.isEnabled()
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert failures == []
    stored = backend.clinical(v.visit_id)
    assert stored is not None
    labs = stored["labs"]
    assert set(labs) == {n for n, _, _ in NINE}
    assert (labs["afp"]["value"], labs["afp"]["unit"]) == ("1234.5", "ng/mL")
    assert (labs["alt"]["value"], labs["alt"]["unit"]) == ("48", "U/L")
    assert (labs["ast"]["value"], labs["ast"]["unit"]) == ("61", "U/L")
    assert (labs["platelets"]["value"], labs["platelets"]["unit"]) == ("87", "10^9/L")
    assert (labs["bilirubin"]["value"], labs["bilirubin"]["unit"]) == ("40", "umol/L")
    assert {"child_pugh", "meld", "meld_na", "meld3"} <= set(stored["derived"])
    # the window reloads the visit: the form shows what was stored
    for name, value, _ in NINE:
        assert form.lab_edits[name].text() == value
    assert form.unit_combos["platelets"].currentText() == "×10⁹/L"


def test_implausible_afp_blocks_save_with_the_shared_range(qtbot) -> None:
    form = ClinicalAssessmentForm()
    qtbot.addWidget(form)
    _fill(form)
    form.set_lab("afp", "2000000")
    msg = form.problems_label.text()
    assert "AFP" in msg and "2000000" in msg and "0–1000000 ng/mL" in msg
    assert not form.save_button.isEnabled()
    form.set_lab("platelets", "2001")
    assert "1–2000 ×10⁹/L" in form.problems_label.text()


def test_restore_of_a_stored_platelet_count_keeps_its_unit(qtbot, sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    backend = StorageBackend(sqlite_db)
    form = ClinicalAssessmentForm()
    qtbot.addWidget(form)
    form.set_patient(sex="F", birth_year=1966)
    _fill(form)
    backend.save_clinical(staff(sqlite_db, "nurse"), v.visit_id, form.values())
    again = ClinicalAssessmentForm()
    qtbot.addWidget(again)
    again.set_patient(sex="F", birth_year=1966)
    fill_form(again, backend.clinical(v.visit_id))
    assert again.values()["labs"] == form.values()["labs"]
    assert again.values()["labs"]["platelets"] == {"value": "87", "unit": "10^9/L"}
