"""The Today view on real storage (issue 14): first tab after login, one service call off the GUI
thread, sections due today / this week / overdue / alerts / awaiting signature, each row opens
its patient and visit."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from storage import services as sv
from storage_fixtures import (PASSWORDS, answer_all, enrol, sqlite_db,  # noqa: F401
                              at_kiosk, sqlite_template, staff)
from ui.nurse.backend import StorageBackend
from ui.nurse.main_window import NurseMainWindow
from ui.nurse.today import ALERT, DUE, OVERDUE, SIGN, TodayModel, overview_rows

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def study(sqlite_db):  # noqa: F811, ANN001, ANN201
    today = date.today()
    enrol(sqlite_db, "T-1", day1=today)
    late = enrol(sqlite_db, "T-2", day1=today - timedelta(days=20))
    done = enrol(sqlite_db, "T-3", day1=today)
    nurse = staff(sqlite_db, "nurse")
    adm = sv.start_administration(sqlite_db, nurse, visit_id=done.visit_id,
                                  instrument_id="csc", language="en")
    pat = at_kiosk(sqlite_db, done.visit_id)
    answer_all(sqlite_db, pat, adm, code_for=lambda item, codes: codes[-1]
               if item.startswith("A") else codes[0])          # warning signs answered Yes
    sv.submit_administration(sqlite_db, pat, adm)
    for inst in sv.remaining_battery(sqlite_db, done.visit_id):   # battery done: completed
        nxt = sv.start_administration(sqlite_db, nurse, visit_id=done.visit_id,
                                      instrument_id=inst, language="en")
        answer_all(sqlite_db, pat, nxt)
        sv.submit_administration(sqlite_db, pat, nxt)
    return sqlite_db, late, done


def test_today_model_rows_and_reasons(qtmodeltester, study) -> None:
    db, late, done = study
    o = sv.today_overview(db, staff(db, "nurse"))
    rows = overview_rows(o, "en")
    model = TodayModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    sections = [r.section for r in rows]
    assert sections == sorted(sections, key=[ALERT, OVERDUE, DUE, "week", SIGN].index)
    alerts = [r for r in rows if r.section == ALERT]
    assert alerts and all(r.subject_id == "T-3" for r in alerts)
    assert all("answered" in r.details and "warning_sign" not in r.details for r in alerts)
    assert [r.visit_id for r in rows if r.section == SIGN] == [done.visit_id]
    assert late.visit_id in [r.visit_id for r in rows if r.section == OVERDUE]
    model.set_section(SIGN)                                  # one list at a time
    assert [r.visit_id for r in model.rows] == [done.visit_id] and model.rowCount() == 1
    model.set_section(None)
    assert model.rowCount() == len(rows)


def test_today_is_the_first_tab_and_rows_open_patient_and_visit(qtbot, study) -> None:
    db, late, done = study
    win = NurseMainWindow(StorageBackend(db, station_id="WS-T"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        win.login.user_edit.setText("investigator")
        win.login.password_edit.setText(PASSWORDS["investigator"])
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)
    w = win.work
    assert w.tabs.currentWidget() is w.today and w.tabs.indexOf(w.today) == 0
    qtbot.waitUntil(lambda: w.today.model.rowCount() > 0, timeout=20000)
    assert "1 awaiting signature" in w.today.summary.text()
    combo = w.today.show_section
    combo.setCurrentIndex(combo.findData(SIGN))
    assert [r.section for r in w.today.model.rows] == [SIGN]
    combo.setCurrentIndex(0)
    row = next(i for i, r in enumerate(w.today.model.rows) if r.section == SIGN)
    with qtbot.waitSignal(win.visit_loaded, timeout=20000):
        w.today.table.selectRow(row)
        qtbot.mouseClick(w.today.open_button, Qt.MouseButton.LeftButton)
    assert win.patient_id == done.patient_id and win.visit_id == done.visit_id
    assert w.tabs.currentWidget() is w.review and w.review.sign_button.isEnabled()
    assert w.open_patient_id == done.patient_id
    overdue = next(i for i, r in enumerate(w.today.model.rows)
                   if r.section == OVERDUE and r.visit_id == late.visit_id)
    w.tabs.setCurrentWidget(w.today)
    with qtbot.waitSignal(win.patient_loaded, timeout=20000):
        w.today.table.selectRow(overdue)
        w.today.open_button.click()
    qtbot.waitUntil(lambda: w.tabs.currentWidget() is w.visits, timeout=20000)
    assert win.patient_id == late.patient_id
    assert w.visits.current_visit().id == late.visit_id


def test_admin_has_no_today_view(qtbot, sqlite_db) -> None:  # noqa: F811
    win = NurseMainWindow(StorageBackend(sqlite_db, station_id="WS-T"))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.logged_in, timeout=20000):
        win.login.user_edit.setText("admin")
        win.login.password_edit.setText(PASSWORDS["admin"])
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)
    assert getattr(win.work, "today", None) is None


def test_empty_study_shows_how_to_start(qtbot, sqlite_db) -> None:  # noqa: F811
    win = NurseMainWindow(StorageBackend(sqlite_db, station_id="WS-T"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        win.login.user_edit.setText("nurse")
        win.login.password_edit.setText(PASSWORDS["nurse"])
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)
    hint = win.work.empty_hint
    assert hint.isVisible() and "No patients yet" in hint.text() and "Enrol patient" in hint.text()
    enrol(sqlite_db, "E-1")
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        win.reload_patients()
    assert not hint.isVisible()
    win.work.search.setText("nobody-here")
    assert hint.isVisible() and "matches" in hint.text()
