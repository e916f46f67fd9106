"""`make screenshots`: every kiosk screen, en and zh_CN, 1280x800 and 1920x1080, text size 100 %,
150 % and 200 %; and every item of every instrument at 150 % and 200 % on 1280x800 (the sizes
where answers reflow into columns), to look at."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from forms.instrument import localize
from forms.registry import registry
from test_kiosk_support import (dispose, kiosk_store, kiosk_template,  # noqa: F401
                                make_window, tour)
from ui.kiosk.question_screens import ItemScreen

OUT = Path(__file__).resolve().parent.parent / "screenshots" / "kiosk"
pytestmark = [pytest.mark.screenshots,
              pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
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


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("scale", [1.5, 2.0])
def test_item_screenshots(qtbot, kiosk_store, lang, scale):
    OUT.mkdir(parents=True, exist_ok=True)
    win = make_window(qtbot, kiosk_store.backend, lang=lang, scale=scale)
    written = []
    try:
        screen = None
        for entry in registry():
            inst = kiosk_store.backend.instrument(entry.id)
            loc = localize(inst, lang)
            for k, item in enumerate(inst.items):
                args = (loc, item, k + 1, len(inst.items), None, False)
                if screen is None:
                    screen = win.show_screen(lambda args=args: ItemScreen(scale, *args))
                else:
                    win.update_screen(lambda: None, lambda s, args=args: s.set_item(*args))
                QApplication.processEvents()
                path = OUT / f"{lang}_1280x800_{int(scale * 100)}_item_{inst.id}_{k + 1:02d}.png"
                assert win.grab().save(str(path))
                written.append(path)
    finally:
        dispose(win)
    assert written and all(p.stat().st_size > 0 for p in written)
