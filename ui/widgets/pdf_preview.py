"""Visit summary PDF in the staff UI: preview (QtPdf ``QPdfView``), print, print today's visits.

PDFs are built off the GUI thread (``ui.widgets.tasks.run_task``, a worker thread); the
worker calls ``reports.summary_loader``, which opens its own database session. Printing renders
pages onto the ``QPrinter`` in a worker thread too (``ui.widgets.print_pdf``). Files live in a
private temporary folder (mode 0700) that is removed when the preview closes or the batch has
printed: summaries carry patient data.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSize, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QMainWindow, QMenu, QPushButton,
                               QVBoxLayout, QWidget)

from forms.errors import UserError
from ui.i18n import current_language
from ui.widgets.errors import user_message
from ui.widgets.fit import fit_to_screen
from ui.widgets.print_pdf import ROUTE_FILE, ROUTE_RASTER, make_printer, print_pdf_files, \
    print_route
from ui.widgets.tasks import run_task

_BUILD_LOCK = threading.Lock()     # ReportLab's font registry is process-global


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitSummary", text)


def report_language() -> str:
    """The visit summary follows the GUI language (``ui.i18n``), not the system locale."""
    return "zh_CN" if current_language().startswith("zh") else "en"


def private_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="epro-summary-"))   # 0700 on POSIX


# ------------------------------------------------------------------ worker functions (no Qt)
def build_visit_pdf(db: Any, subject_id: str, visit_code: str, lang: str, folder: Path) -> Path:
    """Load one visit from the database and write its PDF into ``folder`` (pool thread)."""
    from reports.summary_loader import load_visit_summary
    from reports.visit_summary import build_visit_summary, default_file_name
    summary = load_visit_summary(db, subject_id, visit_code, lang=lang)
    path = folder / default_file_name(summary)
    with _BUILD_LOCK:
        build_visit_summary(summary, path)
    return path


def build_day_pdfs(db: Any, day: date, lang: str, folder: Path) -> list[Path]:
    """Every visit with data on ``day``: one PDF each, in subject order (pool thread)."""
    from reports.summary_loader import load_visit_summary, load_visits_on
    from reports.visit_summary import build_visit_summaries
    instruments: dict = {}
    summaries = [load_visit_summary(db, s, v, lang=lang, instruments=instruments)
                 for s, v in load_visits_on(db, day)]
    with _BUILD_LOCK:
        results = build_visit_summaries(summaries, folder)
    failed = [r for r in results if r.error]
    if failed:
        raise UserError(_tr("%1 of %2 visit summaries could not be built; nothing was "
                            "printed.").replace("%1", str(len(failed)))
                        .replace("%2", str(len(results))))
    return [r.path for r in results if r.path is not None]


def visit_code_of(db: Any, patient_id: int, visit_id: int) -> tuple[str, str]:
    from storage import services as sv
    info = sv.get_patient(db, patient_id)
    code = next((v.code for v in sv.patient_visits(db, patient_id) if v.id == visit_id), None)
    if code is None:
        raise UserError("This visit no longer exists.")
    return info.subject_id, code


# ------------------------------------------------------------------ preview dialog
class PdfPreviewDialog(QDialog):
    """Shows one PDF (all pages, fit to width) with Print… and Close."""
    printed = Signal(int)       # pages sent to the printer
    failed = Signal(str)

    def __init__(self, pdf: Path, parent: QWidget | None = None, *,
                 owned_folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.setWindowTitle(self.tr("Visit summary — %1").replace("%1", pdf.stem))
        fit_to_screen(self, QSize(820, 900), QSize(480, 400))   # Print/Close stay on screen
        self.path = pdf
        self._folder = owned_folder
        self.document = QPdfDocument(self)
        self.document.load(str(pdf))
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.message = QLabel()
        self.message.setObjectName("pdf_message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("pdf_print")
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(lambda: self.print_pdf())
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.finished.connect(self._cleanup)

    def print_pdf(self, printer: QPrinter | None = None) -> bool:
        """Ask for a printer (unless one is given) and print in a pool thread."""
        if printer is None:
            printer = make_printer()
            dlg = QPrintDialog(printer, self)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
        self._printer = printer                  # kept alive until the job ends
        self._route = print_route(printer)       # file / CUPS / raster (ui/widgets/print_pdf)
        self.print_button.setEnabled(False)
        self.message.setText(self.tr("Printing…"))
        path = self.path
        run_task(lambda: print_pdf_files([path], printer), self._printed, self._print_failed,
                 receiver=self)
        return True

    def _printed(self, pages: int) -> None:
        self.print_button.setEnabled(True)
        text = self.tr("%n page(s) sent to the printer.", "", pages)
        if self._route == ROUTE_FILE:
            text = self.tr("%1 page(s) saved as the summary PDF itself (text kept).") \
                .replace("%1", str(pages))
        elif self._route == ROUTE_RASTER:
            text += " " + self.tr("This system has no CUPS 'lp' command: the pages were "
                                  "printed as 300 dpi images.")
        self.message.setText(text)
        self.printed.emit(pages)

    def _print_failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(True)
        text = user_message(str(exc)) if isinstance(exc, UserError) else self.tr(
            "Printing failed (%1).").replace("%1", type(exc).__name__)
        self.message.setText(text)
        self.failed.emit(text)

    def _cleanup(self) -> None:
        self.document.close()           # (setDocument(None) would warn inside QtPdf)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


# ------------------------------------------------------------------ controller
@dataclass
class BatchResult:
    files: int
    pages: int
    route: str = ROUTE_FILE        # ui/widgets/print_pdf.print_route


class VisitSummaryActions(QObject):
    """Starts the PDF work for a window: preview one visit, print a day's visits."""
    preview_ready = Signal(object)   # PdfPreviewDialog (already shown)
    batch_printed = Signal(object)   # BatchResult
    failed = Signal(str)

    def __init__(self, db: Any, parent: QWidget | None = None, *, lang: str | None = None
                 ) -> None:
        super().__init__(parent)
        self.db = db
        self._lang = lang            # None: the GUI language at the time of each summary
        self.parent_widget = parent
        self.busy = False
        self.dialogs: list[PdfPreviewDialog] = []

    @property
    def lang(self) -> str:
        return self._lang or report_language()

    def close_all(self) -> None:
        """Close every open preview (e.g. on logout: no patient data left on screen)."""
        for dlg in list(self.dialogs):
            dlg.close()
            dlg.deleteLater()
        self.dialogs.clear()

    def _fail(self, exc: BaseException) -> None:
        self.busy = False
        text = user_message(str(exc)) if isinstance(exc, UserError) else self.tr(
            "The visit summary could not be made (%1); nothing was changed.").replace(
            "%1", type(exc).__name__)
        self.failed.emit(text)

    def preview_visit(self, subject_id: str, visit_code: str) -> None:
        db, lang, folder = self.db, self.lang, private_folder()

        def done(path: Path) -> None:
            dlg = PdfPreviewDialog(path, self.parent_widget, owned_folder=folder)
            self.dialogs.append(dlg)
            dlg.finished.connect(lambda *_: self.dialogs.remove(dlg) if dlg in self.dialogs
                                 else None)
            dlg.show()
            self.preview_ready.emit(dlg)

        def fail(exc: BaseException) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self._fail(exc)
        run_task(lambda: build_visit_pdf(db, subject_id, visit_code, lang, folder), done, fail,
                 receiver=self)

    def preview_visit_id(self, patient_id: int, visit_id: int) -> None:
        db = self.db
        run_task(lambda: visit_code_of(db, patient_id, visit_id),
                 lambda ids: self.preview_visit(*ids), self._fail, receiver=self)

    def print_day(self, day: date | None = None, printer: QPrinter | None = None) -> bool:
        """Build every summary of ``day`` (default today) and print them as one job."""
        if self.busy:
            return False
        if printer is None:
            printer = make_printer()
            if QPrintDialog(printer, self.parent_widget).exec() != QDialog.DialogCode.Accepted:
                return False
        self.busy = True
        self._printer = printer
        route = print_route(printer)
        db, lang, folder, when = self.db, self.lang, private_folder(), day or date.today()

        def work() -> BatchResult:
            try:
                paths = build_day_pdfs(db, when, lang, folder)
                if not paths:
                    raise UserError(_tr("No visits with data on %1; nothing was printed.")
                                    .replace("%1", when.isoformat()))
                return BatchResult(len(paths), print_pdf_files(paths, printer), route)
            finally:
                shutil.rmtree(folder, ignore_errors=True)

        def done(result: BatchResult) -> None:
            self.busy = False
            self.batch_printed.emit(result)
        run_task(work, done, self._fail, receiver=self)
        return True


