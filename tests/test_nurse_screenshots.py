"""`make screenshots`: every staff screen on a real demo database (storage.demo), en and zh_CN,
1280×800."""
from __future__ import annotations

from pathlib import Path

import pytest

from nurse_demo import DEMO_PW, backend_for, build_demo, open_visit, reviewable_visit
from storage.db import open_database
from ui import i18n
from ui.nurse.main_window import NurseMainWindow

OUT = Path(__file__).resolve().parent.parent / "screenshots"
pytestmark = [pytest.mark.screenshots,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def _save(widget, name: str, lang: str) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"nurse_{name}_{lang}.png"
    assert widget.grab().save(str(path))
    return path


@pytest.fixture(scope="module")
def demo24(tmp_path_factory):
    path = build_demo(tmp_path_factory.mktemp("shots") / "demo.db", 24)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_staff_screens(qtbot, demo24, lang):
    try:
        from ui.fonts import register_cjk_font
        register_cjk_font()
    except Exception:  # the kiosk helper's font module; system fonts otherwise
        pass
    i18n.set_language(lang)                # as ui/launcher.py: the GUI language (labels, PDFs)
    i18n.install_staff_translators(lang)   # as the app: nurse + app catalogues and qtbase
    try:
        target = reviewable_visit(demo24, "q3")
        win = NurseMainWindow(backend_for(demo24), demo=True)
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.show()
        qtbot.waitExposed(win)
        _save(win, "login", lang)
        with qtbot.waitSignal(win.patients_loaded, timeout=10000):
            win.login.user_edit.setText("investigator")
            win.login.password_edit.setText(DEMO_PW["investigator"])
            win.login.submit()
        w = open_visit(qtbot, win, target)
        w.tabs.setCurrentWidget(w.visits)
        _save(win, "visits", lang)
        f = w.clinical
        f.set_lab("bilirubin", "45", "umol/L")
        f.set_lab("albumin", "29", "g/L")
        f.set_lab("inr", "1.6")
        f.set_lab("creatinine", "92", "umol/L")
        f.set_lab("sodium", "131")
        f.set_lab("platelets", "5000")            # shows a plausibility message
        f.ascites.setCurrentIndex(1)
        f.encephalopathy.setCurrentIndex(0)
        w.tabs.setCurrentWidget(f)
        _save(win, "clinical", lang)
        w.tabs.setCurrentWidget(w.review)
        w.review.select_item("q3")
        _save(win, "review", lang)
        w.tabs.setCurrentWidget(w.trends)
        _save(win, "trends", lang)
        w.tabs.setCurrentWidget(w.audit)
        _save(win, "audit", lang)

        adm, ans = w.review.selected()
        dlg = win.open_correct(adm, ans)
        dlg.resize(640, 420)
        _save(dlg, "correct_dialog", lang)
        dlg.reject()
        sdlg = win.open_sign()
        _save(sdlg, "sign_dialog", lang)
        sdlg.reject()
        w.alerts_only.setChecked(True)
        _save(win, "list_alerts", lang)
        w.alerts_only.setChecked(False)
        edlg = win.open_enrol()
        edlg.resize(1280, 800)
        edlg.subject_id.setText("SH01-100")
        edlg.full_name.setText("欧阳秀英")
        edlg.initials.setText("OY")
        edlg.lab_edits["bilirubin"].setText("40")
        edlg.lab_edits["albumin"].setText("31")
        edlg.lab_edits["inr"].setText("1.4")
        edlg.lab_edits["creatinine"].setText("80")
        edlg.lab_edits["sodium"].setText("136")
        edlg.ascites.setCurrentIndex(1)
        edlg.he.setCurrentIndex(0)
        excl = next(iter(edlg.excl_combos.values()))
        excl.setCurrentIndex(excl.findData(True))    # an exclusion applies -> override shown
        _save(edlg, "enrol_dialog", lang)
        edlg.reject()
        win.session_guard.show_warning()           # the idle countdown (issue 14 item 5)
        _save(win.session_guard.warning_dialog, "idle_warning", lang)
        win.session_guard.hide_warning()
        with qtbot.waitSignal(win.summary_actions.preview_ready, timeout=30000) as got:
            win.summary_actions.preview_visit_id(win.patient_id, win.visit_id)
        qtbot.waitUntil(lambda: got.args[0].document.pageCount() > 0)
        _save(got.args[0], "summary_preview", lang)
        got.args[0].reject()
        win.logout("idle")
        _save(win, "logged_out", lang)
    finally:
        i18n.set_language("en")
        i18n.install_staff_translators("en")
