"""Print the ReportLab PDFs themselves (vector text, embedded fonts), never a picture of them.

Qt has no way to hand a PDF to a printer (a ``QPrinter`` is a paint device), so the route
depends on where the job goes (:func:`print_route`):

- **file** ("Print to File", a PDF output file): the ReportLab bytes are copied (several files
  are joined page by page with pypdf, objects untouched): same text layer, same fonts;
- **cups** (Linux/macOS with the CUPS ``lp`` command): the PDF files go to the chosen printer
  with ``lp -d <printer> [-n copies] [-o sides=…] [-P pages]``; CUPS renders PDF natively;
- **raster** (no ``lp``, e.g. Windows): every page rendered with QtPdf at 300 dpi and painted on
  the ``QPrinter`` (the screens say so: text on paper is then an image of the page).

The raster route: no external viewer is started. ``QPainter`` may paint on a ``QPrinter``
outside the GUI thread (Qt: "Threads and QObjects", painting in threads), so
:func:`print_pdf_files` runs on a worker thread (``ui.widgets.tasks.run_task``) once the user
has accepted the print dialog; the printer must not be touched elsewhere meanwhile and is kept
(and freed) by the GUI thread. The ``QPdfDocument`` objects are made and destroyed within the
worker call. Pages are rendered at the printer's resolution, capped (``MAX_DPI``) to keep memory
bounded (an A4 page at 300 dpi is ~35 MB as an image), scaled to fit the printable area with the
aspect ratio kept, and centred.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Sequence

import shiboken6
from PySide6.QtCore import QCoreApplication, QMarginsF, QRect, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from forms.errors import UserError

MAX_DPI = 300
ROUTE_FILE, ROUTE_CUPS, ROUTE_RASTER = "file", "cups", "raster"
LP_TIMEOUT_S = 60


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


def print_route(printer: QPrinter) -> str:
    """How a job to ``printer`` is sent: ``file``, ``cups`` or ``raster`` (module docstring)."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return ROUTE_FILE
    if sys.platform != "win32" and shutil.which("lp"):
        return ROUTE_CUPS
    return ROUTE_RASTER


def _pages(paths: Sequence[Path]) -> int:
    from pypdf import PdfReader          # only when printing: not before the login (issue 16)
    try:
        return sum(len(PdfReader(p).pages) for p in paths)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a damaged file
        raise PrintError(_tr("A PDF could not be read for printing; nothing was printed.")) \
            from exc


def _write_file(paths: Sequence[Path], target: Path) -> int:
    """Print to File: the ReportLab PDF itself (one file: its bytes; several: joined)."""
    pages = _pages(paths)
    try:
        if len(paths) == 1:
            shutil.copyfile(paths[0], target)
        else:
            from pypdf import PdfWriter
            writer = PdfWriter()
            for p in paths:
                writer.append(str(p))
            with open(target, "wb") as fh:
                writer.write(fh)
    except OSError as exc:
        raise PrintError(_tr("The file %1 could not be written (%2); nothing was printed.")
                         .replace("%1", str(target)).replace("%2", exc.strerror or "")) from exc
    return pages


def _send_cups(paths: Sequence[Path], printer: QPrinter) -> int:
    """The PDFs to the chosen printer through CUPS ``lp`` (one job per file, in order)."""
    pages = _pages(paths)
    cmd = ["lp"]
    if printer.printerName():
        cmd += ["-d", printer.printerName()]
    if printer.copyCount() > 1:
        cmd += ["-n", str(printer.copyCount())]
    sides = {QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
             QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
             QPrinter.DuplexMode.DuplexAuto: "two-sided-long-edge"}.get(printer.duplex())
    if sides:
        cmd += ["-o", f"sides={sides}"]
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        cmd += ["-P", f"{printer.fromPage()}-{max(printer.fromPage(), printer.toPage())}"]
    cmd += ["-t", "ePRO Desk visit summary", "--", *map(str, paths)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=LP_TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(_tr("The printing system did not accept the job (%1); nothing was "
                             "printed.").replace("%1", type(exc).__name__)) from exc
    if done.returncode != 0:
        first = (done.stderr or done.stdout or "").strip().splitlines()[:1]
        raise PrintError(_tr("The printing system did not accept the job (%1); nothing was "
                             "printed.").replace("%1", first[0] if first else
                                                 f"lp exit {done.returncode}"))
    return pages


def print_pdf_files(paths: Sequence[Path | str], printer: QPrinter, *,
                    progress: Callable[[int, int], None] | None = None,
                    route: str | None = None) -> int:
    """Print every page of every PDF in ``paths`` as one job; returns pages printed.

    The route (``print_route(printer)`` unless given): the PDF bytes to the output file, the
    PDFs to CUPS, or pages rendered at up to 300 dpi. ``progress(done, total)`` is called after
    each file (raster route). Raises PrintError when the printer cannot start (e.g. a PDF output
    file that cannot be written) or a file cannot be read.
    """
    files = [Path(p) for p in paths]
    route = route or print_route(printer)
    if route == ROUTE_FILE:
        return _write_file(files, Path(printer.outputFileName()))
    if route == ROUTE_CUPS:
        return _send_cups(files, printer)
    return _print_raster(files, printer, progress)


def _print_raster(paths: Sequence[Path], printer: QPrinter,
                  progress: Callable[[int, int], None] | None) -> int:
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
