"""The wired app: launcher (demo, first-run wizard), nurse → kiosk hand-over and back, translators.

Real storage services on temporary SQLite files; the kiosk is driven through its real widgets.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import select

from forms.protocol import DEFAULT_PROTOCOL_PATH
from forms.protocol import DEFAULT_PROTOCOL_PATH
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.db import open_database
from storage.models import AuditEvent
from storage_fixtures import eligible_screening
from storage_fixtures import eligible_screening
from test_kiosk_support import click, confirm_identity, find, run_instrument
from ui.workstation import Workstation
from ui.widgets.tasks import wait_for_tasks

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
ROOT = Path(__file__).resolve().parent.parent
NURSE_PW = "ws1-ward-pass"


# relative to today: the age criterion (18-70) must hold whenever the test runs
BIRTH_YEAR = date.today().year - 60

@pytest.fixture
def db(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'ws.db'}")
    system = system_actor()
    sv.create_study(database, system)              # the default protocol file
    sv.create_user(database, system, username="nurse", full_name="Nina Nurse", role="nurse",
                   password=NURSE_PW)
    nurse = sv.authenticate(database, "nurse", NURSE_PW)
    today = date.today()
    sv.enrol_patient(database, nurse, subject_id="WS-0001", initials="LM", sex="M",
                     day1_date=today,
                     screening=eligible_screening(database, today,
                                                  birth_date=date(BIRTH_YEAR, 6, 1)))
    yield database
    database.dispose()


@pytest.fixture
def ws(qtbot, db):
    w = Workstation(db, kiosk_fullscreen=False)
    qtbot.addWidget(w.nurse)
    w.show()
    yield w
    w.dispose()
    wait_for_tasks(10)   # no query may outlive the database
    from ui import i18n
    i18n.set_language("en")


def login(qtbot, ws):
    n = ws.nurse
    with qtbot.waitSignal(n.patients_loaded, timeout=10000):
        n.login.user_edit.setText("nurse")
        n.login.password_edit.setText(NURSE_PW)
        n.login.submit()


def hand_over_baseline(qtbot, ws):
    n = ws.nurse
    w = n.work
    with qtbot.waitSignal(n.patient_loaded, timeout=10000):
        w.table.setCurrentIndex(w.proxy.index(0, 0))
    with qtbot.waitSignal(n.visit_loaded, timeout=10000):
        w.visits.table.clearSelection()   # BL may be auto-selected, loaded already
        w.visits.select_code("BL")
    with qtbot.waitSignal(ws.kiosk_opened, timeout=10000) as blocker:
        qtbot.mouseClick(w.visits.kiosk_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_hand_over_runs_the_battery_then_staff_must_log_in_again(qtbot, ws, db):
    login(qtbot, ws)
    assert ws.nurse.windowTitle().startswith("ePRO Desk")
    assert ws.nurse.login.demo_box is None               # not a demo database
    kiosk = hand_over_baseline(qtbot, ws)
    # the staff session is gone (not hidden): nothing of it exists while the patient answers
    assert ws.nurse.actor is None and ws.nurse.work is None
    assert not ws.nurse.isVisible()
    assert kiosk.controller.phase == "identity"          # straight to the identity check
    logouts = [r for r in sv.audit_history(db) if r.action == "auth.logout"]
    assert logouts == []          # the kiosk runs under the staff login until it closes
    assert kiosk.patient_mode and kiosk.windowTitle() == "ePRO Desk — Kiosk"
    kiosk.close()                                        # a patient cannot close it
    assert kiosk.isVisible()
    confirm_identity(qtbot, kiosk, BIRTH_YEAR)
    for inst in ("rand36", "csc"):
        assert kiosk.controller.phase == "welcome"
        click(qtbot, kiosk, "StartButton")
        run_instrument(qtbot, kiosk, inst, keyboard=True)
        click(qtbot, kiosk, "SubmitButton")
    if kiosk.controller.phase == "warning":
        click(qtbot, kiosk, "WarningDone")
    assert kiosk.controller.phase == "thanks"
    with qtbot.waitSignal(ws.kiosk_closed, timeout=5000):
        click(qtbot, kiosk, "FinishButton")
    assert ws.kiosk is None and ws.nurse.isVisible()
    assert ws.nurse.actor is None and ws.nurse.stack.currentWidget() is ws.nurse.login
    assert "log in again" in ws.nurse.login.message_label.text()
    (logout,) = [r for r in sv.audit_history(db) if r.action == "auth.logout"]
    assert logout.reason == "kiosk"                      # ended (and audited) with the kiosk
    visit = sv.patient_visits(db, sv.list_patients(db)[0].id)[0]
    adms = sv.visit_administrations(db, visit.id)
    assert sorted((a.instrument_id, a.status) for a in adms) == \
        [("csc", "submitted"), ("rand36", "submitted")]
    assert {a.station_id for a in adms} == {ws.kiosk_backend.station}


def test_not_me_is_audited_and_told_to_staff_after_login(qtbot, db):
    ws = Workstation(db, kiosk_fullscreen=True)
    qtbot.addWidget(ws.nurse)
    ws.show()
    try:
        login(qtbot, ws)
        kiosk = hand_over_baseline(qtbot, ws)
        qtbot.waitUntil(kiosk.isFullScreen, timeout=5000)
        assert kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint
        with qtbot.waitSignal(ws.kiosk_closed, timeout=5000) as closed:
            click(qtbot, kiosk, "NotMeButton")
        assert "WS-0001" in closed.args[0][0]
        with db.session() as s:
            ev = s.scalar(select(AuditEvent).where(
                AuditEvent.action == "kiosk.identity_mismatch"))
        assert ev.actor_username == "nurse" and ev.entity == "visit" and ev.patient_id
        assert ws.nurse.actor is None
        with qtbot.waitSignal(ws.notice_shown, timeout=10000) as shown:
            login(qtbot, ws)
        assert "WS-0001" in shown.args[0].text()
        shown.args[0].close()
    finally:
        ws.dispose()
        wait_for_tasks(10)


def test_interrupted_questionnaire_is_resumed_at_hand_over(qtbot, ws, db):
    login(qtbot, ws)
    kiosk = hand_over_baseline(qtbot, ws)
    confirm_identity(qtbot, kiosk, BIRTH_YEAR)
    click(qtbot, kiosk, "StartButton")
    for _ in range(3):                                   # q1..q3 answered, then stopped
        qtbot.keyClick(kiosk, Qt.Key.Key_1)
        qtbot.keyClick(kiosk, Qt.Key.Key_Return)
    with qtbot.waitSignal(ws.kiosk_closed, timeout=5000):
        kiosk.controller.abandon("paused {subject}")     # what idle timeout / staff pause do
    login(qtbot, ws)
    kiosk = hand_over_baseline(qtbot, ws)
    confirm_identity(qtbot, kiosk, BIRTH_YEAR)
    assert kiosk.controller.phase == "item"
    assert kiosk.current.item_id == "q4"                 # first unanswered item


def test_nothing_to_hand_over_keeps_the_session(qtbot, ws, db):
    from storage_fixtures import answer_all
    login(qtbot, ws)
    pid = sv.list_patients(db)[0].id
    visit = sv.patient_visits(db, pid)[0]
    nurse = sv.authenticate(db, "nurse", NURSE_PW)
    for inst in ("rand36", "csc"):
        aid = sv.start_administration(db, nurse, visit_id=visit.id, instrument_id=inst,
                                      language="en")
        answer_all(db, nurse, aid)
        sv.submit_administration(db, nurse, aid)
    ws.hand_to_kiosk(pid, visit.id)
    assert ws.kiosk is None and ws.nurse.actor is not None
    assert "Nothing left" in ws.nurse.statusBar().currentMessage()


# -- launcher -----------------------------------------------------------------------------------
def _args(url: str, demo: bool = False, lang: str = "en") -> argparse.Namespace:
    return argparse.Namespace(database=url, demo=demo, lang=lang, kiosk=False, verbose=False)


def test_first_run_wizard_then_login(qtbot, tmp_path):
    from ui.launcher import Launcher
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_database(url, create=True).dispose()     # made by `epro init`: no study, no account
    launcher = Launcher(_args(url), kiosk_fullscreen=False)
    try:
        with qtbot.waitSignal(launcher.wizard_shown, timeout=20000) as shown:
            launcher.start()
        wiz = shown.args[0]
        p = wiz.study_page
        assert "NCT01342250" in p.protocol_summary.text()  # the default protocol file
        assert p.site_code.text() == "SH85" and "85" in p.site_name.text()  # its site
        p.site_name.clear()
        assert not p.isComplete()
        p.protocol_file.setText(str(tmp_path / "missing.json"))
        assert p.protocol is None and "cannot be used" in p.protocol_summary.text()
        p.protocol_file.setText(str(DEFAULT_PROTOCOL_PATH))
        p.site_code.setText("SH01")
        p.site_name.setText("Shanghai site")
        assert p.isComplete()
        wiz.next()
        a = wiz.admin_page
        a.username.setText("chief")
        a.full_name.setText("Chief Admin")
        a.password.setText("secret-pass-1")
        a.repeat.setText("secret-pass-2")
        assert not a.isComplete() and "differ" in a.message.text()
        a.repeat.setText("secret-pass-1")
        assert a.isComplete()
        with qtbot.waitSignal(launcher.ready, timeout=10000) as ready:
            wiz.button(QWizard.WizardButton.FinishButton).click()   # validatePage creates
        ws = ready.args[0]
        qtbot.addWidget(ws.nurse)
        assert ws.nurse.isVisible()
        with qtbot.waitSignal(ws.nurse.logged_in, timeout=10000):
            ws.nurse.login.user_edit.setText("chief")
            ws.nurse.login.password_edit.setText("secret-pass-1")
            ws.nurse.login.submit()
        assert ws.nurse.actor.role == "admin"
        show = sv.study_show(launcher.db)             # the file's version and SHA-256 stored
        assert show["sha256"] == p.protocol.protocol.sha256 and len(show["arms"]) == 3
        assert sv.study_settings(launcher.db).protocol_id == show["protocol_id"]
    finally:
        wait_for_tasks(10)
        launcher.dispose()


def test_launcher_refuses_a_missing_database_and_makes_none(qtbot, tmp_path):
    """A named database that is not there (deleted, mistyped) is never replaced by a new empty
    one: the launcher says so and ends; only `epro init` or the default location's first run
    (the wizard) make a database."""
    from ui.launcher import Launcher
    launcher = Launcher(_args(f"sqlite:///{tmp_path / 'gone.db'}"), kiosk_fullscreen=False)
    try:
        with qtbot.waitSignal(launcher.failed, timeout=20000) as failed:
            launcher.start()
        assert "No database file gone.db" in failed.args[0]
        assert launcher.error_box.isVisible() and launcher.exit_code == 1
        assert launcher.wizard is None and launcher.workstation is None
        assert list(tmp_path.iterdir()) == []
    finally:
        if launcher.error_box is not None:
            launcher.error_box.finished.disconnect()
            launcher.error_box.close()
        launcher.dispose()


def test_staff_translators_include_qtbase(qapp):
    from ui import i18n
    try:
        loaded = i18n.install_staff_translators("zh_CN")
        assert set(loaded) == {"epro_nurse", "epro_app", "qtbase"}
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert QCoreApplication.translate("WorkArea", "Log out") != "Log out"
    finally:
        assert i18n.install_staff_translators("en") == []
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_make_run_opens_the_demo_login(tmp_path):
    """`python main.py --demo` (what `make run` starts) reaches the staff login with demo
    accounts on a fresh demo database."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EPRO_EXIT_AFTER_FIRST_SCREEN="1",
               EPRO_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--demo"], env=env,
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "FIRST_SCREEN_SHOWN nurse_login demo_accounts=3" in out.stdout


