"""Layout: nothing clipped or outside the window at 200 % or in Chinese; answers fit at 100 %."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from test_kiosk_support import (answer_current, click, dispose, find, hand_over,  # noqa: F401
                                kiosk_store, kiosk_template, make_window, tour)
from ui import i18n
from ui.kiosk.widgets import WrapButton

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _scroll_parent(w: QWidget) -> QScrollArea | None:
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QScrollArea):
            return p
        p = p.parentWidget()
    return None


def problems(win: QWidget) -> list[str]:
    """Every visible label/button whose text needs more room than it has, or that lies outside
    the window (or, inside a scroll area, outside the scrolled content)."""
    out = []
    whole = win.rect()
    for w in win.findChildren(QWidget):
        if not isinstance(w, (QLabel, QAbstractButton)) or not w.isVisibleTo(win):
            continue
        if isinstance(w, QLabel) and isinstance(w.parentWidget(), WrapButton):
            continue                      # checked through its button
        name = f"{type(w).__name__}:{w.objectName() or w.text()[:30]!r}"
        g = w.geometry()
        if w.property("elided"):
            fm = w.fontMetrics()                # shortened with "…" on purpose: must fit
            if fm.horizontalAdvance(w.text()) > g.width() + 1 or fm.height() > g.height() + 1:
                out.append(f"{name} elided text does not fit")
        elif w.hasHeightForWidth():
            need = w.heightForWidth(g.width())
            if need > g.height() + 1:
                out.append(f"{name} needs height {need}, has {g.height()}")
        else:
            hint = w.sizeHint()
            if hint.width() > g.width() + 1 or hint.height() > g.height() + 1:
                out.append(f"{name} needs {hint.width()}x{hint.height()}, has "
                           f"{g.width()}x{g.height()}")
        sa = _scroll_parent(w)
        frame = sa.widget() if sa is not None else win
        top_left = w.mapTo(frame, QPoint(0, 0))
        r = QRect(top_left, g.size())
        if not frame.rect().contains(r):
            out.append(f"{name} outside {'scroll content' if sa else 'window'}: {r}")
    return out


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_no_clipping_on_any_screen(qtbot, kiosk_store, lang, scale):
    win = make_window(qtbot, kiosk_store.backend, lang=lang, scale=scale)
    try:
        seen = []
        for stop in tour(qtbot, win, kiosk_store.a):
            qtbot.waitUntil(lambda: win.current.isVisible())
            assert problems(win) == [], (stop, lang, scale)
            seen.append(stop)
        assert "item_rand36_grid_q3" in seen and "warning_end" in seen
    finally:
        dispose(win)


def test_chinese_text_shown(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend, lang="zh_CN")
    try:
        stops = tour(qtbot, win, kiosk_store.a)
        assert next(stops) == "locked"
        assert win.current.message.text() == "请让护士为您开始问卷"
        for stop in stops:
            assert win.topbar.size_label.text() == "文字大小：", stop   # the bar follows too
            assert win.topbar.staff.text() == "工作人员", stop
            if stop == "welcome_rand36":     # the SF-36 in Chinese (project translation)
                assert win.current.findChild(QLabel, "FallbackNotice") is None
                assert win.current.findChild(QLabel, "InstrumentTitle").text() == \
                    "健康状况调查问卷（RAND-36）"
            if stop == "item_csc_c1":
                assert win.current.question.text().startswith("在过去7天内")
                assert win.current.next_button.text() == "下一题"
                assert win.current.progress_label.text().startswith("第 2 部分，共 2 部分 · 第 1 题")
            if stop == "warning_end":
                assert win.current.findChild(QLabel, "WarningHeadline").text() == "请立即告诉护士"
    finally:
        dispose(win)


def test_language_switch_on_welcome(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend)
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        assert win.current.findChild(QLabel, "FallbackNotice") is None
        click(qtbot, win, "Lang_zh_CN")
        assert i18n.current_language() == "zh_CN"
        assert win.current.findChild(QLabel, "FallbackNotice") is None   # SF-36 has zh_CN
        assert win.current.findChild(QLabel, "InstrumentTitle").text() == "健康状况调查问卷（RAND-36）"
        assert win.current.start_button.text() == "开始"
        assert win.topbar.staff.text() == "工作人员"
        win.controller.abandon("")                  # the next patient starts in English again
        assert i18n.current_language() == "en"
        assert find(win, "LockedMessage").text().startswith("Please ask the nurse")
    finally:
        dispose(win)


def test_all_options_visible_without_scrolling_at_100(qtbot, kiosk_store):
    """ISPOR faithful migration: every answer of an item visible together at kiosk size."""
    win = make_window(qtbot, kiosk_store.backend)
    try:
        hand_over(qtbot, win, kiosk_store.a.visit_id, kiosk_store.a.birth_year)
        click(qtbot, win, "StartButton")
        while win.current.objectName() == "ItemScreen":
            s = win.current
            view = s.scroll.viewport()
            for b in s.options:
                r = QRect(b.mapTo(view, QPoint(0, 0)), b.size())
                assert view.rect().contains(r), (s.item_id, b.text())
            answer_current(qtbot, win, 0, keyboard=True)
    finally:
        dispose(win)


def test_text_size_control_everywhere_and_sizes(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend)
    try:
        for stop in tour(qtbot, win, kiosk_store.a):
            assert win.topbar.isVisible() and all(
                b.isVisible() for b in win.topbar.size_buttons.values())
            for b in win.findChildren(WrapButton):
                if b.isVisibleTo(win):
                    assert b.height() >= 48, (stop, b.objectName())
            for lab in win.current.findChildren(QLabel):
                if not lab.isVisibleTo(win):
                    continue
                assert lab.font().pointSizeF() >= 18 or lab.font().pixelSize() >= 24, stop
    finally:
        dispose(win)
