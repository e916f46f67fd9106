"""Print PDF files through Qt: every page rendered with QtPdf and painted on a ``QPrinter``.

No external viewer is started. ``QPainter`` may paint on a ``QPrinter`` outside the GUI thread
(Qt: "Threads and QObjects", painting in threads), so :func:`print_pdf_files` runs on a worker
thread (``ui.widgets.tasks.run_task``) once the user has accepted the print dialog; the printer
must not be touched elsewhere meanwhile and is kept (and freed) by the GUI thread. The
``QPdfDocument`` objects are made and destroyed within the worker call. Pages are rendered at the printer's resolution, capped (``MAX_DPI``) to keep memory
bounded (an A4 page at 300 dpi is ~35 MB as an image), scaled to fit the printable area with the
aspect ratio kept, and centred.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import shiboken6
from PySide6.QtCore import QCoreApplication, QMarginsF, QRect, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from forms.errors import UserError

MAX_DPI = 300


def _tr(text: str) -> str:
    return QCoreApplication.translate("PrintPdf", text)


class PrintError(UserError):
    """The printer could not be opened or a PDF could not be read; one line for the user."""


def make_printer() -> QPrinter:
    """A printer preset to A4 portrait (the summary's page) with small margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                      QPageLayout.Orientation.Portrait,
                                      QMarginsF(5, 5, 5, 5), QPageLayout.Unit.Millimeter))
    return printer


def _open(path: Path) -> QPdfDocument:
    doc = QPdfDocument()
    err = doc.load(str(path))
    if err != QPdfDocument.Error.None_:   # (no deleteLater: worker threads have no event
        doc.close()                        # loop to run a deferred delete)
        shiboken6.delete(doc)
        raise PrintError(_tr("The PDF %1 could not be read for printing (%2); nothing was "
                             "printed from it.").replace("%1", Path(path).name)
                         .replace("%2", err.name))
    return doc


def _draw_page(painter: QPainter, printer: QPrinter, doc: QPdfDocument, index: int) -> None:
    dpi = min(printer.resolution(), MAX_DPI)
    pts = doc.pagePointSize(index)
    image = doc.render(index, QSize(max(1, round(pts.width() * dpi / 72)),
                                    max(1, round(pts.height() * dpi / 72))))
    if image.isNull():
        raise PrintError(_tr("A page could not be rendered for printing."))
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    area.moveTo(0, 0)                          # painter origin = top-left of the paint rect
    scale = min(area.width() / image.width(), area.height() / image.height())
    w, h = round(image.width() * scale), round(image.height() * scale)
    target = QRect((area.width() - w) // 2, (area.height() - h) // 2, w, h)
    painter.drawImage(target, image)


def print_pdf_files(paths: Sequence[Path | str], printer: QPrinter, *,
                    progress: Callable[[int, int], None] | None = None) -> int:
    """Print every page of every PDF in ``paths`` as one print job; returns pages printed.

    ``progress(done, total)`` is called after each file. Raises PrintError when the printer
    cannot start (e.g. a PDF output file that cannot be written) or a file cannot be read.
    """
    docs: list[QPdfDocument] = []
    try:
        for p in paths:
            docs.append(_open(Path(p)))
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(_tr("The printer could not be started; nothing was printed. "
                                 "Check the printer and try again."))
        pages = 0
        try:
            for n, doc in enumerate(docs, start=1):
                for i in range(doc.pageCount()):
                    if pages and not printer.newPage():
                        raise PrintError(_tr("The printer stopped accepting pages after %1 "
                                             "page(s).").replace("%1", str(pages)))
                    _draw_page(painter, printer, doc, i)
                    pages += 1
                if progress is not None:
                    progress(n, len(docs))
        finally:
            painter.end()
        return pages
    finally:
        for doc in docs:        # destroyed here, on the thread that made them: never left to a
            doc.close()         # traceback that the GUI thread frees later
            shiboken6.delete(doc)
