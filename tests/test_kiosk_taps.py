"""One tap per answer, safe against double taps (issue 12 item 3), on the real storage.

Taps are sent as mouse press/release pairs with the timestamps a touch screen would give them
(the guard reads the events' own clock), so "a second tap 120 ms later" is exact; waiting for
the answer confirmation is done with qtbot.waitUntil, never a sleep.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QWidget

from storage import services as sv
from storage_fixtures import PASSWORDS
from test_kiosk_support import (STATION, StorageKioskBackend, click, dispose,  # noqa: F401
                                hand_over, kiosk_store, kiosk_template, make_window)
from ui.kiosk.flow import CONFIRM_MS, GUARD_MS, TapGuard
from ui.nurse.admin_settings import StudySettingsWidget

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


class CountingBackend(StorageKioskBackend):
    """The real storage backend, counting the saves the screens ask for."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.saves: list[tuple[str, int]] = []

    def record_answer(self, administration_id, item_id, code, ms_on_item) -> None:
        self.saves.append((item_id, code))
        super().record_answer(administration_id, item_id, code, ms_on_item)


class Finger:
    """Taps at chosen times (ms on the input events' clock), after any earlier test click."""

    def __init__(self, win) -> None:
        self.t = (win.tap_guard.last_tap_ms or 0) + 10_000

    def tap(self, w: QWidget, after_ms: int, pos: QPoint | None = None) -> None:
        self.t += after_ms
        p = QPointF(pos if pos is not None else w.rect().center())
        for typ, buttons in ((QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
                             (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)):
            ev = QMouseEvent(typ, p, w.mapToGlobal(p), Qt.MouseButton.LeftButton, buttons,
                             Qt.KeyboardModifier.NoModifier)
            ev.setTimestamp(self.t + (0 if typ == QEvent.Type.MouseButtonPress else 60))
            QApplication.sendEvent(w, ev)
        self.t += 60


@pytest.fixture
def store(kiosk_store):
    kiosk_store.backend = CountingBackend(kiosk_store.db, station=STATION)
    return kiosk_store


@pytest.fixture
def win(qtbot, store):
    w = make_window(qtbot, store.backend)
    hand_over(qtbot, w, store.b.visit_id, store.b.birth_year)
    click(qtbot, w, "StartButton")
    assert w.current.objectName() == "ItemScreen"
    yield w
    dispose(w)


def answers(store, win) -> dict[str, int]:
    return dict(sv.administration_state(store.db, win.controller.run.administration_id).answers)


def test_tap_guard_drops_only_presses_soon_after_a_change():
    now = [100.0]
    g = TapGuard(400, clock=lambda: now[0])
    assert g.press(1000)
    g.release(1060)
    g.changed()                                  # the tap changed the screen
    assert not g.press(1300) and not g.press(1459)
    assert g.press(1460)
    g.release(1500)
    now[0] += 0.9                                # confirmation + a slow save: 900 ms later
    g.changed(after_ms=g.since_tap_ms())
    assert not g.press(1500 + 900 + 399)
    assert g.press(1500 + 900 + 400)
    assert g.press(5)                            # an earlier time: a new time base, not a drop


def test_one_tap_answers_and_moves_on_double_tap_answers_once(qtbot, win, store):
    screen, finger = win.current, Finger(win)
    now = [50.0]
    win.tap_guard.clock = lambda: now[0]          # the guard's clock, moved by hand
    first = screen.item_id
    option = screen.options[1]
    code = int(option.property("code"))
    finger.tap(option, 0)
    finger.tap(option, 120)                      # the second tap of a double tap
    assert screen.checked_code() == code          # the choice shows while it is confirmed
    assert screen.item_id == first
    now[0] += 0.8                                 # the next item comes 800 ms after the tap
    qtbot.waitUntil(lambda: screen.item_id != first, timeout=CONFIRM_MS * 10)
    second = screen.item_id
    finger.tap(screen.options[1], 100)           # late second taps land on the next item
    finger.tap(screen.options[2], 150)
    finger.tap(screen.options[2], 800)           # still within 400 ms of the new item
    assert screen.item_id == second and screen.checked_code() is None
    assert store.backend.saves == [(first, code)]
    assert answers(store, win) == {first: code}
    finger.tap(screen.options[0], GUARD_MS)      # a real next tap is taken
    assert answers(store, win)[second] == int(screen.options[0].property("code"))


def test_double_tap_on_next_never_skips(qtbot, win, store):
    screen, finger = win.current, Finger(win)
    win.controller.auto_advance = False
    ids = []
    for k in range(2):                            # answer two items with Next
        ids.append(screen.item_id)
        finger.tap(screen.options[0], 1000)
        finger.tap(screen.next_button, 1000)
    third = screen.item_id
    finger.tap(screen.back_button, 1000)
    finger.tap(screen.back_button, 1000)
    assert screen.item_id == ids[0]
    finger.tap(screen.next_button, 1000)         # double tap on Next: one step only
    finger.tap(screen.next_button, 120)
    assert screen.item_id == ids[1]
    finger.tap(screen.next_button, 1000)
    finger.tap(screen.next_button, 120)          # Next on an unanswered item: nothing
    assert screen.item_id == third and third not in answers(store, win)
    finger.tap(screen.next_button, 1000)
    assert screen.item_id == third


def test_back_on_the_first_item_then_tap_does_not_start(qtbot, win, store):
    screen, finger = win.current, Finger(win)
    back = screen.back_button
    pos = back.mapTo(win, back.rect().center())
    finger.tap(back, 0)
    assert win.controller.phase == "welcome"
    start = win.current.start_button
    assert not start.isEnabled()                  # held, visibly, for the guard time
    target = win.childAt(pos)                     # what now lies under the finger
    assert target is not None
    finger.tap(target, 120, target.mapFrom(win, pos))
    finger.tap(start, 150)
    assert win.controller.phase == "welcome"
    qtbot.waitUntil(start.isEnabled, timeout=GUARD_MS * 10)
    finger.tap(start, GUARD_MS)
    assert win.current.objectName() == "ItemScreen"
    assert answers(store, win) == {}


def test_tap_in_the_gap_between_answers_counts_for_the_nearest(qtbot, win, store):
    screen, finger = win.current, Finger(win)
    win.controller.auto_advance = False
    a, b = screen.options[0], screen.options[1]
    gap_top, gap_bottom = a.geometry().bottom() + 1, b.geometry().top()
    assert gap_bottom > gap_top                   # there is a gap between the buttons
    x = a.geometry().center().x()
    finger.tap(screen.panel, 0, QPoint(x, gap_top))            # just below answer 1
    assert screen.checked_code() == int(a.property("code"))
    finger.tap(screen.panel, 1000, QPoint(x, gap_bottom - 1))  # just above answer 2
    assert screen.checked_code() == int(b.property("code"))
    assert answers(store, win) == {screen.item_id: int(b.property("code"))}


def test_auto_advance_is_a_study_setting(qtbot, store):
    admin = sv.authenticate(store.db, "admin", PASSWORDS["admin"], station_id=STATION)
    st = sv.study_settings(store.db)
    assert st.kiosk_auto_advance is True                        # default on
    sv.update_study_settings(store.db, admin, primary_sf36_scoring=st.primary_sf36_scoring,
                             staff_idle_minutes=st.staff_idle_minutes,
                             kiosk_idle_seconds=st.kiosk_idle_seconds,
                             kiosk_auto_advance=False, reason="site prefers Next")
    assert sv.study_settings(store.db).kiosk_auto_advance is False
    w = make_window(qtbot, store.backend)
    try:
        hand_over(qtbot, w, store.b.visit_id, store.b.birth_year)
        click(qtbot, w, "StartButton")
        screen = w.current
        first = screen.item_id
        Finger(w).tap(screen.options[0], 0)
        assert screen.checked_code() is not None and screen.next_button.isEnabled()
        assert not w.controller._advance.isActive()             # waits for Next
        assert screen.item_id == first
    finally:
        dispose(w)


def test_admin_turns_auto_advance_off(qtbot, store):
    admin = sv.authenticate(store.db, "admin", PASSWORDS["admin"], station_id=STATION)
    w = StudySettingsWidget(store.db, admin)
    qtbot.addWidget(w)
    box = w.findChild(QCheckBox, "admin_kiosk_auto_advance")
    assert box.isChecked()                                      # the default, read back
    box.setChecked(False)
    w.reason.setText("patients prefer to tap Next")
    qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)
    assert sv.study_settings(store.db).kiosk_auto_advance is False
    assert store.backend.auto_advance() is False                 # what the next hand-over reads
