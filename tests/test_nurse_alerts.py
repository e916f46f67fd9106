"""Staff alerts at the workstation on real storage (issue 12 item 7): the notice after login,
acknowledging (audited), the patient list's alert column with its reason visible at 1280 px;
and "Set my kiosk PIN…" (item 6)."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from forms import csc
from storage import services as sv
from storage_fixtures import (PASSWORDS, answer_all, enrol, sqlite_db,  # noqa: F401
                              at_kiosk, sqlite_template, staff)
from ui.nurse.backend import StorageBackend
from ui.nurse.main_window import NurseMainWindow
from ui.nurse.patient_table import COL

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
REASON = "Black or bloody stools: patient answered Yes"


@pytest.fixture
def study(sqlite_db):  # noqa: F811, ANN001, ANN201
    enrol(sqlite_db, "T-QUIET", day1=date.today())
    v = enrol(sqlite_db, "T-ALERT", day1=date.today())
    adm = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id=csc.INSTRUMENT_ID, language="en")
    pat = at_kiosk(sqlite_db, v.visit_id)
    answer_all(sqlite_db, pat, adm, code_for=lambda item, codes: csc.YES if item in ("A2", "A6")
               else 0 if 0 in codes else codes[0])
    sv.submit_administration(sqlite_db, pat, adm)
    return sqlite_db, v


def _login(qtbot, db, user: str = "nurse"):  # noqa: ANN001, ANN202
    win = NurseMainWindow(StorageBackend(db, station_id="WS-T"))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        win.login.user_edit.setText(user)
        win.login.password_edit.setText(PASSWORDS[user])
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)
    return win


def test_list_row_carries_the_worst_open_alert_with_its_reason(study) -> None:
    db, v = study
    rows = {r.subject_id: r for r in StorageBackend(db, station_id="WS-T").list_patients()}
    assert rows["T-QUIET"].alert is None and rows["T-QUIET"].alert_reason is None
    row = rows["T-ALERT"]
    assert row.alert == "red" and row.alert_count == 2
    assert row.alert_reason in (REASON, "Much less urine: patient answered Yes")


def test_notice_at_login_acknowledge_audited_and_column_visible(qtbot, study) -> None:
    db, v = study
    win = _login(qtbot, db)
    qtbot.waitUntil(lambda: win.alerts_notice is not None, timeout=20000)
    dlg = win.alerts_notice
    lines = [dlg.list.item(i).text() for i in range(dlg.list.count())]
    assert len(lines) == 2 and any(REASON in t and "T-ALERT" in t for t in lines)
    # the list's alert column: reason shown, on screen at 1280 px without scrolling
    w = win.work
    model, h = w.model, w.table.horizontalHeader()
    r = next(i for i, row in enumerate(model.rows()) if row.subject_id == "T-ALERT")
    shown = model.index(r, COL["alert"]).data()
    assert shown.startswith("RED \u2014 ") and "(+1 more)" in shown
    assert REASON in shown or "Much less urine" in shown
    assert h.sectionViewportPosition(COL["alert"]) + h.sectionSize(COL["alert"]) \
        <= w.table.viewport().width()
    # acknowledge one: audited with actor and note, gone from the notice and the open alerts
    dlg.note.setText("called the patient in")
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        qtbot.mouseClick(dlg.ack_button, Qt.MouseButton.LeftButton)
    assert dlg.list.count() == 1
    acked = [a for a in sv.list_alerts(db, patient_id=v.patient_id) if a.acknowledged]
    assert [(a.acknowledged_by, a.ack_note) for a in acked] == [("nurse",
                                                                  "called the patient in")]
    assert "alert.acknowledge" in [h.action for h in sv.audit_history(db,
                                                                      patient_id=v.patient_id)]
    r = next(i for i, row in enumerate(w.model.rows()) if row.subject_id == "T-ALERT")
    assert "(+1 more)" not in w.model.index(r, COL["alert"]).data()


def test_admin_gets_no_alert_notice(qtbot, study) -> None:
    db, _ = study
    win = NurseMainWindow(StorageBackend(db, station_id="WS-T"))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.logged_in, timeout=20000):
        win.login.user_edit.setText("admin")
        win.login.password_edit.setText(PASSWORDS["admin"])
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)
    assert win.alerts_notice is None and not win.kiosk_pin_action.isVisible()


def test_set_my_kiosk_pin(qtbot, sqlite_db) -> None:  # noqa: F811
    win = _login(qtbot, sqlite_db)
    assert win.kiosk_pin_action.isVisible()
    dlg = win.open_kiosk_pin()
    dlg.password.setText(PASSWORDS["nurse"])
    dlg.pin.setText("1234")
    dlg.repeat.setText("1234")
    dlg.ok_button.click()
    assert "run of digits" in dlg.message.text()
    dlg.pin.setText("4071")
    dlg.repeat.setText("4071")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        dlg.ok_button.click()
    assert sv.kiosk_pin_users(sqlite_db) == ["nurse"]
    assert sv.authenticate_pin(sqlite_db, "nurse", "4071").role == "nurse"


def test_alert_and_pin_texts_in_chinese(qtbot) -> None:
    from PySide6.QtCore import QCoreApplication

    from ui.nurse.kiosk_pin_dialog import problem_text
    from ui.nurse.translations import install_nurse_translator
    tr = install_nurse_translator("zh_CN")
    try:
        assert problem_text("sequence") == \
            "PIN 码不能是连续数字（例如 1234 或 9876）。"
        assert QCoreApplication.translate("AlertsNotice", "Unacknowledged alerts") == \
            "未确认的警示"
        assert QCoreApplication.translate("PatientTable", "(+%1 more)") == "（另有 %1 条）"
    finally:
        QCoreApplication.instance().removeTranslator(tr)
