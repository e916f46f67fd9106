"""Patient-level actions of the staff window on the REAL storage (demo database copy): an
investigator corrects the arm with a reason (audited), a nurse is refused; staff add an
unscheduled or the early-termination visit, which appears in the list with its protocol label
and opens with the protocol's questionnaires and staff forms; visits are named by their label."""
from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from forms.outcomes import visit_outcome_kinds
from forms.schedule import visit_definition, visit_label
from nurse_demo import (backend_for, demo_db, demo_template, login, open_row,  # noqa: F401
                        open_visit, reviewable_visit)
from storage import services as sv
from ui.nurse.main_window import NurseMainWindow
from ui.nurse.visit_actions import VisitActions

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def win(qtbot, demo_db):  # noqa: F811
    w = NurseMainWindow(backend_for(demo_db), demo=True)
    qtbot.addWidget(w)
    w.show()
    return w


def _active_patient(db):  # noqa: ANN001, ANN202
    """An enrolled patient (not terminated, no ET visit yet) and their list row."""
    for i, row in enumerate(sorted(sv.list_patients(db), key=lambda r: r.subject_id)):
        info = sv.get_patient(db, row.id)
        codes = {v.code for v in sv.patient_visits(db, row.id)}
        if info.status == "enrolled" and "ET" not in codes:
            return info, i
    raise AssertionError("the demo has no active patient")


def _open(qtbot, win, db):  # noqa: ANN001, ANN202
    info, row = _active_patient(db)
    open_row(qtbot, win, row)
    assert win.patient_info.id == info.id
    return info


# -- arm correction -----------------------------------------------------------------------------
def test_investigator_corrects_the_arm_with_a_reason_and_it_is_audited(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "investigator")
    info = _open(qtbot, win, demo_db)
    acts = win.patient_actions
    assert acts.arm_button.isEnabled()
    qtbot.mouseClick(acts.arm_button, Qt.MouseButton.LeftButton)
    dlg = acts.arm_dialog
    assert dlg is not None and dlg.isVisible()
    offered = [dlg.arm.itemData(i) for i in range(dlg.arm.count())]
    assert info.arm not in offered and offered                  # the other arms only
    assert not dlg.ok_button().isEnabled()                      # arm and reason required
    dlg.arm.setCurrentIndex(0)
    assert not dlg.ok_button().isEnabled()
    dlg.reason.setPlainText("Allocation slot of the next patient used in error")
    assert dlg.ok_button().isEnabled()
    new_arm = dlg.arm_id()
    with qtbot.waitSignal(acts.arm_corrected, timeout=20000):
        qtbot.mouseClick(dlg.ok_button(), Qt.MouseButton.LeftButton)
    assert sv.get_patient(demo_db, info.id).arm == new_arm      # what storage stored
    rows = [r for r in sv.audit_trail(demo_db, info.id) if r.field == "arm"]
    assert rows and rows[-1].old_value == info.arm and rows[-1].new_value == new_arm
    assert rows[-1].reason == "Allocation slot of the next patient used in error"
    assert rows[-1].actor_username == "investigator"
    label = dict((a.id, a.label) for a in VisitActions(demo_db).arms())[new_arm]
    qtbot.waitUntil(lambda: label in win.work.patient_header.text(), timeout=20000)


def test_nurse_is_refused_with_a_clear_message_and_nothing_changes(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "nurse")
    info = _open(qtbot, win, demo_db)
    with qtbot.waitSignal(win.action_failed, timeout=5000) as got:
        qtbot.mouseClick(win.patient_actions.arm_button, Qt.MouseButton.LeftButton)
    assert "Only an investigator" in got.args[0]
    assert win.patient_actions.arm_dialog is None
    # the service itself refuses the nurse (the screen's check is a courtesy, not the guard)
    other = next(a.id for a in VisitActions(demo_db).arms() if a.id != info.arm)
    with pytest.raises(sv.PermissionDenied):
        VisitActions(demo_db).correct_arm(win.actor, info.id, other, "trying")
    assert sv.get_patient(demo_db, info.id).arm == info.arm


# -- on-demand visits -------------------------------------------------------------------------
def _add(qtbot, win, kind: str, reason: str) -> int:  # noqa: ANN001
    acts = win.patient_actions
    qtbot.mouseClick(acts.visit_button, Qt.MouseButton.LeftButton)
    dlg = acts.visit_dialog
    assert dlg is not None and dlg.isVisible()
    kinds = [dlg.kind.itemData(i) for i in range(dlg.kind.count())]
    dlg.kind.setCurrentIndex(kinds.index(kind))
    assert dlg.visit_date() == date.today()
    assert not dlg.ok_button().isEnabled()                      # a reason is required
    dlg.reason.setPlainText(reason)
    with qtbot.waitSignal(acts.visit_added, timeout=20000) as got:
        qtbot.mouseClick(dlg.ok_button(), Qt.MouseButton.LeftButton)
    return got.args[0]


