"""The kiosk staff list in the staff's language on real storage: a visit waiting for two
reasons joins them with the language's own separator, and an alert names the question by its
text (never an internal item code such as "A2")."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtWidgets import QLabel

from forms import csc
from storage import services as sv
from storage.clock import use_clock
from storage_fixtures import PASSWORDS, answer_all
from test_kiosk_support import (dispose, find, kiosk_store, kiosk_template,  # noqa: F401
                                make_window, unlock)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _submit_now(store, visit_id: int, codes: dict[str, int] | None = None) -> None:
    nurse = sv.authenticate(store.db, "nurse", PASSWORDS["nurse"])
    for inst in sv.remaining_battery(store.db, visit_id):
        aid = sv.start_administration(store.db, nurse, visit_id=visit_id, instrument_id=inst,
                                      language="en")
        answer_all(store.db, nurse, aid)
        for item_id, code in (codes or {}).items():
            if item_id in sv.administration_state(store.db, aid).answers:
                sv.record_answer(store.db, nurse, aid, item_id, code)
        sv.submit_administration(store.db, nurse, aid)


def test_waiting_reasons_joined_in_chinese(qtbot, kiosk_store):
    store = kiosk_store
    # DEMO-0003: W4 (SF-36 + CSC) ten days ago, W8 (CSC) two days ago: the next visit waits for
    # the SF-36's 4-week and the CSC's 1-week recall period
    now = datetime.now(timezone.utc)
    for days in (10, 2):
        past = now - timedelta(days=days)
        with use_clock(lambda: past):
            visit = next(o for o in sv.open_visits(store.db) if o.patient_id == store.a.patient_id)
            _submit_now(store, visit.visit_id)
    waiting = next(k for k in sv.kiosk_visits(store.db) if k.patient_id == store.a.patient_id)
    assert len(waiting.start.blocks) >= 2            # both questionnaires wait
    win = make_window(qtbot, store.backend, lang="zh_CN")
    try:
        unlock(qtbot, win)
        why = find(win, f"Waiting_{waiting.visit_id}").text()
        assert "；" in why and "; " not in why, why
    finally:
        dispose(win)


def test_alert_names_the_question_in_chinese_never_its_code(qtbot, kiosk_store):
    store = kiosk_store
    _submit_now(store, store.b.visit_id, codes={"A2": csc.YES})     # black stools: Yes
    assert [a.item_id for a in sv.list_alerts(store.db, unacknowledged=True)] == ["A2"]
    win = make_window(qtbot, store.backend, lang="zh_CN")
    try:
        unlock(qtbot, win)
        [shown] = [w.text() for w in win.current.findChildren(QLabel, "StaffAlert")]
        assert "黑便或血便：患者回答“是”" in shown and "A2" not in shown, shown
    finally:
        dispose(win)