def test_first_start_on_a_fresh_machine_opens_the_set_up_wizard(tmp_path):
    """`python main.py` with nothing in the user data folder: the database is made there and
    the set-up wizard is the first screen (the only non-demo GUI path that makes one)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EPRO_EXIT_AFTER_FIRST_SCREEN="1",
               XDG_DATA_HOME=str(tmp_path / "xdg"))
    env.pop("EPRO_DATABASE_URL", None)
    out = subprocess.run([sys.executable, str(ROOT / "main.py")], env=env,
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "FIRST_SCREEN_SHOWN setup_wizard" in out.stdout
    made = tmp_path / "xdg" / "epro-desk"
    assert (made / "epro.db").is_file() and (made / "epro.db.created").is_file()


def test_hand_over_of_a_visit_inside_a_recall_period_is_refused_with_the_reason(qtbot, ws, db):
    """The kiosk list's rule (issue 12 item 4) at the workstation: the patient never meets it."""
    from storage_fixtures import answer_all
    login(qtbot, ws)
    pid = sv.list_patients(db)[0].id
    first, second = sv.patient_visits(db, pid)[:2]
    nurse = sv.authenticate(db, "nurse", NURSE_PW)
    for inst in sv.remaining_battery(db, first.id):
        aid = sv.start_administration(db, nurse, visit_id=first.id, instrument_id=inst,
                                      language="en")
        answer_all(db, nurse, aid)
        sv.submit_administration(db, nurse, aid)
    ws.hand_to_kiosk(pid, second.id)
    assert ws.kiosk is None and ws.nurse.actor is not None
    msg = ws.nurse.statusBar().currentMessage()
    assert msg.startswith("This visit cannot start yet:") and "recall period" in msg
