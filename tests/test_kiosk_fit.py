"""Every option visible at every text size (issue 12 item 2): for every item of every registered
instrument, in English and Chinese, at 100/125/150/200 % on 1280x800 and 1920x1080, the whole
question and every answer button lie inside the visible part of the screen, nothing scrolls and
no "more below" hint shows - also when the item was skipped before (its notice shown) and when
it opens a block (its intro shown).

One kiosk window per language, size and text size over the real storage; the item screen is
updated in place from item to item, as the kiosk does."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

from forms.instrument import localize
from forms.registry import registry
from test_kiosk_support import dispose, kiosk_store, kiosk_template, make_window  # noqa: F401
from ui.kiosk import theme
from ui.kiosk.question_screens import ItemScreen

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _visible_in(view: QWidget, w: QWidget) -> bool:
    return view.rect().contains(QRect(w.mapTo(view, QPoint(0, 0)), w.size()))


def _unfit(screen: ItemScreen) -> list[str]:
    """What of the item is not fully visible without scrolling (empty when all is)."""
    out = []
    view = screen.scroll.viewport()
    if screen.scroll.verticalScrollBar().maximum() > 0:
        out.append(f"scrolls {screen.scroll.verticalScrollBar().maximum()} px")
    if screen.more_hint.isVisible():
        out.append("more-below hint shown")
    labels = [screen.question, screen.stem_label, screen.block_intro_label,
              screen.skipped_notice]
    for lab in labels:
        if not lab.isVisible():
            continue
        if lab.wordWrap() and lab.heightForWidth(lab.width()) > lab.height():
            out.append(f"{lab.objectName()} cut: needs {lab.heightForWidth(lab.width())} px, "
                       f"has {lab.height()}")
        if not _visible_in(view, lab):
            out.append(f"{lab.objectName()} outside the visible part")
    for b in screen.options:
        if not (b.isVisible() and _visible_in(view, b)):
            out.append(f"option {b.text()!r} outside the visible part")
        if b.label.heightForWidth(b.label.width()) > b.label.height():
            out.append(f"option {b.text()!r} text cut")
    if not screen.question.wordWrap() or screen.question.property("elided"):
        out.append("question may be elided")
    return out


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_item_fits_at_every_text_size(qtbot, kiosk_store, lang, size):
    backend = kiosk_store.backend
    instruments = [backend.instrument(e.id) for e in registry()]
    assert len(instruments) >= 2
    bad: list[str] = []
    seen = 0
    for scale in theme.SCALES:
        win = make_window(qtbot, backend, lang=lang, size=size, scale=scale)
        try:
            screen: ItemScreen | None = None
            for inst in instruments:
                loc = localize(inst, lang)
                prev = None
                for k, item in enumerate(inst.items):
                    intro = (loc.block_intro(item.block) if item.block and
                             (prev is None or prev.block != item.block) else "")
                    prev = item
                    for skipped in (False, True):
                        args = (loc, item, k + 1, len(inst.items), None, skipped, intro)

                        def update(s: ItemScreen, args=args) -> None:
                            s.set_item(*args, part=(2, 2))
                        if screen is None:
                            screen = win.show_screen(
                                lambda args=args: ItemScreen(scale, *args, part=(2, 2)))
                        else:
                            win.update_screen(lambda: None, update)
                        QApplication.processEvents()        # scroll range and hint settle
                        assert screen.item_id == item.id and screen.isVisible()
                        seen += 1
                        bad += [f"{inst.id} {item.id} {int(scale * 100)}% skipped={skipped}: {p}"
                                for p in _unfit(screen)]
        finally:
            dispose(win)
    assert seen == 2 * len(theme.SCALES) * sum(len(i.items) for i in instruments)
    assert bad == []


def test_long_answer_lists_reflow_into_columns_at_200(qtbot, kiosk_store):
    """What makes it fit at 200 % on 1280x800: the six-answer item goes to two or more columns
    (read row by row in the instrument's order), the progress bar is dropped."""
    win = make_window(qtbot, kiosk_store.backend, scale=2.0)
    try:
        inst = kiosk_store.backend.instrument("rand36")
        loc = localize(inst, "en")
        item = next(i for i in inst.items if len(inst.options_for(i).options) == 6)
        screen = win.show_screen(lambda: ItemScreen(2.0, loc, item, 1, 36, None, False))
        QApplication.processEvents()
        assert screen.panel.columns >= 2
        assert not screen.progress_bar.isVisible()
        tops = [b.geometry().top() for b in screen.options]
        lefts = [b.geometry().left() for b in screen.options]
        assert tops[0] == tops[1] and lefts[1] > lefts[0]          # row by row
        assert tops == sorted(tops)
    finally:
        dispose(win)
