"""Next item = the same ItemScreen updated in place (fast), showing exactly the new item; idle
timeout and a text-size change still destroy it; another questionnaire gets a new screen."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel, QWidget

from forms.instrument import load_instrument
from test_kiosk_support import (answer_current, click, dispose, hand_over,  # noqa: F401
                                kiosk_store, kiosk_template, make_window)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def shown(screen, item_id: str) -> None:
    """The screen shows exactly ``item_id`` of RAND-36 in English, nothing left over."""
    inst = load_instrument("rand36")
    item = inst.item(item_id)
    opts = inst.options_for(item).options
    assert screen.item_id == item_id
    assert [b.objectName() for b in screen.options] == [f"Option_{o.code}" for o in opts]
    assert [b.text() for b in screen.options] == [o.label["en"] for o in opts]
    assert [int(b.property("code")) for b in screen.options] == [o.code for o in opts]
    assert screen.question.text() == item.text["en"]
    for b in screen.options:
        assert b.isVisible() and b.isEnabled() and b.parentWidget() is screen.panel


def test_next_item_reuses_the_screen_and_shows_only_the_new_item(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend)
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        click(qtbot, win, "StartButton")
        screen = win.current
        shown(screen, "q1")
        assert not screen.findChild(QLabel, "ItemStem").isVisible()
        answer_current(qtbot, win, 0, keyboard=True)            # q1 (5 options) -> q2
        assert win.current is screen
        shown(screen, "q2")
        assert screen.checked_code() is None and not screen.next_button.isEnabled()
        code = answer_current(qtbot, win, 1, keyboard=False)    # q2 -> q3: grid with a stem
        shown(screen, "q3")                                    # 3 options: buttons removed
        assert screen.findChild(QLabel, "ItemStem").isVisible()
        assert screen.progress_label.text() == "Part 1 of 2 · Question 3 of 36"
        click(qtbot, win, "BackButton")                        # back: the stored answer shows
        shown(screen, "q2")
        assert screen.checked_code() == code and screen.next_button.isEnabled()
        assert not screen.skip_button.isEnabled()               # answered: no skip
        while screen.item_id != "q21":
            answer_current(qtbot, win, 0, keyboard=True)
        shown(screen, "q21")                                   # 6 options: buttons added
        assert not screen.findChild(QLabel, "ItemStem").isVisible()
        assert win.current is screen
    finally:
        dispose(win)


def test_text_size_change_and_idle_still_destroy_the_item_screen(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend, countdown_s=0.2)   # idle only at the end
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        click(qtbot, win, "StartButton")
        answer_current(qtbot, win, 0, keyboard=True)
        first = win.current
        click(qtbot, win, "TextSize150")                       # rebuilt at the new size
        qtbot.waitUntil(lambda: not shiboken6.isValid(first), timeout=2000)
        screen = win.current
        shown(screen, "q2")
        answer_current(qtbot, win, 0, keyboard=True)
        assert win.current is screen and screen.item_id == "q3"
        kids = screen.findChildren(QWidget)
        win.controller.idle.timer.setInterval(300)     # (a loaded test machine must not time
        win.controller.idle.start()                    # out while the test is still tapping)
        qtbot.waitUntil(lambda: win.controller.phase == "locked", timeout=5000)
        qtbot.waitUntil(lambda: not shiboken6.isValid(screen), timeout=2000)
        assert not any(shiboken6.isValid(k) for k in kids)
        assert not win.findChildren(QWidget, "ItemScreen")
    finally:
        dispose(win)
