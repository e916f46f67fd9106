"""The kiosk's staff side on the real storage (issue 12 items 4-7): only startable visits with
why the others wait, the identity check's audit and calm ending, keyboard digits, the guarded
unlock button, PIN unlock by touch, and a warning-sign answer raising a staff alert."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from forms import alerts as rules
from storage import services as sv
from storage_fixtures import PASSWORDS, answer_all
from test_kiosk_support import (click, confirm_identity, dispose, find, kiosk_store,  # noqa: F401
                                kiosk_template, make_window, run_instrument, staff_login,
                                unlock)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
PIN = "4071"


@pytest.fixture
def win(qtbot, kiosk_store):
    w = make_window(qtbot, kiosk_store.backend)
    yield w
    dispose(w)


def _submit_now(store, visit_id: int, only: str | None = None) -> None:
    nurse = sv.authenticate(store.db, "nurse", PASSWORDS["nurse"])
    for inst in sv.remaining_battery(store.db, visit_id):
        if only is not None and inst != only:
            continue
        aid = sv.start_administration(store.db, nurse, visit_id=visit_id, instrument_id=inst,
                                      language="en")
        answer_all(store.db, nurse, aid)
        sv.submit_administration(store.db, nurse, aid)


def test_staff_list_offers_startable_visits_and_says_why_others_wait(qtbot, win, kiosk_store):
    store = kiosk_store
    _submit_now(store, store.b.visit_id)            # DEMO-0004's baseline done just now
    waiting = next(k for k in sv.kiosk_visits(store.db) if k.patient_id == store.b.patient_id)
    assert not waiting.startable
    unlock(qtbot, win)
    assert win.controller.phase == "staff"
    # DEMO-0003's visit: a button with the protocol label, date and out-of-window flag
    a_text = find(win, f"Visit_{store.a.visit_id}").text()
    assert "DEMO-0003" in a_text and "Week" in a_text
    # DEMO-0004's next visit: no button, a staff-only reason naming the questionnaire
    assert win.current.findChild(QLabel, f"Visit_{waiting.visit_id}") is None
    assert not [b for b in win.current.findChildren(type(find(win, "LockButton")))
                if b.objectName() == f"Visit_{waiting.visit_id}"]
    why = find(win, f"Waiting_{waiting.visit_id}").text()
    assert "DEMO-0004" in why and "opens on" in why and "1-week recall period" in why


_NOT_A_YEAR = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(?:[+-]\d\d:\d\d|Z)?"   # timestamps
                         r"|[0-9a-f]{32,}"                                        # hashes
                         r"|\d+\.\d+")                                           # decimals


def _mentions_year(value: str | None, year: int) -> bool:
    """Whether an audit value holds the typed year itself: timestamps (microseconds such as
    '.195012'), hashes and decimals may contain the same four digits by chance."""
    return str(year) in _NOT_A_YEAR.sub(" ", value or "")


def test_mentions_year_sees_a_typed_year_but_not_chance_digits():
    assert _mentions_year('{"birth_year": 1950}', 1950)
    assert _mentions_year("typed 1950", 1950)
    assert not _mentions_year("2026-12-05T08:24:11.195012+00:00", 1950)
    assert not _mentions_year("a2b11009c4913e1f2a44a0688195004e", 1950)
    assert not _mentions_year('{"unrounded": 14.4319507}', 1950)


def test_wrong_birth_years_audited_as_such_then_calm_message(qtbot, win, kiosk_store):
    store = kiosk_store
    unlock(qtbot, win)
    click(qtbot, win, f"Visit_{store.a.visit_id}")
    for attempt in (1, 2, 3):
        confirm_identity(qtbot, win, 1950)
    assert win.controller.phase == "identity_help"
    assert find(win, "IdentityHelpMessage").text() == \
        "Please ask the nurse to help you continue."
    assert not win.current.nav.isVisible()          # nothing to tap where "Yes" was
    rows = [h for h in sv.audit_history(store.db, patient_id=store.a.patient_id)
            if h.action.startswith(("identity.", "kiosk."))]
    assert [(h.action, h.new_value) for h in rows] == [
        ("identity.birth_year_mismatch", f"attempt {n} of 3") for n in (1, 2, 3)]
    assert not [h for h in sv.audit_history(store.db) if _mentions_year(h.new_value, 1950)]
    # staff take over from the top bar; the notice says what happened
    qtbot.mouseClick(win.topbar.staff, Qt.MouseButton.LeftButton)
    find(win, "StaffUser").setText("nurse")
    find(win, "StaffPassword").setText(PASSWORDS["nurse"])
    staff_login(qtbot, win)
    assert win.controller.phase == "staff"
    notices = [w.text() for w in win.current.findChildren(QLabel, "StaffNotice")]
    assert any("birth year did not match 3 times for DEMO-0003" in n for n in notices)


def test_identity_message_in_chinese(qtbot, kiosk_store):
    w = make_window(qtbot, kiosk_store.backend, lang="zh_CN")
    try:
        unlock(qtbot, w)
        click(qtbot, w, f"Visit_{kiosk_store.a.visit_id}")
        for _ in range(3):
            confirm_identity(qtbot, w, 1950)
        assert find(w, "IdentityHelpMessage").text() == "请让护士帮助您继续。"
    finally:
        dispose(w)


def test_birth_year_typed_on_a_keyboard(qtbot, win, kiosk_store):
    unlock(qtbot, win)
    click(qtbot, win, f"Visit_{kiosk_store.a.visit_id}")
    year = str(kiosk_store.a.birth_year)
    for d in year + "9":                                 # a fifth digit is ignored
        qtbot.keyClick(win, Qt.Key(int(Qt.Key.Key_0) + int(d)))
    assert find(win, "BirthYear").text() == year
    qtbot.keyClick(win, Qt.Key.Key_Backspace)
    assert find(win, "BirthYear").text() == year[:3]
    qtbot.keyClick(win, Qt.Key(int(Qt.Key.Key_0) + int(year[3])))
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert win.controller.phase == "welcome"


def test_no_staff_control_under_the_patients_last_tap(qtbot, win, kiosk_store):
    unlock(qtbot, win)
    click(qtbot, win, f"Visit_{kiosk_store.a.visit_id}")
    click(qtbot, win, "NotMeButton")
    assert win.current.objectName() == "LockedScreen"
    assert not find(win, "UnlockButton").isEnabled()      # guard time
    qtbot.waitUntil(lambda: find(win, "UnlockButton").isEnabled())


def test_staff_pin_unlock_by_touch(qtbot, kiosk_store):
    nurse = sv.authenticate(kiosk_store.db, "nurse", PASSWORDS["nurse"])
    sv.set_kiosk_pin(kiosk_store.db, nurse, password=PASSWORDS["nurse"], pin=PIN)
    w = make_window(qtbot, kiosk_store.backend)
    try:
        click(qtbot, w, "UnlockButton")
        assert find(w, "StaffUser").isHidden()              # touch first
        for d in "9999":
            click(qtbot, w, f"PinKey_{d}")
        staff_login(qtbot, w)
        assert w.controller.phase == "locked"
        assert "PIN is not correct" in w.overlays[-1].message.text()
        for d in PIN:
            click(qtbot, w, f"PinKey_{d}")
        staff_login(qtbot, w, "PinKey_enter")
        assert w.controller.phase == "staff"
        assert w.controller.staff.username == "nurse" and w.controller.staff.role == "nurse"
        # the same capabilities as a password unlock: hand the visit over
        click(qtbot, w, f"Visit_{kiosk_store.a.visit_id}")
        assert w.controller.phase == "identity"
        # and the password stays one tap away
        click(qtbot, w, "NotMeButton")
        qtbot.waitUntil(lambda: find(w, "UnlockButton").isEnabled())
        click(qtbot, w, "UnlockButton")
        click(qtbot, w, "StaffUsePassword")
        assert not find(w, "StaffUser").isHidden() and find(w, "StaffPinPanel").isHidden()
    finally:
        dispose(w)


def test_warning_sign_answer_raises_staff_alert(qtbot, win, kiosk_store):
    store = kiosk_store
    battery = sv.remaining_battery(store.db, store.b.visit_id)
    unlock(qtbot, win)
    click(qtbot, win, f"Visit_{store.b.visit_id}")
    confirm_identity(qtbot, win, store.b.birth_year)
    for inst in battery:
        qtbot.waitUntil(lambda: win.current.objectName() == "WelcomeScreen")
        click(qtbot, win, "StartButton")
        run_instrument(qtbot, win, inst, keyboard=True,
                       choose=lambda item, k: 1 if item == "A3" else 0)
        click(qtbot, win, "SubmitButton")
    got = sv.list_alerts(store.db, unacknowledged=True, patient_id=store.b.patient_id)
    assert [(a.item_id, a.reason, a.severity) for a in got] == [
        ("A3", rules.WARNING_SIGN_YES, "red")]
    # the next staff unlock at this kiosk shows it, with the reason in words
    assert win.current.objectName() == "WarningScreen"
    click(qtbot, win, "WarningDone")
    click(qtbot, win, "FinishButton")
    qtbot.waitUntil(lambda: win.controller.phase == "locked")
    unlock(qtbot, win)
    shown = [w.text() for w in win.current.findChildren(QLabel, "StaffAlert")]
    assert shown == ["RED alert — DEMO-0004: Fever or shaking chills: patient answered Yes"]


def test_idle_after_the_identity_stop_locks_with_the_guard(qtbot, win, kiosk_store):
    unlock(qtbot, win)
    click(qtbot, win, f"Visit_{kiosk_store.a.visit_id}")
    for _ in range(3):
        confirm_identity(qtbot, win, 1950)
    assert win.controller.phase == "identity_help"
    win.controller._on_idle()                          # nobody came: the kiosk locks itself
    assert win.current.objectName() == "LockedScreen"
    assert not find(win, "UnlockButton").isEnabled()
    unlock(qtbot, win)                                 # waits out the guard
    notices = [w.text() for w in win.current.findChildren(QLabel, "StaffNotice")]
    assert any("DEMO-0003" in n for n in notices)


def test_locking_the_kiosk_ends_the_staff_login(qtbot, win, kiosk_store):
    unlock(qtbot, win)
    actor = win.controller.staff.actor
    click(qtbot, win, "LockButton")
    assert win.controller.phase == "locked"
    with pytest.raises(sv.AuthError):                 # the session behind the kiosk is over
        sv.start_administration(kiosk_store.db, actor, visit_id=kiosk_store.a.visit_id,
                                instrument_id=sv.remaining_battery(
                                    kiosk_store.db, kiosk_store.a.visit_id)[0], language="en")
    assert "auth.logout" in [h.action for h in sv.audit_history(kiosk_store.db)]