def test_unscheduled_visit_added_appears_labelled_and_opens_its_forms(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "nurse")
    info = _open(qtbot, win, demo_db)
    vid = _add(qtbot, win, "unscheduled", "New ascites reported by phone")
    stored = next(v for v in sv.patient_visits(demo_db, info.id) if v.id == vid)
    assert stored.code.startswith("UNS") and stored.planned_date == date.today()
    assert stored.unscheduled_reason == "New ascites reported by phone"
    w = win.work
    cur = w.visits.current_visit()
    assert cur is not None and cur.id == vid                    # the new visit is selected
    proto = sv.current_protocol(demo_db)
    label = visit_label(proto, stored.code, "en")               # "Unscheduled visit 1"
    row = [v.id for v in w.visits.visits].index(vid)
    assert w.visits.table.item(row, 0).text() == label
    qtbot.waitUntil(lambda: win.visit_id == vid and w.outcomes.visit_id == vid, timeout=20000)
    kinds = [w.outcomes.kind_box.itemData(i) for i in range(w.outcomes.kind_box.count())]
    assert kinds == list(visit_outcome_kinds(proto, stored.code)) and kinds
    battery = visit_definition(proto, stored.code).battery
    assert battery and all(i in w.visits.battery_of(stored.code) for i in battery)
    assert label in w.visit_context.text()                      # "DEMO-… · Unscheduled visit 1"
    audit = [r for r in sv.audit_trail(demo_db, info.id) if r.action == "visit.add_unscheduled"]
    assert audit and audit[-1].reason == "New ascites reported by phone"


def test_early_termination_visit_added_once(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "investigator")
    info = _open(qtbot, win, demo_db)
    vid = _add(qtbot, win, "early_termination", "Patient withdrew consent")
    stored = next(v for v in sv.patient_visits(demo_db, info.id) if v.id == vid)
    assert stored.code == "ET"
    w = win.work
    qtbot.waitUntil(lambda: w.outcomes.visit_id == vid, timeout=20000)
    kinds = [w.outcomes.kind_box.itemData(i) for i in range(w.outcomes.kind_box.count())]
    assert "early_termination" in kinds
    assert w.visits.table.item([v.id for v in w.visits.visits].index(vid), 0).text() \
        == "Early termination"
    qtbot.mouseClick(win.patient_actions.visit_button, Qt.MouseButton.LeftButton)
    dlg = win.patient_actions.visit_dialog
    offered = [dlg.kind.itemData(i) for i in range(dlg.kind.count())]
    assert "early_termination" not in offered and "unscheduled" in offered
    dlg.reject()


def test_visit_list_names_visits_by_label(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "nurse")
    _open(qtbot, win, demo_db)
    w = win.work
    proto = sv.current_protocol(demo_db)
    shown = [w.visits.table.item(r, 0).text() for r in range(w.visits.table.rowCount())]
    assert shown == [visit_label(proto, v.code, "en") for v in w.visits.visits]
    assert "Week 12" in shown and "W12" not in shown


def test_today_view_names_visits_by_label(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "investigator")
    model = win.work.today.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=20000)
    proto = sv.current_protocol(demo_db)
    rows = [r for r in model.rows if r.visit_code]
    assert rows
    for i, r in enumerate(model.rows):
        if r.visit_code:
            assert model.data(model.index(i, 2)) == visit_label(proto, r.visit_code, "en")
    assert any(model.data(model.index(i, 2)) != r.visit_code
               for i, r in enumerate(model.rows) if r.visit_code)


def test_patient_list_names_the_next_visit_by_label(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "nurse")
    proto = sv.current_protocol(demo_db)
    labels = {visit_label(proto, v.id, "en") for v in proto.visits}
    rows = win.work.model.rows()
    shown = [r.next_visit for r in rows if r.next_visit]
    assert shown and all(s in labels for s in shown), shown


def test_sign_dialog_names_the_visit_by_label(qtbot, win, demo_db):  # noqa: F811
    target = reviewable_visit(demo_db, "q1")
    login(qtbot, win, "investigator")
    open_visit(qtbot, win, target)
    dlg = win.open_sign()
    assert dlg is not None
    statement = dlg.findChild(QLabel, "sign_statement").text()
    label = visit_label(sv.current_protocol(demo_db), target.visit_code, "en")
    assert label != target.visit_code
    assert f"visit {label} for subject {target.subject_id}" in statement
    dlg.reject()


def test_kiosk_lists_an_added_unscheduled_visit_by_its_numbered_label(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "nurse")
    _open(qtbot, win, demo_db)
    vid = _add(qtbot, win, "unscheduled", "Fever at home")
    kv = sv.kiosk_visit(demo_db, vid)
    number = kv.visit_code[len("UNS"):]
    assert kv.label == {"en": f"Unscheduled visit {number}", "zh_CN": f"计划外访视 {number}"}


def test_alerts_notice_names_the_visit_by_label(qtbot, win, demo_db):  # noqa: F811
    login(qtbot, win, "investigator")
    qtbot.waitUntil(lambda: win.alerts_notice is not None, timeout=20000)
    lst = win.alerts_notice.list
    texts = [lst.item(i).text() for i in range(lst.count())]
    assert texts
    assert any(", Week " in t or ", Baseline" in t or ", Early termination" in t for t in texts)
    assert not any(re.search(r", (W\d+|BL|ET|UNS\d+) —", t) for t in texts), texts[:3]
    win.alerts_notice.close()
