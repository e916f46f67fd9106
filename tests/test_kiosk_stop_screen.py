"""The kiosk stops with a dedicated screen when its database file vanishes mid-questionnaire
(issue 13): full screen, large text, en and zh_CN, no internal code; nothing is acknowledged
afterwards and the answers acknowledged before stay in the database. The kiosk hand-over ends
when the kiosk locks again."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from storage import services as sv
from test_kiosk_support import (answer_current, click, dispose, find, hand_over,  # noqa: F401
                                kiosk_store, kiosk_template, make_window)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _move_database(path: Path) -> Path:
    """Rename the database (with its -wal and -shm, as a careless copy-and-delete or a moved
    folder would) while the kiosk has it open."""
    moved = path.with_name("moved-away.db")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            os.rename(src, f"{moved}{suffix}")
    return moved


def _answers_in(path: Path, administration_id: int) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT item_id, code FROM answer WHERE administration_id = ?",
                                (administration_id,)))
    finally:
        con.close()


@pytest.mark.parametrize("lang, headline", [("en", "Please call the nurse"),
                                            ("zh_CN", "请叫护士")])
def test_database_renamed_mid_questionnaire_shows_the_stop_screen(qtbot, kiosk_store, lang,
                                                                  headline):
    store = kiosk_store
    path = Path(store.db.path)
    win = make_window(qtbot, store.backend, lang=lang)
    try:
        hand_over(qtbot, win, store.b.visit_id, store.b.birth_year)
        click(qtbot, win, f"Lang_{lang}")
        click(qtbot, win, "StartButton")
        acknowledged = {}
        for _ in range(2):                               # two answers saved and acknowledged
            item = win.current.item_id
            acknowledged[item] = answer_current(qtbot, win, 0, keyboard=True)
            qtbot.waitUntil(lambda: win.current.objectName() == "ItemScreen"
                            and win.current.item_id != item)
        aid = win.controller.run.administration_id
        assert _answers_in(path, aid) == acknowledged
        moved = _move_database(path)
        screen = win.current
        qtbot.mouseClick(screen.options[0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.current.objectName() == "StationStoppedScreen")
        assert win.controller.phase == "stopped" and win.overlays == []
        assert not win.topbar.isVisible()                # nothing to tap: no language, no staff
        assert find(win, "StationStoppedHeadline").text() == headline
        text = find(win, "StationStoppedText").text()
        assert "Error" not in text and "sqlite" not in text.lower()
        # nothing continues: keys, the idle timer and staff unlock do nothing
        for key in (Qt.Key.Key_1, Qt.Key.Key_Return, Qt.Key.Key_Escape):
            qtbot.keyClick(win, key)
        win.controller.staff_button()
        win.controller.show_locked()
        assert win.current.objectName() == "StationStoppedScreen"
        assert _answers_in(moved, aid) == acknowledged        # acknowledged before: still there
        assert store.backend._patient is None            # the hand-over is over
    finally:
        dispose(win)


def test_locking_the_kiosk_ends_the_hand_over(qtbot, kiosk_store):
    store = kiosk_store
    win = make_window(qtbot, store.backend)
    try:
        hand_over(qtbot, win, store.b.visit_id, store.b.birth_year)
        patient = store.backend._patient
        assert patient is not None and patient.visit_id == store.b.visit_id
        click(qtbot, win, "Lang_en")
        click(qtbot, win, "StartButton")
        answer_current(qtbot, win, 0, keyboard=True)
        aid = win.controller.run.administration_id
        win.controller.abandon("paused by staff")        # staff pause and lock
        qtbot.waitUntil(lambda: win.controller.phase == "locked")
        with pytest.raises(sv.AuthError):
            sv.record_answer(store.db, patient, aid, win.controller.item_id or "q2", 1)
    finally:
        dispose(win)


@pytest.mark.parametrize("lang, title", [("en", "Please call the nurse"), ("zh_CN", "请叫护士")])
def test_an_ended_hand_over_is_refused_with_a_translated_message(qtbot, kiosk_store, lang,
                                                                 title):
    """The hand-over ends behind the kiosk's back (the nurse logged out at another window, or
    it expired): the next answer is refused by storage, the patient is told in their language
    (no internal code), and OK locks the kiosk."""
    store = kiosk_store
    win = make_window(qtbot, store.backend, lang=lang)
    try:
        hand_over(qtbot, win, store.b.visit_id, store.b.birth_year)
        click(qtbot, win, f"Lang_{lang}")
        click(qtbot, win, "StartButton")
        aid = win.controller.run.administration_id
        sv.end_hand_over(store.db, store.backend._patient, "staff")
        screen = win.current
        qtbot.mouseClick(screen.options[0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(ov.objectName() == "HandOverEnded" for ov in win.overlays))
        assert find(win, "HandOverEndedTitle").text() == title
        assert "AuthError" not in find(win, "HandOverEndedMessage").text()
        assert sv.administration_state(store.db, aid).answers == {}
        click(qtbot, win, "HandOverEndedOk")
        qtbot.waitUntil(lambda: win.controller.phase == "locked")
    finally:
        dispose(win)
