"""With the interface in zh_CN, a refusal from storage reaches the staff in Chinese (real SQLite
storage, real windows): a visit dated before consent, an implausible lab value, an action by an
account deactivated meanwhile; and at the kiosk, a hand-over storage refuses."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel

from storage import services as sv
from storage_fixtures import PASSWORDS, enrol, sqlite_db, sqlite_template, staff  # noqa: F401
from test_kiosk_support import (click, dispose, kiosk_store, kiosk_template,  # noqa: F401
                                make_window, unlock)
from ui import i18n
from ui.nurse.backend import StorageBackend
from ui.nurse.enrol_dialog import EnrolDialog
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{4,}")


@pytest.fixture
def zh():
    i18n.set_language("zh_CN")
    i18n.install_staff_translators("zh_CN")
    yield
    i18n.set_language("en")
    i18n.install_staff_translators("en")


def _chinese(text: str) -> bool:
    """Chinese sentence, no English words left (units such as mg/dL are not words)."""
    return bool(CJK.search(text)) and not LATIN_WORD.findall(text.replace("mg/dL", ""))


@pytest.fixture
def win(qtbot, sqlite_db, zh):  # noqa: F811
    v = enrol(sqlite_db)
    w = NurseMainWindow(StorageBackend(sqlite_db))
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.patients_loaded, timeout=20000):
        w.login.user_edit.setText("nurse")
        w.login.password_edit.setText(PASSWORDS["nurse"])
        qtbot.mouseClick(w.login.login_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(w.patient_loaded, timeout=20000):
        w.work.table.setCurrentIndex(w.work.proxy.index(0, 0))
    w.enrolled = v
    return w


def test_visit_before_consent_is_refused_in_chinese(qtbot, win, sqlite_db):  # noqa: F811
    consent = sv.get_patient(sqlite_db, win.enrolled.patient_id).consent_date
    dlg = win.patient_actions.open_add_visit()
    assert dlg is not None
    dlg.kind.setCurrentIndex(dlg.kind.findData("unscheduled"))
    day = consent - timedelta(days=3)
    dlg.date.setDate(QDate(day.year, day.month, day.day))
    dlg.reason.setPlainText("新症状")
    with qtbot.waitSignal(win.action_failed, timeout=10000) as got:
        qtbot.mouseClick(dlg.ok_button(), Qt.MouseButton.LeftButton)
    assert got.args[0] == f"访视日期不能早于知情同意日期（{consent:%Y-%m-%d}）。"
    assert dlg.message.text() == got.args[0]
    assert len(sv.patient_visits(sqlite_db, win.enrolled.patient_id)) == len(
        win.enrolled.visits)                                    # nothing added


def test_implausible_lab_value_is_refused_in_chinese(qtbot, win, sqlite_db):  # noqa: F811
    w = win.work
    with qtbot.waitSignal(win.visit_loaded, timeout=20000):
        w.visits.table.clearSelection()   # BL may be auto-selected, loaded already
        w.visits.select_code("BL")
    form = w.clinical
    form.set_lab("bilirubin", "900", "mg/dL")                         # the screen's preview (forms.labs)
    qtbot.waitUntil(lambda: "900" in form.problems_label.text(), timeout=5000)
    assert CJK.search(form.problems_label.text()) and not form.save_button.isEnabled()
    # storage refuses the same value from any caller, and the window shows why in Chinese
    data = form.values()
    data["labs"]["bilirubin"] = {"value": "900", "unit": "mg/dL"}
    with qtbot.waitSignal(win.action_failed, timeout=10000) as got:
        win.save_clinical(data)
    assert got.args[0] == "总胆红素 900 mg/dL：数值不合理（合理范围 0.1–80 mg/dL）；请核对数值及其单位"
    assert _chinese(got.args[0])
    assert sv.clinical_assessment(sqlite_db, win.visit_id) is None         # nothing saved


def test_action_of_a_deactivated_account_is_refused_in_chinese(qtbot, win, sqlite_db):  # noqa: F811
    nurse = next(u for u in sv.list_users(sqlite_db, staff(sqlite_db, "admin"))
                 if u.username == "nurse")
    sv.set_user_active(sqlite_db, staff(sqlite_db, "admin"), nurse.id, False,
                       reason="left the study team")
    dlg = win.patient_actions.open_add_visit()
    dlg.kind.setCurrentIndex(dlg.kind.findData("unscheduled"))
    dlg.reason.setPlainText("新症状")
    with qtbot.waitSignal(win.action_failed, timeout=10000) as got:
        qtbot.mouseClick(dlg.ok_button(), Qt.MouseButton.LeftButton)
    assert got.args[0] == "该账户已停用；请联系管理员。"


# -- kiosk ------------------------------------------------------------------------------------
def test_kiosk_hand_over_refused_by_storage_tells_staff_why_in_chinese(qtbot, kiosk_store):  # noqa: F811
    """The nurse unlocked the kiosk; an administrator deactivates the account before she
    chooses the visit: storage refuses the hand-over and the kiosk (in zh_CN) says why."""
    store = kiosk_store
    win = make_window(qtbot, store.backend, lang="zh_CN")
    try:
        unlock(qtbot, win)
        assert win.controller.phase == "staff"
        admin = sv.authenticate(store.db, "admin", PASSWORDS["admin"])
        nurse = next(u for u in sv.list_users(store.db, admin) if u.username == "nurse")
        sv.set_user_active(store.db, admin, nurse.id, False, reason="left the study team")
        click(qtbot, win, f"Visit_{store.a.visit_id}")
        qtbot.waitUntil(lambda: any(o.objectName() == "HandOverFailed" for o in win.overlays))
        texts = [w.text() for w in win.overlays[-1].findChildren(QLabel)]
        assert "自助终端未能交给患者" in texts
        assert "该账户已停用；请联系管理员。" in texts
        click(qtbot, win, "HandOverFailedOk")
        assert win.controller.phase == "locked"
    finally:
        dispose(win)


def test_enrol_dialog_names_an_implausible_lab_and_a_date_problem_in_chinese(
        qtbot, sqlite_db, zh):  # noqa: F811
    dlg = EnrolDialog(sv.current_protocol(sqlite_db), lambda u, p: None)
    qtbot.addWidget(dlg)
    dlg.unit_combos["bilirubin"].setCurrentIndex(dlg.unit_combos["bilirubin"].findData("mg/dL"))
    dlg.lab_edits["bilirubin"].setText("900")
    qtbot.waitUntil(lambda: "900" in dlg.scores_label.text(), timeout=5000)
    assert "总胆红素 900 mg/dL: 不合理" in dlg.scores_label.text()
    assert "bilirubin" not in dlg.scores_label.text()          # never the internal code
    screening = dlg.screening_date.date()
    dlg.birth.setDate(screening.addDays(1))                    # born after screening
    qtbot.waitUntil(lambda: bool(dlg.message.text()), timeout=5000)
    assert dlg.message.text() == "筛选数据：出生日期晚于筛选日期"