def attach_summary_menu(window: QMainWindow, db: Any) -> VisitSummaryActions:
    """Add a "Visit summary" menu to the staff main window (hook in ui/nurse/main_window.py).

    The window provides ``patient_id``, ``visit_id``, ``statusBar()`` and ``can(action)``; the
    actions need a logged-in role that may view patients.
    """
    actions = VisitSummaryActions(db, window)
    menu = QMenu(_tr("Visit summary"), window)
    menu.setObjectName("summary_menu")
    preview = menu.addAction(_tr("Preview / print this visit…"))
    preview.setObjectName("summary_preview_action")
    today = menu.addAction(_tr("Print today's visits…"))
    today.setObjectName("summary_print_today_action")
    window.menuBar().addMenu(menu)

    def refresh() -> None:
        allowed = bool(window.can("view_patients"))
        preview.setEnabled(allowed and window.visit_id is not None)
        today.setEnabled(allowed and not actions.busy)
    menu.aboutToShow.connect(refresh)

    def show_only_to_staff(*_: object) -> None:     # no menu at all on the login screen
        menu.menuAction().setVisible(bool(window.can("view_patients")))
    for name in ("logged_in", "logged_out"):
        if hasattr(window, name):
            getattr(window, name).connect(show_only_to_staff)
    show_only_to_staff()
    preview.triggered.connect(lambda: window.visit_id is not None and actions.preview_visit_id(
        window.patient_id, window.visit_id))
    today.triggered.connect(lambda: actions.print_day() and window.statusBar().showMessage(
        _tr("Building today's visit summaries…"), 8000))
    actions.failed.connect(lambda text: window.statusBar().showMessage(text, 15000))
    if hasattr(window, "logged_out"):
        window.logged_out.connect(lambda *_: actions.close_all())
    actions.batch_printed.connect(lambda r: window.statusBar().showMessage(
        _tr("%1 visit summaries (%2 pages) sent to the printer.")
        .replace("%1", str(r.files)).replace("%2", str(r.pages))
        + (" " + _tr("This system has no CUPS 'lp' command: the pages were printed as 300 dpi "
                     "images.") if r.route == ROUTE_RASTER else ""), 15000))
    window.summary_actions = actions
    window.summary_menu = menu
    refresh()
    return actions
