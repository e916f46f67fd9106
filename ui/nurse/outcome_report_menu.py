""""Reports → Outcome report…" for investigators (issue 15 item 5): the same report as
``epro report`` (reports.outcome_report), built on a worker thread, audited like an export, shown
in the PDF preview. The file lives in a private temporary folder removed when the preview closes.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMainWindow, QMenu

from forms.errors import UserError
from ui.widgets.errors import user_message
from ui.widgets.pdf_preview import _BUILD_LOCK, PdfPreviewDialog, private_folder, \
    report_language
from ui.widgets.tasks import run_task


def _tr(text: str) -> str:
    return QCoreApplication.translate("OutcomeReport", text)


def build_and_audit(db: Any, actor: Any, lang: str, folder: Path) -> Path:
    """Worker (no Qt): write the report PDF into ``folder`` and audit it with its hash."""
    # ReportLab is loaded here, on the worker, never before the login screen (issue 16)
    from reports.outcome_report.command import run_report
    pdf = folder / "outcome_report.pdf"
    with _BUILD_LOCK:
        run_report(db, actor, pdf, None, lang)
    return pdf


class OutcomeReportAction(QObject):
    preview_ready = Signal(object)      # the PdfPreviewDialog
    failed = Signal(str)

    def __init__(self, window: QMainWindow, db: Any) -> None:
        super().__init__(window)
        self.window, self.db, self.busy, self.dialogs = window, db, False, []

    def start(self) -> bool:
        if self.busy or not self.window.can("export"):
            return False
        self.busy = True
        db, actor, lang, folder = self.db, self.window.actor, report_language(), private_folder()

        def done(path: Path) -> None:
            self.busy = False
            dlg = PdfPreviewDialog(path, self.window, owned_folder=folder)
            dlg.setWindowTitle(_tr("Outcome report"))
            self.dialogs.append(dlg)
            dlg.finished.connect(lambda *_: dlg in self.dialogs and self.dialogs.remove(dlg))
            dlg.show()
            self.preview_ready.emit(dlg)

        def fail(exc: BaseException) -> None:
            self.busy = False
            shutil.rmtree(folder, ignore_errors=True)
            self.failed.emit(user_message(str(exc)) if isinstance(exc, UserError) else _tr(
                "The outcome report could not be made (%1); nothing was changed.")
                .replace("%1", type(exc).__name__))
        run_task(lambda: build_and_audit(db, actor, lang, folder), done, fail, receiver=self)
        return True

    def close_all(self) -> None:
        for dlg in list(self.dialogs):
            dlg.close()


def attach_outcome_report_menu(window: QMainWindow, db: Any) -> OutcomeReportAction:
    """A "Reports" menu with "Outcome report…", shown to accounts that may export."""
    action = OutcomeReportAction(window, db)
    menu = QMenu(_tr("Reports"), window)
    menu.setObjectName("reports_menu")
    item = menu.addAction(_tr("Outcome report…"))
    item.setObjectName("outcome_report_action")
    window.menuBar().addMenu(menu)

    def show_to_investigators(*_: object) -> None:
        menu.menuAction().setVisible(bool(window.can("export")))
    for name in ("logged_in", "logged_out"):
        getattr(window, name).connect(show_to_investigators)
    window.logged_out.connect(lambda *_: action.close_all())
    show_to_investigators()
    item.triggered.connect(lambda: action.start() and window.statusBar().showMessage(
        _tr("Building the outcome report…"), 8000))
    action.failed.connect(lambda text: window.statusBar().showMessage(text, 15000))
    window.outcome_report = action
    return action
