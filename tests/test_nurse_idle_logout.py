"""Idle logout on the real storage (issue 14 item 5): a countdown 30 s (here: 1 s) before, that
any input cancels; at logout every dialog with patient data closes, unsaved entries are
discarded (and named), and the logout is audited with its reason. No sleeps: signals only."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from nurse_demo import backend_for, demo_db, demo_template, login, open_visit  # noqa: F401
from nurse_demo import reviewable_visit
from storage import services as sv
from ui.nurse.main_window import NurseMainWindow
from ui.widgets.idle import IdleWarningDialog, IdleWatcher

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _gone(w) -> bool:
    return not shiboken6.isValid(w) or not w.isVisible()     # closed (and maybe destroyed)


def _logouts(db, username):
    return [r for r in sv.audit_history(db) if r.action == "auth.logout"
            and r.actor_username == username]


def test_watcher_warns_before_and_input_resumes(qtbot):
    w = IdleWatcher(timeout_ms=1500, warn_ms=1000)
    with qtbot.waitSignal(w.warning, timeout=3000):
        w.start()
    assert 0 < w.remaining_ms() <= 1100      # (timer granularity)
    with qtbot.waitSignal(w.resumed, timeout=2000):
        w.poke()                                # what any key or mouse input does
    assert w.remaining_ms() > 1000 and not w.warned
    with qtbot.waitSignal(w.timed_out, timeout=5000):
        pass
    w.stop()


def test_countdown_dialog_any_input_cancels_then_idle_logout_closes_everything(
        qtbot, demo_db):
    target = reviewable_visit(demo_db, "q1")
    win = NurseMainWindow(backend_for(demo_db), demo=True, idle_warn_ms=1500)
    qtbot.addWidget(win)
    win.show()
    login(qtbot, win, "nurse")
    w = open_visit(qtbot, win, target)
    enrol = win.open_enrol()
    enrol.full_name.setText("Wang Xiuying")          # patient data typed, not saved
    w.clinical.lab_edits["sodium"].setText("128")

    # the countdown appears; a key press on it cancels the logout
    with qtbot.waitSignal(win.idle.warning, timeout=5000):
        win.idle.set_timeout_ms(2500)        # short idle from here on (the set-up takes time)
    dlg = win.session_guard.warning_dialog
    assert isinstance(dlg, IdleWarningDialog) and dlg.isVisible()
    assert dlg.seconds_left() in (1, 2) and dlg.countdown.text().endswith(" s")
    assert "enrolment" in dlg.findChildren(type(dlg.countdown))[1].text()
    with qtbot.waitSignal(win.idle.resumed, timeout=2000):
        qtbot.keyClick(dlg, Qt.Key.Key_Shift)
    assert win.session_guard.warning_dialog is None and win.actor is not None

    # no more input: logged out, every dialog gone, the unsaved entries named as discarded
    with qtbot.waitSignal(win.logged_out, timeout=10000) as got:
        pass
    assert got.args == ["idle"]
    assert win.work is None and win.actor is None
    qtbot.waitUntil(lambda: not [d for d in win.findChildren(QDialog) if d.isVisible()])
    msg = win.login.message_label.text()
    assert "inactivity" in msg and "enrolment" in msg and "clinical assessment" in msg
    (row,) = _logouts(demo_db, "nurse")
    assert row.reason == "idle" and row.entity == "user_account"


def test_user_logout_is_audited_and_closes_dialogs(qtbot, demo_db):
    win = NurseMainWindow(backend_for(demo_db), demo=True)
    qtbot.addWidget(win)
    win.show()
    login(qtbot, win, "investigator")
    open_visit(qtbot, win, reviewable_visit(demo_db, "q1"))
    with qtbot.waitSignal(win.summary_actions.preview_ready, timeout=30000) as got:
        win.summary_actions.preview_visit_id(win.patient_id, win.visit_id)
    preview = got.args[0]
    sign = win.open_sign()
    exp = win.open_export()
    assert exp.isVisible() and preview.isVisible() and sign.isVisible()
    with qtbot.waitSignal(win.logged_out, timeout=5000):
        qtbot.mouseClick(win.work.logout_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(_gone(d) for d in (exp, preview, sign)))
    assert win.login.message_label.text() == ""           # nothing was discarded
    (row,) = _logouts(demo_db, "investigator")
    assert row.reason == "user"
