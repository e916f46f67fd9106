"""`make screenshots`: every kiosk screen, en and zh_CN, 1280x800 and 1920x1080, 100 % and 200 %."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from test_kiosk_support import (dispose, kiosk_store, kiosk_template,  # noqa: F401
                                make_window, tour)

OUT = Path(__file__).resolve().parent.parent / "screenshots" / "kiosk"
pytestmark = [pytest.mark.screenshots,
              pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_screenshots(qtbot, kiosk_store, lang, size, scale):
    OUT.mkdir(parents=True, exist_ok=True)
    win = make_window(qtbot, kiosk_store.backend, lang=lang, size=size, scale=scale)
    written = []
    try:
        for k, stop in enumerate(tour(qtbot, win, kiosk_store.a)):
            path = OUT / f"{lang}_{size[0]}x{size[1]}_{int(scale * 100)}_{k:02d}_{stop}.png"
            QApplication.processEvents()       # let deferred layout (scroll bars) settle
            assert win.grab().save(str(path))
            written.append(path)
    finally:
        dispose(win)
    assert len(written) >= 18 and all(p.stat().st_size > 0 for p in written)
