"""The kiosk's staff login is checked off the GUI thread (ui/kiosk/staff_login.py): the kiosk keeps
painting while argon2 runs, a double tap checks once, and a login that arrives after the kiosk
locked is ended instead of left open. Real storage (the kiosk template copy)."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from storage import services as sv
from storage_fixtures import PASSWORDS
from test_kiosk_support import (click, dispose, find, kiosk_store, kiosk_template,  # noqa: F401
                                login_checked, make_window)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def win(qtbot, kiosk_store):
    w = make_window(qtbot, kiosk_store.backend)
    yield w
    dispose(w)


class HeldCheck:
    """Wraps the backend's password check: records the thread it ran on and holds it until the
    test releases it (no sleeps: the worker waits on an event)."""

    def __init__(self, backend) -> None:
        self.real = backend.verify_staff
        self.release = threading.Event()
        self.threads: list[threading.Thread] = []
        self.calls = 0

    def __call__(self, user: str, password: str):
        self.calls += 1
        self.threads.append(threading.current_thread())
        assert self.release.wait(10)
        return self.real(user, password)


def _logins(db) -> int:
    return sum(h.action == "auth.login" for h in sv.audit_history(db))


def _type_login(win, password: str = PASSWORDS["nurse"]) -> None:
    find(win, "StaffUser").setText("nurse")
    find(win, "StaffPassword").setText(password)


def test_check_runs_off_the_gui_thread_and_a_double_tap_checks_once(qtbot, win, kiosk_store,
                                                                    monkeypatch):
    held = HeldCheck(kiosk_store.backend)
    monkeypatch.setattr(kiosk_store.backend, "verify_staff", held)
    before = _logins(kiosk_store.db)
    click(qtbot, win, "UnlockButton")
    _type_login(win)
    button = find(win, "StaffUnlock")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)      # the second tap of a double tap
    qtbot.keyClick(find(win, "StaffPassword"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: held.calls == 1)
    # while the worker checks, the GUI thread is free: the overlay says so, nothing can be tapped
    assert find(win, "StaffLoginMessage").text() == "Checking…"
    assert not button.isEnabled() and not find(win, "StaffCancel").isEnabled()
    assert win.controller.phase == "locked"
    held.release.set()
    login_checked(qtbot)
    assert win.controller.phase == "staff"
    assert held.calls == 1 and held.threads[0] is not threading.main_thread()
    assert _logins(kiosk_store.db) == before + 1


def test_wrong_password_is_told_and_the_overlay_usable_again(qtbot, win, kiosk_store):
    click(qtbot, win, "UnlockButton")
    _type_login(win, "not the password")
    click(qtbot, win, "StaffUnlock")
    login_checked(qtbot)
    assert find(win, "StaffLoginMessage").text() == "The user name or password is not correct."
    assert find(win, "StaffUnlock").isEnabled() and find(win, "StaffPassword").text() == ""
    assert win.controller.phase == "locked"


def test_a_login_arriving_after_the_kiosk_locked_is_ended(qtbot, win, kiosk_store,
                                                          monkeypatch):
    held = HeldCheck(kiosk_store.backend)
    monkeypatch.setattr(kiosk_store.backend, "verify_staff", held)
    ended: list = []
    real_end = kiosk_store.backend.end_staff_session
    monkeypatch.setattr(kiosk_store.backend, "end_staff_session",
                        lambda staff: (ended.append(staff), real_end(staff)))
    click(qtbot, win, "UnlockButton")
    _type_login(win)
    click(qtbot, win, "StaffUnlock")
    qtbot.waitUntil(lambda: held.calls == 1)
    win.close_all_overlays()               # what the idle lock does to an open overlay
    held.release.set()
    login_checked(qtbot)
    assert win.controller.staff is None and win.controller.phase == "locked"
    assert len(ended) == 1
    with pytest.raises(sv.AuthError):      # the session the late check opened is over
        sv.start_administration(kiosk_store.db, ended[0].actor,
                                visit_id=kiosk_store.a.visit_id,
                                instrument_id=sv.remaining_battery(
                                    kiosk_store.db, kiosk_store.a.visit_id)[0], language="en")


def test_a_failed_check_says_so_without_an_internal_code(qtbot, win, kiosk_store, monkeypatch):
    def broken(user: str, password: str):
        raise OSError("disk I/O error (code 5386)")
    monkeypatch.setattr(kiosk_store.backend, "verify_staff", broken)
    click(qtbot, win, "UnlockButton")
    _type_login(win)
    click(qtbot, win, "StaffUnlock")
    login_checked(qtbot)
    text = find(win, "StaffLoginMessage").text()
    assert text.startswith("The login could not be checked.") and "5386" not in text
    assert find(win, "StaffUnlock").isEnabled() and win.controller.phase == "locked"
