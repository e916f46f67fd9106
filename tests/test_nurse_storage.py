"""Nurse screens over the REAL storage services (temporary SQLite database)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from storage import services as sv
from storage.demo import eligible_screening
from storage.auth_sessions import system_actor
from storage.db import open_database
from storage.errors import PermissionDenied
from ui.nurse.backend import StorageBackend
from ui.nurse.login import LoginWidget
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
PW = {"nurse": "ward-rounds-17", "investigator": "trial-signer-42", "admin": "site-keys-88"}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("nurse") / "t.db"
    db = open_database(f"sqlite:///{path}")
    system = system_actor()
    sv.create_study(db, system)
    for role, pw in PW.items():
        sv.create_user(db, system, username=role, full_name=f"{role.title()} Person", role=role,
                       password=pw)
    nurse = sv.authenticate(db, "nurse", PW["nurse"])
    day1 = date.today() - timedelta(days=20)
    pid = sv.enrol_patient(db, nurse, subject_id="SH01-001", initials="ZW", sex="F",
                           day1_date=day1, full_name="张伟",
                           screening=eligible_screening(sv.current_protocol(db), day1,
                                                        birth_date=date(day1.year - 55, 6, 1)))
    visit = sv.patient_visits(db, pid)[0]
    for inst, answers in (("rand36", {f"q{i}": 1 for i in range(1, 37)}),
                          ("csc", {**{c: 2 for c in ("C1", "C2", "C2b", "C3", "C4", "S1", "S2",
                                                    "S3", "S4", "S5", "S6", "S7", "S8", "G1")},
                                   "P1": 0, "P2": 0, **{f"A{i}": 0 for i in range(1, 8)}})):
        aid = sv.start_administration(db, nurse, visit_id=visit.id, instrument_id=inst,
                                      language="en")
        for item, code in answers.items():
            sv.record_answer(db, nurse, aid, item, code)
        sv.submit_administration(db, nurse, aid)
    sv.enter_clinical_assessment(db, nurse, visit.id, {
        "sample_date": day1, "ascites": "slight", "encephalopathy": "none",
        "labs": {"bilirubin": {"value": "2.5", "unit": "mg/dL"},
                 "albumin": {"value": "3.0", "unit": "g/dL"}, "inr": {"value": "1.5"},
                 "creatinine": {"value": "1.2", "unit": "mg/dL"}, "sodium": {"value": "131"}}})
    db.dispose()
    return path


@pytest.fixture
def backend(template, tmp_path):
    import shutil
    path = tmp_path / "epro.db"
    shutil.copyfile(template, path)
    db = open_database(f"sqlite:///{path}")
    yield StorageBackend(db)
    db.dispose()


def login(qtbot, win, user):
    with qtbot.waitSignal(win.patients_loaded, timeout=10000):
        win.login.user_edit.setText(user)
        win.login.password_edit.setText(PW[user])
        win.login.submit()


def open_patient(qtbot, win):
    w = win.work
    with qtbot.waitSignal(win.patient_loaded, timeout=10000):
        w.table.setCurrentIndex(w.proxy.index(0, 0))
    # the panel pre-selects the overdue W1; the answers are at baseline
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        w.visits.table.clearSelection()   # BL may be auto-selected, loaded already
        w.visits.select_code("BL")
    return w


def test_lockout_same_message_through_real_auth(qtbot, backend):
    w = LoginWidget(backend.authenticate)
    qtbot.addWidget(w)
    msgs = []
    for pw in ["bad"] * 5 + [PW["nurse"]]:          # 6th: right password, account locked
        w.user_edit.setText("nurse")
        w.password_edit.setText(pw)
        with qtbot.waitSignal(w.attempt_finished, timeout=10000) as got:
            w.submit()
        assert got.args == [False]
        msgs.append(w.message_label.text())
    w.user_edit.setText("nobody")
    w.password_edit.setText("x")
    with qtbot.waitSignal(w.attempt_finished, timeout=10000):
        w.submit()
    msgs.append(w.message_label.text())
    assert len(set(msgs)) == 1
    actions = [r.action for r in backend.audit()]
    assert "auth.lockout" in actions


def test_review_correct_sign_resign_on_real_storage(qtbot, backend):
    win = NurseMainWindow(backend)
    qtbot.addWidget(win)
    login(qtbot, win, "investigator")
    w = open_patient(qtbot, win)
    assert w.patient_header.text().startswith("SH01-001")
    rev = w.review.review
    assert [i.instrument_id for i in rev.instruments] == ["rand36", "csc"]
    csc = rev.instruments[1]
    assert csc.scores.get("rss") == 8.0
    assert w.review.select_item("C1")
    adm, ans = w.review.selected()
    dlg = win.open_sign()
    assert dlg.needs_user_id and dlg.user_id.isVisibleTo(dlg)   # first signature: ID + password
    dlg.password.setText(PW["investigator"])
    assert not dlg.ok_button.isEnabled()
    dlg.user_id.setText("investigator")
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert w.review.review.signature_state == "signed"
    assert "(UTC" in w.review.signature_label.text()
    assert not w.review.sign_button.isEnabled()             # signed: "Sign visit…" disabled
    dlg = win.open_correct(adm, ans)
    dlg.new_answer.setCurrentIndex(dlg.new_answer.findData(3))
    dlg.reason.setCurrentIndex(1)
    dlg.details.setPlainText("patient clarified at the desk")
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert w.review.review.signature_state == "resign_required"
    assert w.review.sign_button.isEnabled()                 # a correction: sign again
    dlg = win.open_sign()                                   # same session: password only
    assert not dlg.needs_user_id and not dlg.user_id.isVisibleTo(dlg)
    dlg.password.setText(PW["investigator"])
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert w.review.review.signature_state == "signed"
    w.review.select_item("C1")
    assert w.review.selected()[1].code == 3
    rows = [r for r in backend.audit() if r.action == "answer.correct" and r.field]
    assert rows and rows[-1].reason.startswith("patient_clarified: patient clarified")


def test_nurse_cannot_sign_on_real_storage(qtbot, backend):
    win = NurseMainWindow(backend)
    qtbot.addWidget(win)
    login(qtbot, win, "nurse")
    open_patient(qtbot, win)
    assert not win.work.review.sign_button.isEnabled()
    with pytest.raises(PermissionDenied):
        backend.sign_visit(win.actor, win.visit_id, password=PW["nurse"],
                           meaning="reviewed and approved")


def test_trends_and_list_from_storage(qtbot, backend):
    rows = backend.list_patients()
    assert rows[0].subject_id == "SH01-001" and rows[0].last_rss == 8.0
    pts = backend.trend_points(rows[0].patient_id)
    assert pts[0].visit == "BL" and pts[0].values["rss"] == 8.0
    assert pts[0].label == "Baseline"           # as the protocol names it, no bracketed note
    assert pts[0].values.get("sf36_pcs") is not None
    # the liver chart reads the stored derived scores (bilirubin 2.5 -> 2, albumin 3.0 -> 2,
    # INR 1.5 -> 1, slight ascites 2, no HE 1 = 8; MELD from the same labs)
    from forms import calculators
    assert pts[0].values["child_pugh"] == 8
    assert pts[0].values["meld"] == calculators.meld(2.5, 1.5, 1.2).score
