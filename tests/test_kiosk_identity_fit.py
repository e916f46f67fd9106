"""The identity check fits a 1280x800 screen at 100 % and at the large text sizes: no scroll bar, no "more below" hint, the
whole number pad and both buttons visible (a frail patient should not have to scroll there)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel

from ui.kiosk import theme
from test_kiosk_support import (click, confirm_identity, dispose, find, kiosk_store,  # noqa: F401
                                kiosk_template, make_window, unlock)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _open_identity(qtbot, win, visit_id: int) -> None:
    unlock(qtbot, win)
    click(qtbot, win, f"Visit_{visit_id}")
    qtbot.waitUntil(lambda: win.current.objectName() == "IdentityScreen"
                    and win.current.isVisible())
    QApplication.processEvents()               # let deferred layout (scroll range) settle


def _assert_fits(win) -> None:
    s = win.current
    sb = s.scroll.verticalScrollBar()
    assert sb.maximum() == 0, f"scroll range {sb.maximum()} px"
    assert not s.more_hint.isVisible()
    view = s.scroll.viewport()
    for key, b in s.pad_buttons.items():
        r = QRect(b.mapTo(view, QPoint(0, 0)), b.size())
        assert view.rect().contains(r), key
        assert b.height() >= 48, key
    for b in (s.year, s.not_me_button, s.ok_button):
        assert b.isVisible() and b.visibleRegion().boundingRect().size() == b.size(), \
            b.objectName()
    for lab in s.findChildren(QLabel):
        if lab.isVisibleTo(win):
            assert lab.font().pointSizeF() >= 18, lab.text()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_identity_screen_fits_without_scrolling_at_100(qtbot, kiosk_store, lang):
    win = make_window(qtbot, kiosk_store.backend, lang=lang, size=(1280, 800), scale=1.0)
    try:
        _open_identity(qtbot, win, kiosk_store.a.visit_id)
        _assert_fits(win)
        confirm_identity(qtbot, win, 1950)          # wrong year: the error notice appears too
        qtbot.waitUntil(lambda: win.current.objectName() == "IdentityScreen"
                        and find(win, "IdentityError").isVisible())
        QApplication.processEvents()
        _assert_fits(win)
    finally:
        dispose(win)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("scale", [1.5, 2.0])
def test_identity_screen_fits_without_scrolling_at_large_text(qtbot, kiosk_store, lang, scale):
    """At 150 % and 200 % the pad sits beside the text: no scrolling, keys at their large size."""
    win = make_window(qtbot, kiosk_store.backend, lang=lang, size=(1280, 800), scale=scale)
    try:
        _open_identity(qtbot, win, kiosk_store.a.visit_id)
        s = win.current
        _assert_fits(win)
        assert all(b.height() >= theme.target_px(scale, theme.PAD_KEY_PX)
                   for b in s.pad_buttons.values())
        assert s.ok_button.height() >= theme.target_px(scale)
        confirm_identity(qtbot, win, 1950)          # wrong year: the error notice appears too
        qtbot.waitUntil(lambda: win.current.objectName() == "IdentityScreen"
                        and find(win, "IdentityError").isVisible())
        QApplication.processEvents()
        _assert_fits(win)
    finally:
        dispose(win)
