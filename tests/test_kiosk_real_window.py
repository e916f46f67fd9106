"""What a real kiosk window does on a real display (found driving it under Xvfb with xdotool):
the whole screen even without a window manager."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from test_kiosk_support import dispose, kiosk_store, kiosk_template  # noqa: F401
from ui.kiosk.window import KioskWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_station_covers_the_screen_without_a_window_manager(qtbot, kiosk_store, monkeypatch):
    # an X session with no window manager (`xinit epro --kiosk`) does not honour "full screen":
    # showing the window is all that happens, the rest is up to the window's own geometry
    monkeypatch.setattr(KioskWindow, "showFullScreen", KioskWindow.show)
    win = KioskWindow(kiosk_store.backend, station=True, lang="zh_CN", fullscreen=True)
    try:
        win.set_patient_mode(True)
        qtbot.waitExposed(win)
        QApplication.processEvents()
        screen = win.screen().geometry()
        assert win.geometry() == screen, (win.geometry(), screen)
    finally:
        dispose(win)
