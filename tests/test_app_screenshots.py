"""`make screenshots`: the wired workstation on the REAL demo database (storage.demo), the set-up
wizard, the export dialog and the admin screens, in en and zh_CN at 1280×800 → screenshots/app_*."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from storage.db import open_database
from ui.widgets.tasks import wait_for_tasks

OUT = Path(__file__).resolve().parent.parent / "screenshots"
pytestmark = [pytest.mark.screenshots,
              pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")]
SIZE = (1280, 800)


def _save(widget, name: str, lang: str) -> Path:
    OUT.mkdir(exist_ok=True)
    QApplication.processEvents()
    path = OUT / f"app_{name}_{lang}.png"
    assert widget.grab().save(str(path))
    return path


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    from storage.demo import generate_demo_data
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(f"sqlite:///{path}")
    generate_demo_data(db)
    db.dispose()
    return path


@pytest.fixture(params=["en", "zh_CN"])
def lang(request):
    from ui import i18n
    from ui.fonts import ui_font_families
    from PySide6.QtGui import QFont
    app = QApplication.instance()
    old = QFont(app.font())
    f = QFont(old)
    f.setFamilies(ui_font_families())
    app.setFont(f)
    i18n.set_language(request.param)
    i18n.install_staff_translators(request.param)
    yield request.param
    i18n.install_staff_translators("en")
    i18n.set_language("en")
    app.setFont(old)


def _login(qtbot, ws, user, password):
    n = ws.nurse
    sig = n.logged_in if user == "admin" else n.patients_loaded
    with qtbot.waitSignal(sig, timeout=20000):
        n.login.user_edit.setText(user)
        n.login.password_edit.setText(password)
        n.login.submit()


def test_demo_workstation_screens(qtbot, demo_template, tmp_path, lang):
    from ui.workstation import Workstation
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    db = open_database(f"sqlite:///{path}")
    ws = Workstation(db, demo=True, lang=lang, kiosk_fullscreen=False)
    qtbot.addWidget(ws.nurse)
    try:
        ws.nurse.resize(*SIZE)
        ws.show()
        qtbot.waitExposed(ws.nurse)
        _save(ws.nurse, "login_demo", lang)
        _login(qtbot, ws, "investigator", "trial-demo-1")
        n, w = ws.nurse, ws.nurse.work
        _save(n, "patient_list", lang)
        row = next(i for i in range(w.proxy.rowCount())
                   if w.proxy.index(i, 0).data() == "DEMO-0001")
        with qtbot.waitSignal(n.patient_loaded, timeout=20000):
            w.table.setCurrentIndex(w.proxy.index(row, 0))
        with qtbot.waitSignal(n.visit_loaded, timeout=20000):
            w.visits.select_code("BL")
        w.tabs.setCurrentWidget(w.visits)
        _save(n, "visits", lang)
        w.tabs.setCurrentWidget(w.review)
        _save(n, "review", lang)
        w.tabs.setCurrentWidget(w.clinical)
        _save(n, "clinical", lang)
        w.tabs.setCurrentWidget(w.trends)
        _save(n, "trends", lang)
        w.tabs.setCurrentWidget(w.audit)
        _save(n, "audit", lang)
        dlg = n.open_export()
        dlg.resize(760, 520)
        qtbot.waitExposed(dlg)
        _save(dlg, "export_dialog", lang)
        dlg.close()
        n.logout("user")
        _login(qtbot, ws, "admin", "site-demo-1")
        panel = n.work.admin
        for i, name in enumerate(("admin_users", "admin_stations", "admin_settings")):
            panel.setCurrentIndex(i)
            _save(n, name, lang)
        n.logout("user")
        _login(qtbot, ws, "nurse", "ward-demo-1")
        dlg = n.open_export()
        dlg.resize(760, 520)
        _save(dlg, "export_dialog_nurse_disabled", lang)
        dlg.close()
    finally:
        ws.dispose()
        wait_for_tasks(20)
        db.dispose()


def test_setup_wizard_screens(qtbot, tmp_path, lang):
    from ui.setup_wizard import SetupWizard
    db = open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        wiz = SetupWizard(db)
        qtbot.addWidget(wiz)
        wiz.resize(*SIZE)
        wiz.show()
        qtbot.waitExposed(wiz)
        _save(wiz, "setup_study", lang)
        p = wiz.study_page
        p.site_code.setText("SH01")
        p.site_name.setText("上海" if lang == "zh_CN" else "Shanghai")
        wiz.next()
        a = wiz.admin_page
        a.username.setText("admin")
        a.full_name.setText("Site Admin")
        a.password.setText("long-password")
        a.repeat.setText("long-passwor")
        _save(wiz, "setup_admin_mismatch", lang)
    finally:
        db.dispose()
