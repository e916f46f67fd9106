"""Per patient: the text size starts at 100 % for each patient, progress counts the whole
hand-over ("Part 1 of 2"), no "items 13 to 32" wording, and the thank-you screen ends by itself
without asking "are you still there?" (issue 12 items 2 and 8), on the real storage."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScroller

from forms.instrument import load_instrument, localize
from forms.registry import registry
from test_kiosk_support import (click, dispose, find, hand_over, kiosk_store,  # noqa: F401
                                kiosk_template, make_window, unlock)
from ui.kiosk.question_screens import ItemScreen, WelcomeScreen

KIOSK_TS = Path(__file__).resolve().parent.parent / "resources" / "translations" / "epro_zh_CN.ts"
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_text_size_resets_for_each_patient(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend)
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        click(qtbot, win, "TextSize200")                  # patient A reads at 200 %
        assert win.scale == 2.0 and win.current.scale == 2.0
        click(qtbot, win, "StartButton")
        assert isinstance(win.current, ItemScreen) and win.current.scale == 2.0
        win.controller.abandon("")                        # session over (staff pause)
        assert win.scale == 1.0 and win.current.scale == 1.0
        assert win.topbar.size_buttons[1.0].isChecked()
        unlock(qtbot, win)
        click(qtbot, win, "TextSize150")                  # staff left it at 150 % ...
        click(qtbot, win, f"Visit_{kiosk_store.b.visit_id}")
        assert win.controller.phase == "identity"         # ... patient B starts at 100 %
        assert win.scale == 1.0 and win.current.scale == 1.0
        assert win.topbar.size_buttons[1.0].isChecked()
    finally:
        dispose(win)


def test_progress_counts_the_whole_hand_over(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend)
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        assert isinstance(win.current, WelcomeScreen)
        assert find(win, "PartLabel").text() == "Part 1 of 2"
        click(qtbot, win, "StartButton")
        assert win.current.progress_label.text() == "Part 1 of 2 · Question 1 of 36"
    finally:
        dispose(win)


def test_no_item_number_ranges_in_patient_texts():
    """Instructions and kiosk strings never speak of "items 13 to 32" (no item numbers)."""
    pattern = re.compile(r"(items?|questions?)\s+\d+\s*(to|-|–|and)\s*\d+|第\s*\d+\s*[至到-]",
                         re.IGNORECASE)
    for entry in registry():
        inst = load_instrument(entry.id, entry.directory)
        for lang in inst.languages:
            loc = localize(inst, lang)
            texts = [loc.intro(), loc.recall_period(), *(loc.block_intro(b) for b in inst.blocks),
                     *(loc.stem(i) for i in inst.items)]
            assert not [t for t in texts if pattern.search(t)], (entry.id, lang)
    catalogue = ET.parse(KIOSK_TS).getroot()
    strings = [m.findtext(k) or "" for m in catalogue.iter("message") for k in ("source",
                                                                                "translation")]
    assert len(strings) > 100 and not [t for t in strings if pattern.search(t)]


def test_thank_you_ends_by_itself_without_asking(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend)
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        c = win.controller
        c.idle.timer.setInterval(150)                     # the patient idle time, running
        c.idle.start()
        c.thanks_ms = 600                                 # idle would fire 4 times over
        c.battery, c.warnings = [], []
        c.finish()                                        # the end of the hand-over
        assert win.current.objectName() == "ThankYouScreen"
        asked = []

        def locked() -> bool:
            asked.extend(ov.objectName() for ov in win.overlays)
            return win.current.objectName() == "LockedScreen"
        qtbot.waitUntil(locked, timeout=5000)
        assert asked == [] and c.phase == "locked"
        assert win.findChild(QLabel, "IdleOverlayTitle") is None
    finally:
        dispose(win)


def _touch(win, w, points) -> None:
    """One finger: down at points[0], through the others, up at the last (no pauses)."""
    dev = QTest.createTouchDevice()
    seq = QTest.touchEvent(w, dev)
    seq.press(0, points[0])
    seq.commit()
    for p in points[1:]:
        seq = QTest.touchEvent(w, dev)
        seq.move(0, p)
        seq.commit()
    seq = QTest.touchEvent(w, dev)
    seq.release(0, points[-1])
    seq.commit()


def _answer_every_item(qtbot, win, key) -> None:  # noqa: ANN001
    """Answer each question with the digit ``key`` and Enter until the review shows."""
    while win.current.objectName() == "ItemScreen":
        qtbot.keyClick(win, key)
        qtbot.keyClick(win, Qt.Key.Key_Return)


def test_touch_drag_scrolls_the_review_and_a_touch_tap_answers(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend, scale=2.0)
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        click(qtbot, win, "StartButton")
        screen = win.current
        first = screen.item_id
        option = screen.options[0]
        _touch(win, win, [option.mapTo(win, option.rect().center())])   # a finger tap answers
        qtbot.waitUntil(lambda: screen.item_id != first, timeout=3000)
        _answer_every_item(qtbot, win, Qt.Key.Key_1)
        review = win.current
        assert review.objectName() == "ReviewScreen"
        QApplication.processEvents()
        sb = review.scroll.verticalScrollBar()
        assert sb.maximum() > 0 and sb.value() == 0
        x = win.width() // 2
        _touch(win, win, [QPoint(x, 600 - 25 * k) for k in range(16)])
        qtbot.waitUntil(lambda: sb.value() > 0, timeout=3000)      # dragged up: scrolled down
        QScroller.scroller(review.scroll.viewport()).stop()
        sb.setValue(0)
        assert review.more_hint.isVisible()
        qtbot.mouseClick(review.more_hint, Qt.MouseButton.LeftButton)   # the hint is a button
        assert sb.value() == sb.pageStep()
    finally:
        dispose(win)


def test_review_in_chinese(qtbot, kiosk_store):
    """The review speaks the patient's language: Chinese questions and answers, no codes."""
    win = make_window(qtbot, kiosk_store.backend, lang="zh_CN")
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        click(qtbot, win, "StartButton")
        _answer_every_item(qtbot, win, Qt.Key.Key_2)
        inst = kiosk_store.backend.instrument(win.controller.run.instrument.id)
        loc = localize(inst, "zh_CN")
        for item_id in win.controller.run.ids():
            question, status = find(win, f"Review_{item_id}").text().split("\n")
            assert question == loc.text(item_id)
            assert status == "您的回答：" + loc.options(item_id)[1][1]
        assert find(win, "PartLabel").text() == "第 1 部分，共 2 部分"
    finally:
        dispose(win)


def test_a_press_that_scrolled_the_screen_before_release_is_no_tap(qtbot, kiosk_store):
    """A drag over a review row (press, the screen scrolls, release over the same row) does
    not open the row's question; a tap without scrolling does."""
    win = make_window(qtbot, kiosk_store.backend, scale=2.0)
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        click(qtbot, win, "StartButton")
        _answer_every_item(qtbot, win, Qt.Key.Key_1)
        review = win.current
        sb = review.scroll.verticalScrollBar()
        assert sb.maximum() > 0
        row = next(b for b in review.findChildren(QPushButton)
                   if b.objectName().startswith("Review_"))
        dragging = [True]
        row.pressed.connect(lambda: dragging[0] and sb.setValue(sb.value() + 40))   # a drag
        with qtbot.assertNotEmitted(review.jump):
            row.click()
        assert win.current is review and sb.value() == 40
        dragging[0] = False
        with qtbot.waitSignal(review.jump):
            row.click()                                               # a plain tap opens it
    finally:
        dispose(win)
