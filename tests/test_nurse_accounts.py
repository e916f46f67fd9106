"""Staff screens on real storage (issue 14 item 7): an administrator's reset forces a password
change right after login, before anything else; "Change my password…" from the Account menu."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from storage import services as sv
from storage.models import AuditEvent
from storage_fixtures import PASSWORDS, sqlite_db, sqlite_template, staff  # noqa: F401
from ui.nurse.admin_users import AdminUsersWidget
from ui.nurse.backend import StorageBackend
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _window(qtbot, db) -> NurseMainWindow:  # noqa: ANN001
    win = NurseMainWindow(StorageBackend(db, station_id="WS-T"))
    qtbot.addWidget(win)
    win.show()
    return win


def _type_login(qtbot, win, user: str, password: str) -> None:  # noqa: ANN001
    win.login.user_edit.setText(user)
    win.login.password_edit.setText(password)
    qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)


def _actions(db) -> list[str]:  # noqa: ANN001
    with db.session() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_admin_reset_then_forced_change_first(qtbot, sqlite_db) -> None:  # noqa: F811
    admin = sv.authenticate(sqlite_db, "admin", PASSWORDS["admin"])
    users = AdminUsersWidget(sqlite_db, admin)
    qtbot.addWidget(users)
    row = next(i for i, u in enumerate(users.model.rows) if u.username == "nurse")
    users.table.selectRow(row)
    users.reason.setText("forgot the password")
    users.temp_pw.setText("password1")
    users.temp_pw2.setText("password1")
    users.reset_button.click()
    assert "common" in users.message.text()             # the policy refused it, nothing stored
    users.temp_pw.setText("temp-pass-123")
    users.temp_pw2.setText("temp-pass-123")
    users.reset_button.click()
    assert "Temporary password set" in users.message.text()
    assert "must change password" in users.model.data(users.model.index(row, 3))

    win = _window(qtbot, sqlite_db)
    _type_login(qtbot, win, "nurse", "temp-pass-123")
    qtbot.waitUntil(lambda: win.password_changer.dialog is not None
                    and win.password_changer.dialog.isVisible(), timeout=20000)
    dlg = win.password_changer.dialog
    assert dlg.forced and win.work is None and win.actor is None     # nothing else yet
    dlg.old.setText("temp-pass-123")
    dlg.new.setText("nurse-2026-ward")
    dlg.repeat.setText("nurse-2026-ward")
    assert not dlg.ok_button.isEnabled() and "user name" in dlg.message.text()
    dlg.new.setText("my-own-pass-42")
    dlg.repeat.setText("my-own-pass-42")
    assert dlg.ok_button.isEnabled()
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert win.actor is not None and not win.actor.must_change_password
    assert sv.authenticate(sqlite_db, "nurse", "my-own-pass-42").role == "nurse"
    acts = _actions(sqlite_db)
    assert acts.index("user.password_reset") < acts.index("user.password_change")


def test_forced_change_cancelled_logs_out(qtbot, sqlite_db) -> None:  # noqa: F811
    admin = sv.authenticate(sqlite_db, "admin", PASSWORDS["admin"])
    sv.reset_password(sqlite_db, admin, staff(sqlite_db, "nurse").user_id,
                      temporary_password="temp-pass-123", reason="new phone")
    win = _window(qtbot, sqlite_db)
    _type_login(qtbot, win, "nurse", "temp-pass-123")
    qtbot.waitUntil(lambda: win.password_changer.dialog is not None
                    and win.password_changer.dialog.isVisible(), timeout=20000)
    win.password_changer.dialog.reject()
    assert win.work is None and win.actor is None
    assert win.stack.currentWidget() is win.login and "changed" in win.login.message_label.text()


def test_change_my_password_from_the_menu(qtbot, sqlite_db) -> None:  # noqa: F811
    win = _window(qtbot, sqlite_db)
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        _type_login(qtbot, win, "nurse", PASSWORDS["nurse"])
    assert win.change_password_action.isVisible()
    win.change_password_action.trigger()
    dlg = win.password_changer.dialog
    assert dlg is not None and not dlg.forced
    dlg.old.setText("not-my-password")
    dlg.new.setText("brand-new-pass-7")
    dlg.repeat.setText("brand-new-pass-7")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "current password is wrong" in dlg.message.text(), timeout=20000)
    assert dlg.isVisible() and dlg.old.text() == ""
    dlg.old.setText(PASSWORDS["nurse"])
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=20000)
    assert sv.authenticate(sqlite_db, "nurse", "brand-new-pass-7").role == "nurse"
    assert "user.password_change" in _actions(sqlite_db)


def test_account_signing_and_today_screens_in_chinese(qtbot) -> None:
    from PySide6.QtCore import QCoreApplication
    from ui.nurse.dialogs import SignDialog
    from ui.nurse.password_dialog import ChangePasswordDialog
    from ui.nurse.translations import install_nurse_translator
    from ui.widgets.password_policy import policy_messages
    tr = install_nurse_translator("zh_CN")
    assert tr is not None
    try:
        dlg = ChangePasswordDialog("nurse", forced=True)
        qtbot.addWidget(dlg)
        assert dlg.windowTitle() == "修改我的密码" and dlg.ok_button.text() == "修改密码"
        assert policy_messages("password", "nurse")[-1] == "该密码属于最常见的密码之一，请另选一个。"
        sign = SignDialog("Ina", "S-1", "BL", needs_user_id=True)
        qtbot.addWidget(sign)
        assert sign.user_id_label.text() == "用户名" and "首次签名" in sign.first_note.text()
        assert QCoreApplication.translate("TodayView", "Awaiting signature") == "待签名"
    finally:
        QCoreApplication.instance().removeTranslator(tr)
