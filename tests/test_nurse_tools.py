"""Staff tools over the REAL storage services: export dialog, admin screens, clinical re-save with
a reason, audit CSV export event, signer's full name, eligibility stored at enrolment."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from storage import services as sv
from storage.demo import eligible_screening
from storage.auth_sessions import system_actor
from storage.db import open_database
from storage.errors import AuthError
from storage.models import AuditEvent
from ui.nurse.backend import StorageBackend
from ui.nurse.main_window import NurseMainWindow
from ui.widgets.tasks import wait_for_tasks

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
PW = {"nurse": "ward-rounds-17", "investigator": "trial-signer-42", "admin": "site-keys-88"}


@pytest.fixture
def backend(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'tools.db'}")
    system = system_actor()
    sv.create_study(db, system)
    for role, pw in PW.items():
        sv.create_user(db, system, username=role, full_name=f"{role.title()} Person", role=role,
                       password=pw)
    nurse = sv.authenticate(db, "nurse", PW["nurse"])
    day1 = date.today() - timedelta(days=3)
    sv.enrol_patient(db, nurse, subject_id="TL-001", initials="AB", sex="F", day1_date=day1,
                     screening=eligible_screening(sv.current_protocol(db), day1,
                                                  birth_date=date(day1.year - 55, 6, 1)))
    yield StorageBackend(db)
    wait_for_tasks(10)
    db.dispose()


@pytest.fixture
def win(qtbot, backend):
    w = NurseMainWindow(backend)
    qtbot.addWidget(w)
    w.show()
    return w


def login(qtbot, win, user):
    sig = win.patients_loaded if user != "admin" else win.logged_in
    with qtbot.waitSignal(sig, timeout=10000):
        win.login.user_edit.setText(user)
        win.login.password_edit.setText(PW[user])
        win.login.submit()


def events(backend, action):
    with backend.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def open_baseline(qtbot, win):
    w = win.work
    with qtbot.waitSignal(win.patient_loaded, timeout=10000):
        w.table.setCurrentIndex(w.proxy.index(0, 0))
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        w.visits.select_code("BL")
    return w


# -- export ---------------------------------------------------------------------------------------
def test_investigator_exports_off_thread_with_hashes(qtbot, win, backend, tmp_path):
    login(qtbot, win, "investigator")
    assert win.work.export_button.isEnabled()
    dlg = win.open_export()
    dlg.format.setCurrentIndex(dlg.format.findData("odm"))
    out = tmp_path / "study.odm.xml"
    dlg.output.setText(str(out))
    dlg.subject.setText("TL-001")
    with qtbot.waitSignal(dlg.finished_export, timeout=60000) as done:
        dlg.run_button.click()
    files = done.args[0]["files"]
    assert out.exists() and len(files) == 1
    (info,) = files.values()
    import hashlib
    assert info["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert info["sha256"] in dlg.result.toPlainText()
    (ev,) = events(backend, "export.created")
    assert ev.actor_username == "investigator"
    assert json.loads(ev.detail)["subject"] == "TL-001"


def test_export_failure_is_shown_and_nothing_recorded(qtbot, win, backend, tmp_path):
    login(qtbot, win, "investigator")
    dlg = win.open_export()
    dlg.format.setCurrentIndex(dlg.format.findData("fhir"))
    dlg.output.setText(str(tmp_path / "missing-folder" / "x.json"))
    with qtbot.waitSignal(dlg.export_failed, timeout=30000) as failed:
        dlg.run_button.click()
    assert "does not exist" in failed.args[0]
    assert events(backend, "export.created") == []


def test_nurse_cannot_export(qtbot, win, backend):
    login(qtbot, win, "nurse")
    assert not win.work.export_button.isEnabled()
    dlg = win.open_export()
    assert not dlg.run_button.isEnabled() and dlg.findChild(object, "export_denied")
    dlg.start()                                   # even if called, nothing runs
    assert not dlg._busy


# -- admin ----------------------------------------------------------------------------------------
def test_admin_sees_admin_screens_not_patients(qtbot, win, backend):
    login(qtbot, win, "admin")
    w = win.work
    panel = w.admin
    assert panel is not None and panel.isVisible()
    assert not w.table.isVisible() and not w.export_button.isEnabled()
    users = panel.users
    assert [r.username for r in users.model.rows] == ["admin", "investigator", "nurse"]
    users.new_user.setText("nurse2")
    users.new_name.setText("Second Nurse")
    users.new_role.setCurrentIndex(users.new_role.findData("nurse"))
    users.new_pw.setText("second-nurse-pw")
    users.new_pw2.setText("second-nurse-pw")
    users.create_button.click()
    assert "nurse2" in [r.username for r in users.model.rows], users.message.text()
    assert sv.authenticate(backend.db, "nurse2", "second-nurse-pw").role == "nurse"
    row = [r.username for r in users.model.rows].index("nurse2")
    users.table.selectRow(row)
    users.deactivate_button.click()               # no reason yet: refused
    assert "reason" in users.message.text().lower()
    users.reason.setText("left the team")
    users.deactivate_button.click()
    with pytest.raises(AuthError):
        sv.authenticate(backend.db, "nurse2", "second-nurse-pw")
    st = panel.stations
    st.code.setText("kiosk-ward-3")
    st.register_button.click()
    assert [s.code for s in st.model.rows] == ["kiosk-ward-3"]
    s = panel.settings
    s.scoring.setCurrentIndex(s.scoring.findData("sf36v1"))
    s.staff_idle.setValue(7)
    s.reason.setText("amendment 3")
    with qtbot.waitSignal(s.saved, timeout=5000):
        s.save_button.click()
    assert sv.study_settings(backend.db).staff_idle_minutes == 7
    assert sv.study_settings(backend.db).primary_sf36_scoring == "sf36v1"


# -- clinical re-save, signer name, audit CSV ------------------------------------------------------
def test_clinical_form_loads_and_resave_needs_reason(qtbot, win, backend):
    login(qtbot, win, "nurse")
    w = open_baseline(qtbot, win)
    f = w.clinical
    assert f.existing_version is None
    f.set_lab("bilirubin", "45", "umol/L")
    f.set_lab("albumin", "29", "g/L")
    f.set_lab("inr", "1.6")
    f.ascites.setCurrentIndex(f.ascites.findData("slight"))
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        f.save_button.click()
    assert f.lab_edits["bilirubin"].text() == "45"       # re-loaded from storage
    assert f.ascites.currentData() == "slight" and f.existing_version == 1
    f.set_lab("bilirubin", "50", "umol/L")
    f.save_button.click()
    dlg = win.clinical_reason_dialog
    assert not dlg.ok_button.isEnabled()
    dlg.reason.setCurrentIndex(dlg.reason.findData("transcription_error"))
    dlg.details.setPlainText("lab report re-read")
    with qtbot.waitSignal(win.visit_loaded, timeout=10000):
        dlg.ok_button.click()
    vid = win.visit_id
    assert backend.clinical(vid)["labs"]["bilirubin"]["value"] == "50"
    rows = [e for e in events(backend, "clinical.correct") if "labs" in e.fields()]
    assert rows and rows[0].reason == "transcription_error: lab report re-read"


def test_full_name_used_for_header_and_signature(qtbot, win):
    login(qtbot, win, "investigator")
    assert "Investigator Person" in win.work.user_label.text()


def test_audit_csv_export_is_audited(qtbot, win, backend, tmp_path):
    login(qtbot, win, "investigator")
    open_baseline(qtbot, win)
    path = tmp_path / "audit.csv"
    n = win.work.audit.export_to(path)
    (ev,) = events(backend, "audit.exported")
    import hashlib
    assert ev.detail == (f"audit trail CSV, {n} rows, sha256="
                            f"{hashlib.sha256(path.read_bytes()).hexdigest()}")
    assert ev.patient_id == win.patient_id and ev.actor_username == "investigator"


def test_enrol_stores_eligibility_and_override(backend):
    db = backend.db
    nurse = sv.authenticate(db, "nurse", PW["nurse"])
    inv = backend.verify_investigator("investigator", PW["investigator"])
    day1 = date.today()
    too_old = eligible_screening(backend.protocol(), day1, birth_date=date(day1.year - 80, 1, 1))
    pid = backend.enrol(nurse, subject_id="TL-002", initials="CD", sex="M", day1_date=day1,
                        screening=too_old, override_reason="PI approved", override_actor=inv)
    rec = backend.enrolment(pid)
    assert rec.result == "ineligible" and rec.override_reason == "PI approved"
    assert rec.override_by == "investigator" and rec.derived["meld"]["score"] == 14
    assert [c.id for c in rec.criteria if c.met is False] == ["age"]
