"""Staff main window over the in-memory backend: roles, review, correction, signature, enrol, idle."""
from __future__ import annotations

from datetime import date, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from storage.errors import PermissionDenied
from ui.nurse.main_window import NurseMainWindow
from ui.nurse.memory_backend import demo_backend

TODAY = date(2025, 6, 1)
# the offscreen platform plugin warns when a dialog is shown; nothing of ours
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def seeded():
    return demo_backend(today=TODAY, n_patients=6)


@pytest.fixture
def backend():
    return demo_backend(today=TODAY, n_patients=6)


def login(qtbot, win, user, pw):
    with qtbot.waitSignal(win.patients_loaded if user != "admin" else win.logged_in, timeout=5000):
        win.login.user_edit.setText(user)
        win.login.password_edit.setText(pw)
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)


def open_first_patient(qtbot, win):
    w = win.work
    w.proxy.sort(0, Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(win.visit_loaded, timeout=5000):
        w.table.setCurrentIndex(w.proxy.index(0, 0))
    return w


def make(qtbot, backend, **kw):
    win = NurseMainWindow(backend, demo=True, **kw)
    qtbot.addWidget(win)
    return win


def test_title_and_login_screen(qtbot, backend):
    win = make(qtbot, backend)
    assert win.windowTitle().startswith("ePRO Desk")
    assert win.stack.currentWidget() is win.login and win.work is None


def test_nurse_sees_list_review_but_cannot_sign(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "nurse", "nurse-demo")
    w = open_first_patient(qtbot, win)
    assert w.model.rowCount() == 6
    assert w.patient_header.text().startswith("SH01-001")
    review = w.review.review
    assert [i.instrument_id for i in review.instruments] == ["rand36", "csc"]
    assert w.review.tree.topLevelItem(0).childCount() == 36
    assert not w.review.sign_button.isEnabled()
    assert w.enrol_button.isEnabled()
    with pytest.raises(PermissionDenied):         # and the service refuses too
        backend.sign_visit(win.actor, win.visit_id, password="nurse-demo",
                           meaning="reviewed and approved")


def test_admin_cannot_see_or_edit_clinical_data(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "admin", "admin-demo")
    w = win.work
    assert not w.table.isEnabled() and not w.enrol_button.isEnabled()
    assert w.model.rowCount() == 0
    assert not w.clinical.lab_edits["bilirubin"].isEnabled()
    with pytest.raises(PermissionDenied):
        backend.save_clinical(win.actor, next(iter(backend.visits)), {"labs": {}})


def test_correction_needs_reason_and_is_audited(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "nurse", "nurse-demo")
    w = open_first_patient(qtbot, win)
    assert w.review.select_item("C1")
    adm_id, ans = w.review.selected()
    assert w.review.correct_button.isEnabled()
    dlg = win.open_correct(adm_id, ans)
    new = (ans.code + 1) % 5
    dlg.new_answer.setCurrentIndex(dlg.new_answer.findData(new))
    dlg.reason.setCurrentIndex(0)
    assert not dlg.ok_button.isEnabled()          # free text still missing
    dlg.details.setPlainText("   ")
    assert not dlg.ok_button.isEnabled()          # whitespace is not a reason
    dlg.details.setPlainText("patient pointed at the wrong box; phone note 12")
    assert dlg.ok_button.isEnabled()
    with qtbot.waitSignal(win.visit_loaded, timeout=5000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    rows = [r for r in backend.audit_rows if r.action == "answer.correct"]
    assert len(rows) == 1 and rows[0].old_value == str(ans.code) and rows[0].new_value == str(new)
    assert rows[0].reason.startswith("transcription_error: patient pointed")
    assert rows[0].username == "nurse" and rows[0].role == "nurse"
    assert w.review.select_item("C1")
    assert w.review.selected()[1].code == new and w.review.selected()[1].change_count == 1
    assert "phone note 12" in w.review.history.item(0).text()


def test_investigator_signs_then_correction_requires_resignature(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "investigator", "investigator-demo")
    w = open_first_patient(qtbot, win)
    assert w.review.sign_button.isEnabled()
    dlg = win.open_sign()
    assert "reviewed and approved" in dlg.findChild(QWidget, "sign_statement").text()
    dlg.password.setText("wrong")
    with qtbot.waitSignal(win.action_failed, timeout=2000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and dlg.password.text() == ""
    assert backend.signatures.get(win.visit_id) is None
    dlg.password.setText("investigator-demo")
    with qtbot.waitSignal(win.visit_loaded, timeout=5000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    text = w.review.signature_label.text()
    assert "Dr Wang Fang" in text and "reviewed and approved" in text and "(UTC" in text
    sig = backend.signatures[win.visit_id][-1]
    assert sig.signed_at.tzinfo is timezone.utc and sig.status == "valid"

    w.review.select_item("q1")
    adm_id, ans = w.review.selected()
    with pytest.raises(Exception, match="reason"):
        backend.correct_answer(win.actor, adm_id, "q1", (ans.code % 5) + 1, reason="  ")
    with qtbot.waitSignal(win.visit_loaded, timeout=5000):
        backend.correct_answer(win.actor, adm_id, "q1", (ans.code % 5) + 1,
                               reason="other: source document says so")
        win.load_visit(win.visit_id)
    assert w.review.review.signature_state == "resign_required"
    assert "Re-signature required" in w.review.signature_label.text()


def test_hand_kiosk_signal(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "nurse", "nurse-demo")
    w = open_first_patient(qtbot, win)
    assert w.visits.kiosk_button.isEnabled()
    with qtbot.waitSignal(win.hand_to_kiosk, timeout=2000) as got:
        qtbot.mouseClick(w.visits.kiosk_button, Qt.MouseButton.LeftButton)
    assert got.args == [win.patient_id, w.visits.current_visit().id]


def test_idle_logout_destroys_work_area(qtbot, backend):
    win = make(qtbot, backend, idle_ms=300)
    login(qtbot, win, "nurse", "nurse-demo")
    work = win.work
    destroyed = []
    work.destroyed.connect(lambda *_: destroyed.append(True))
    with qtbot.waitSignal(win.logged_out, timeout=3000) as got:
        pass
    assert got.args == ["idle"]
    assert win.work is None and win.stack.currentWidget() is win.login
    assert "inactivity" in win.login.message_label.text()
    qtbot.waitUntil(lambda: bool(destroyed), timeout=2000)


def _fill_enrol(dlg, subject, birth, excl_applies=None):
    from PySide6.QtCore import QDate
    dlg.subject_id.setText(subject)
    dlg.initials.setText("ZW")
    dlg.full_name.setText("张伟")
    dlg.sex.setCurrentIndex(0)
    dlg.arm.setCurrentIndex(0)
    dlg.birth.setDate(QDate(*birth))
    for name, val, unit in (("bilirubin", "40", "umol/L"), ("albumin", "30", "g/L"),
                            ("inr", "1.5", ""), ("creatinine", "80", "umol/L"),
                            ("sodium", "136", "mmol/L")):
        dlg.unit_combos[name].setCurrentIndex(dlg.unit_combos[name].findData(unit))
        dlg.lab_edits[name].setText(val)
    dlg.ascites.setCurrentIndex(1)
    dlg.he.setCurrentIndex(0)
    for cid, combo in dlg.crit_combos.items():
        applies = cid == excl_applies
        combo.setCurrentIndex(combo.findData(True if cid.startswith("I") else applies))


def test_enrol_eligible_patient(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "nurse", "nurse-demo")
    dlg = win.open_enrol()
    _fill_enrol(dlg, "SH01-900", (1970, 5, 1))
    assert dlg.scores.child_pugh.score == 8 and dlg.eligibility.eligible
    assert not dlg.override_box.isEnabled() and dlg.ok_button.isEnabled()
    with qtbot.waitSignal(win.patients_loaded, timeout=5000) as got:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert got.args == [7]
    p = next(p for p in backend.patients.values() if p.subject_id == "SH01-900")
    assert len(backend.patient_visits(p.id)) == 9 and backend.eligibility[p.id]["override"] is None


def test_ineligible_needs_investigator_override(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "nurse", "nurse-demo")
    dlg = win.open_enrol()
    today = date.today()
    _fill_enrol(dlg, "SH01-901", (today.year - 17, 1, 1))   # 17 at consent
    assert dlg.eligibility.failed == ("I1_age",)
    assert dlg.override_box.isEnabled() and not dlg.ok_button.isEnabled()
    dlg.ov_reason.setPlainText("sponsor waiver 2025-07")
    assert dlg.ok_button.isEnabled()
    dlg.ov_user.setText("nurse")                 # a nurse cannot confirm an override
    dlg.ov_password.setText("nurse-demo")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "investigator" in dlg.message.text()
    assert all(p.subject_id != "SH01-901" for p in backend.patients.values())
    dlg.ov_user.setText("investigator")
    dlg.ov_password.setText("investigator-demo")
    with qtbot.waitSignal(win.patients_loaded, timeout=5000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    p = next(p for p in backend.patients.values() if p.subject_id == "SH01-901")
    ov = backend.eligibility[p.id]["override"]
    assert ov["investigator"] == "investigator" and ov["failed"] == ["I1_age"]
    assert ov["reason"] == "sponsor waiver 2025-07"


def test_search_box_filters_list(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "nurse", "nurse-demo")
    w = win.work
    w.search.setText("欧阳")
    assert w.proxy.rowCount() == 1
    w.search.setText("%")
    assert w.proxy.rowCount() == 0


def test_switching_patient_clears_previous_patient_at_once(qtbot, backend):
    win = make(qtbot, backend)
    login(qtbot, win, "investigator", "investigator-demo")
    w = open_first_patient(qtbot, win)
    assert w.review.review is not None
    with qtbot.waitSignal(win.patient_loaded, timeout=5000):
        w.table.setCurrentIndex(w.proxy.index(1, 0))
        # before the new patient has loaded, nothing of the first one is shown or signable
        assert w.review.review is None and w.visits.visits == [] and win.open_sign() is None
    assert w.patient_header.text().startswith("SH01-002")
