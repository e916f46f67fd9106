"""What a nurse and a patient met on a real kiosk (driven under Xvfb with xdotool): the window
covers the screen even without a window manager; the staff list shows the visits to hand over
before a long alert list; an interrupted questionnaire's "3 of 23 answered" counts the items
the patient is asked; the idle countdown at the identity check does not speak of saved answers."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from forms.instrument import load_instrument
from forms.registry import registry
from storage import services as sv
from storage_fixtures import PASSWORDS, answer_all
from test_kiosk_support import (dispose, find, kiosk_store, kiosk_template,  # noqa: F401
                                make_window, unlock)
from ui.kiosk.flow import InstrumentRun
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


def _raise_warning_alerts(store) -> int:
    """DEMO-0004 answers the second option (Yes to each warning sign) of every item of the
    questionnaire that raises alerts: one alert per warning sign."""
    nurse = sv.authenticate(store.db, "nurse", PASSWORDS["nurse"])
    inst = next(i for i in sv.remaining_battery(store.db, store.b.visit_id)
                if registry().find(i).alerter is not None)
    aid = sv.start_administration(store.db, nurse, visit_id=store.b.visit_id,
                                  instrument_id=inst, language="en")
    answer_all(store.db, nurse, aid, code_for=lambda item, codes: codes[1])
    sv.submit_administration(store.db, nurse, aid)
    return len(sv.list_alerts(store.db, unacknowledged=True))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_staff_list_shows_the_visits_above_a_long_alert_list(qtbot, kiosk_store, lang):
    # a nurse unlocking the kiosk comes to hand a visit over: with many open alerts (the demo
    # database has dozens) the visit buttons were below the fold, under five alert boxes
    assert _raise_warning_alerts(kiosk_store) >= 5
    win = make_window(qtbot, kiosk_store.backend, lang=lang)
    try:
        unlock(qtbot, win)
        screen = win.current
        assert screen.objectName() == "StaffScreen"
        visit = find(win, f"Visit_{kiosk_store.a.visit_id}")
        alerts = screen.findChildren(QLabel, "StaffAlert")
        assert len(alerts) == 5
        viewport = screen.scroll.viewport()
        bottom = visit.mapTo(viewport, visit.rect().bottomLeft()).y()
        assert bottom <= viewport.height(), "the visit to hand over is below the fold"
        assert all(a.mapTo(viewport, a.rect().topLeft()).y() > bottom for a in alerts)
    finally:
        dispose(win)


def test_resume_offer_counts_the_items_this_patient_is_asked(qtbot, kiosk_store):
    # the patient saw "Question 4 of 23" (a follow-up item not asked after "None"); the staff
    # list then offered "3 of 24 answered": storage counted every item of the instrument
    store = kiosk_store
    nurse = sv.authenticate(store.db, "nurse", PASSWORDS["nurse"])
    assert "csc" in sv.remaining_battery(store.db, store.b.visit_id)
    aid = sv.start_administration(store.db, nurse, visit_id=store.b.visit_id,
                                  instrument_id="csc", language="en")
    inst = load_instrument("csc")
    state = sv.administration_state(store.db, aid)
    run = InstrumentRun(inst, aid, state.visit_code, visit_kind=state.visit_kind)
    for item_id in run.ids()[:3]:
        code = inst.options_for(item_id).codes[0]          # "None": its follow-up is not asked
        sv.record_answer(store.db, nurse, aid, item_id, code)
        run.answers[item_id] = code
    assert len(run.ids()) < len(inst.items)                # a follow-up item left out
    sv.mark_interrupted(store.db, nurse, aid)
    win = make_window(qtbot, store.backend)
    try:
        unlock(qtbot, win)
        text = find(win, f"Resume_{aid}").text()
        assert f"3 of {len(run.ids())} answered" in text, text
    finally:
        dispose(win)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_idle_at_the_identity_check_does_not_speak_of_saved_answers(qtbot, kiosk_store, lang):
    # a patient who walks away at the identity check has no questionnaire and no answers: the
    # countdown said "the questionnaire will close ... Your answers so far are saved"
    win = make_window(qtbot, kiosk_store.backend, lang=lang, countdown_s=30)
    try:
        unlock(qtbot, win)
        qtbot.mouseClick(find(win, f"Visit_{kiosk_store.b.visit_id}"), Qt.MouseButton.LeftButton)
        assert win.controller.phase == "identity"
        win.controller._on_idle()                  # nobody tapped for the idle time
        assert win.overlays[-1].objectName() == "IdleOverlay"
        text = win.overlays[-1].message.text()
        assert ("this screen will close in 30 seconds" in text if lang == "en"
                else "此页面将在 30 秒后关闭" in text), text
        assert "saved" not in text and "保存" not in text
    finally:
        dispose(win)
