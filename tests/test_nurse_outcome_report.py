"""Workstation "Reports → Outcome report…" (issue 15 item 5) on a real demo database copy:
shown to investigators only, built off the GUI thread, previewed, audited like an export."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMenu

from nurse_demo import backend_for, demo_db, demo_template, login  # noqa: F401
from storage import services as sv
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _window(qtbot, db):
    win = NurseMainWindow(backend_for(db), demo=True)
    qtbot.addWidget(win)
    return win


def test_nurse_has_no_outcome_report(qtbot, demo_db) -> None:  # noqa: F811
    win = _window(qtbot, demo_db)
    login(qtbot, win, "nurse")
    assert not win.findChild(QMenu, "reports_menu").menuAction().isVisible()
    assert win.outcome_report.start() is False


def test_investigator_previews_the_outcome_report_and_it_is_audited(qtbot, demo_db) -> None:  # noqa: F811
    win = _window(qtbot, demo_db)
    login(qtbot, win, "investigator")
    assert win.findChild(QMenu, "reports_menu").menuAction().isVisible()
    with qtbot.waitSignal(win.outcome_report.preview_ready, timeout=60000) as sig:
        assert win.outcome_report.start()
    dlg = sig.args[0]
    assert dlg.windowTitle() == "Outcome report" and dlg.document.pageCount() >= 2
    events = [r for r in sv.audit_history(demo_db) if r.action == "report.created"]
    assert len(events) == 1
    dlg.close()
