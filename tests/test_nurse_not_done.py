"""'Questionnaire not done…' on the visit view, on the REAL storage (demo database copy): the
dialog (questionnaire, reason, text required for Other), storage records it (audited), the
visit's questionnaire line shows "Not done — reason" and the kiosk no longer offers it; a role
without the permission is refused."""
from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt

from nurse_demo import (Reviewable, backend_for, demo_db, demo_template, login,  # noqa: F401
                        open_visit)
from storage import services as sv
from test_nurse_zh_complete import problems
from ui import i18n
from ui.nurse.audit_text import action_text, value_text
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def win(qtbot, demo_db):  # noqa: F811
    w = NurseMainWindow(backend_for(demo_db), demo=True)
    qtbot.addWidget(w)
    w.show()
    return w


def _open_visit_with_questionnaires_left(db) -> tuple[Reviewable, tuple[str, ...]]:  # noqa: ANN001
    for p in sorted(sv.list_patients(db), key=lambda r: r.subject_id):
        if sv.get_patient(db, p.id).status != "enrolled":
            continue
        for v in sv.patient_visits(db, p.id):
            if v.status in ("planned", "in_progress") and not v.locked:
                left = sv.remaining_battery(db, v.id)
                if left:
                    return Reviewable(p.id, p.subject_id, v.id, v.code, left), left
    raise AssertionError("the demo has no open visit with questionnaires left")


def test_nurse_records_a_questionnaire_not_done_and_the_visit_shows_it(qtbot, win, demo_db):  # noqa: F811
    target, left = _open_visit_with_questionnaires_left(demo_db)
    login(qtbot, win, "nurse")
    w = open_visit(qtbot, win, target)
    act = win.not_done_action
    qtbot.mouseClick(act.button, Qt.MouseButton.LeftButton)
    dlg = act.dialog
    assert dlg is not None and dlg.isVisible()
    offered = [dlg.questionnaire.itemData(i) for i in range(dlg.questionnaire.count())]
    assert tuple(offered) == left
    assert dlg.questionnaire.itemText(0) != left[0]        # named, not its id
    assert not dlg.ok_button().isEnabled()                  # a reason is required
    dlg.reason.setCurrentIndex([dlg.reason.itemData(i) for i in range(dlg.reason.count())]
                               .index("other"))
    assert not dlg.ok_button().isEnabled()                  # "Other" needs the words
    dlg.text.setText("no interpreter today")
    assert dlg.ok_button().isEnabled()
    with qtbot.waitSignal(act.recorded, timeout=20000):
        qtbot.mouseClick(dlg.ok_button(), Qt.MouseButton.LeftButton)
    [rec] = sv.visit_not_done(demo_db, target.visit_id)       # what storage stored
    assert (rec.instrument_id, rec.reason, rec.text, rec.recorded_by) == (
        left[0], "other", "no interpreter today", "nurse")
    shown = "Not done — Other: no interpreter today"
    qtbot.waitUntil(lambda: html.escape(shown) in w.visits.instruments.text(), timeout=20000)
    assert left[0] not in sv.kiosk_visit(demo_db, target.visit_id).start.remaining
    rows = [r for r in sv.audit_trail(demo_db, target.patient_id)
            if r.action == "questionnaire.not_done"]
    assert rows and rows[-1].actor_username == "nurse"
    assert rows[-1].reason == "Other: no interpreter today"
    # "it is done after all": withdrawn with a reason, offered again
    qtbot.waitUntil(act.withdraw_button.isVisible, timeout=20000)
    qtbot.mouseClick(act.withdraw_button, Qt.MouseButton.LeftButton)
    wd = act.withdraw_dialog
    assert wd is not None and wd.instrument_id() == left[0]
    assert not wd.ok_button().isEnabled()                   # a reason is required
    wd.reason.setText("interpreter arrived")
    with qtbot.waitSignal(act.recorded, timeout=20000):
        qtbot.mouseClick(wd.ok_button(), Qt.MouseButton.LeftButton)
    assert sv.visit_not_done(demo_db, target.visit_id) == []
    assert left[0] in sv.kiosk_visit(demo_db, target.visit_id).start.remaining
    qtbot.waitUntil(lambda: not act.withdraw_button.isVisible()
                    and "Not done" not in w.visits.instruments.text(), timeout=20000)
    undo = [r for r in sv.audit_trail(demo_db, target.patient_id)
            if r.action == "questionnaire.not_done_withdrawn"]
    assert undo and undo[-1].reason == "interpreter arrived"


def test_service_refuses_a_role_without_the_permission(qtbot, win, demo_db):  # noqa: F811
    target, left = _open_visit_with_questionnaires_left(demo_db)
    login(qtbot, win, "investigator")
    admin = sv.authenticate(demo_db, "admin", "site-demo-1", station_id="WS-TEST")
    with pytest.raises(sv.PermissionDenied):
        sv.mark_not_done(demo_db, admin, target.visit_id, left[0], reason="refused")
    assert sv.visit_not_done(demo_db, target.visit_id) == []


@pytest.fixture
def zh():
    i18n.set_language("zh_CN")
    i18n.install_staff_translators("zh_CN")
    yield
    i18n.set_language("en")
    i18n.install_staff_translators("en")


def test_dialog_and_shown_state_in_zh_cn(qtbot, demo_db, zh):  # noqa: F811
    target, left = _open_visit_with_questionnaires_left(demo_db)
    win = NurseMainWindow(backend_for(demo_db), demo=True)
    qtbot.addWidget(win)
    win.show()
    login(qtbot, win, "nurse")
    w = open_visit(qtbot, win, target)
    act = win.not_done_action
    assert act.button.text() == "问卷未完成…"
    dlg = act.open_dialog()
    assert dlg is not None
    assert problems(dlg, set(), set()) == []              # no English, no internal code
    assert [dlg.reason.itemText(i) for i in range(dlg.reason.count())][0] == "患者拒绝"
    dlg.reason.setCurrentIndex(1)                           # too unwell
    with qtbot.waitSignal(act.recorded, timeout=20000):
        qtbot.mouseClick(dlg.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "未完成 — 患者身体状况不允许" in w.visits.instruments.text(),
                    timeout=20000)
    qtbot.waitUntil(act.withdraw_button.isVisible, timeout=20000)
    assert act.withdraw_button.text() == "仍已完成…"
    wd = act.open_withdraw()
    assert wd is not None and problems(wd, set(), set()) == []
    wd.reject()


def test_audit_view_reads_a_not_done_record_in_words(qtbot, zh):  # noqa: ARG001
    detail = '{"instrument_id":"csc","reason":"too_unwell","text":""}'
    assert action_text("questionnaire.not_done") == "问卷未完成"
    shown = value_text(detail)
    assert shown.endswith("患者身体状况不允许") and "too_unwell" not in shown
