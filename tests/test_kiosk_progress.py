"""The kiosk's progress line and bar on real storage: a resumed questionnaire still says which
part of the visit's questionnaires it is, and the bar counts answers, not the question shown."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from forms.instrument import load_instrument
from storage import services as sv
from storage_fixtures import PASSWORDS, answer_all
from test_kiosk_support import (answer_current, click, confirm_identity, dispose, find,  # noqa: F401
                                kiosk_store, kiosk_template, make_window, unlock)
from ui.kiosk.flow import InstrumentRun
from ui.kiosk.question_screens import ItemScreen

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _interrupt_second(store, n_answered: int) -> tuple[int, str, InstrumentRun]:
    """The first questionnaire of patient A's visit submitted, the second started with
    ``n_answered`` answers and interrupted (the patient walked away)."""
    nurse = sv.authenticate(store.db, "nurse", PASSWORDS["nurse"])
    first, second = sv.remaining_battery(store.db, store.a.visit_id)[:2]
    aid = sv.start_administration(store.db, nurse, visit_id=store.a.visit_id,
                                  instrument_id=first, language="en")
    answer_all(store.db, nurse, aid)
    sv.submit_administration(store.db, nurse, aid)
    aid = sv.start_administration(store.db, nurse, visit_id=store.a.visit_id,
                                  instrument_id=second, language="en")
    inst = load_instrument(second)
    state = sv.administration_state(store.db, aid)
    run = InstrumentRun(inst, aid, state.visit_code, visit_kind=state.visit_kind)
    for item_id in run.ids()[:n_answered]:
        code = inst.options_for(item_id).codes[0]
        sv.record_answer(store.db, nurse, aid, item_id, code)
        run.answers[item_id] = code
    sv.mark_interrupted(store.db, nurse, aid)
    return aid, second, run


def test_resumed_questionnaire_keeps_part_and_bar_counts_answers(qtbot, kiosk_store):
    store = kiosk_store
    assert sv.submitted_battery(store.db, store.a.visit_id) == ()
    aid, second, run = _interrupt_second(store, 3)
    assert sv.submitted_battery(store.db, store.a.visit_id) != ()
    total = len(run.ids())
    win = make_window(qtbot, store.backend)
    try:
        unlock(qtbot, win)
        click(qtbot, win, f"Resume_{aid}")
        confirm_identity(qtbot, win, store.a.birth_year)
        screen = win.current
        assert isinstance(screen, ItemScreen)
        # the patient saw "Part 2 of 2" before walking away; the resume said nothing of parts
        assert screen.progress_label.text() == f"Part 2 of 2 · Question 4 of {total}"
        bar = screen.progress_bar
        assert (bar.value(), bar.maximum()) == (3, total)      # 3 answered (was 4: the number)
        # on to the last question: the bar is not full before it is answered
        while win.controller.run.next_id(win.current.item_id) is not None:
            answer_current(qtbot, win, 0, keyboard=False)
            qtbot.waitUntil(lambda: isinstance(win.current, ItemScreen)
                            and not win.controller._busy)
        screen = win.current
        n_now = len(win.controller.run.ids())
        assert screen.progress_label.text().endswith(f"Question {n_now} of {n_now}")
        assert screen.progress_bar.value() == n_now - 1 < screen.progress_bar.maximum()
        qtbot.mouseClick(screen.options[0], Qt.MouseButton.LeftButton)   # saved at once
        assert screen.progress_bar.value() == screen.progress_bar.maximum()
    finally:
        dispose(win)
