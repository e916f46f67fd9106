"""Qt side of the visit summary: print through QPrinter (PDF output file, no dialog), preview with
QPdfView built off the GUI thread, print today's visits as one job. Offscreen, waits on signals."""
from __future__ import annotations

import io
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from reports.demo_summary import demo_visit_summary, empty_visit_summary
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage.db import open_database
from ui.widgets import pdf_preview
from ui.widgets.pdf_preview import PdfPreviewDialog, VisitSummaryActions
from ui.widgets import print_pdf
from ui.widgets.print_pdf import (ROUTE_CUPS, ROUTE_FILE, ROUTE_RASTER, PrintError, make_printer,
                                  print_pdf_files, print_route)


# the offscreen platform plugin says this whenever a top-level dialog is shown
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def pdf_printer(path: Path, dpi: int = 96) -> QPrinter:
    printer = make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)          # small raster: fast test, same page count
    return printer


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


@pytest.fixture(scope="module")
def demo_pdfs(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("src")
    full, empty = folder / "full.pdf", folder / "empty.pdf"
    build_visit_summary(demo_visit_summary("en"), full)
    build_visit_summary(empty_visit_summary("en"), empty)
    return full, empty


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from storage.demo import generate_demo_data
    path = tmp_path_factory.mktemp("qtdb") / "demo.db"
    d = open_database(f"sqlite:///{path}")
    generate_demo_data(d, patients=1, seed=3)
    yield d
    d.dispose()


def w12_date(db):
    return next(v.actual_date for v in sv.patient_visits(db, sv.find_patient(db, "DEMO-0001").id)
                if v.code == "W12")


# ------------------------------------------------------------------ printing (GUI thread)
def test_print_to_file_is_the_reportlab_pdf_itself(qtbot, demo_pdfs, tmp_path):
    """Print to File copies the ReportLab document: same bytes, vector text layer."""
    full, empty = demo_pdfs
    out = tmp_path / "printed.pdf"
    printer = pdf_printer(out)
    assert print_route(printer) == ROUTE_FILE
    pages = print_pdf_files([full], printer)
    assert pages == page_count(full) == 3
    assert out.read_bytes() == full.read_bytes()                  # the same document
    reader = PdfReader(out)
    box = reader.pages[0].mediabox                      # A4 portrait
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2
    subject = demo_visit_summary("en").subject_id
    assert subject in reader.pages[0].extract_text()              # a text layer, not an image
    assert not reader.pages[0].images
    assert out.stat().st_size < 1_000_000


def test_raster_route_paints_pages_at_most_300_dpi(qtbot, demo_pdfs, tmp_path):
    full, _empty = demo_pdfs
    out = tmp_path / "raster.pdf"
    assert print_pdf_files([full], pdf_printer(out), route=ROUTE_RASTER) == 3
    assert PdfReader(out).pages[0].images, "the raster route paints rendered pages"


def test_two_files_are_one_job(qtbot, demo_pdfs, tmp_path):
    full, empty = demo_pdfs
    out = tmp_path / "job.pdf"
    assert print_pdf_files([full, empty], pdf_printer(out)) == 4
    assert page_count(out) == page_count(full) + page_count(empty)
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert demo_visit_summary("en").subject_id in text


def test_real_printer_gets_the_pdf_through_cups_lp(qtbot, demo_pdfs, tmp_path, monkeypatch):
    """A native printer on a system with CUPS: ``lp`` receives the PDF files themselves."""
    full, empty = demo_pdfs
    log = tmp_path / "lp.log"
    fake = tmp_path / "bin" / "lp"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {log}\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ.get('PATH', '')}")
    monkeypatch.setattr(print_pdf.sys, "platform", "linux")
    printer = make_printer()
    printer.setPrinterName("ward-laser")
    printer.setCopyCount(2)
    assert print_route(printer) == ROUTE_CUPS
    assert print_pdf_files([full, empty], printer) == 4
    args = log.read_text(encoding="utf-8").split("\n")
    name = printer.printerName()            # Qt keeps only a printer the system knows
    assert args[:4 if name else 2] == (["-d", name] if name else []) + ["-n", "2"]
    assert args[args.index("--") + 1:args.index("--") + 3] == [str(full), str(empty)]
    printer.setPrintRange(QPrinter.PrintRange.PageRange)        # "pages 2-3" in the dialog
    printer.setFromTo(2, 3)
    print_pdf_files([full], printer)
    args = log.read_text(encoding="utf-8").split("\n")
    assert args[args.index("-P") + 1] == "2-3"
    fake.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n",
                    encoding="utf-8")
    with pytest.raises(PrintError, match="does not exist"):
        print_pdf_files([full], printer)


def test_unreadable_pdf_is_a_clear_error(qtbot, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    out = tmp_path / "never.pdf"
    with pytest.raises(PrintError, match="could not be read"):
        print_pdf_files([bad], pdf_printer(out))
    assert not out.exists()


# ------------------------------------------------------------------ preview + print (threads)
def test_preview_is_built_off_the_gui_thread_and_prints(qtbot, db, tmp_path, monkeypatch):
    threads = []
    real = pdf_preview.build_visit_pdf

    def spy(*args, **kw):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kw)
    monkeypatch.setattr(pdf_preview, "build_visit_pdf", spy)
    actions = VisitSummaryActions(db, lang="en")
    with qtbot.waitSignal(actions.preview_ready, timeout=30000) as ready:
        actions.preview_visit("DEMO-0001", "W12")
    dlg: PdfPreviewDialog = ready.args[0]
    qtbot.addWidget(dlg)
    assert threads == [False]                                   # built in a pool thread
    assert dlg.view.document() is dlg.document
    src_pages = page_count(dlg.path)
    assert dlg.document.pageCount() == src_pages and 1 <= src_pages <= 3
    assert dlg.path.name == "DEMO-0001_W12.pdf"
    out = tmp_path / "preview-print.pdf"
    with qtbot.waitSignal(dlg.printed, timeout=30000) as printed:
        assert dlg.print_pdf(pdf_printer(out))
    assert printed.args == [src_pages]
    assert page_count(out) == src_pages and out.read_bytes() == dlg.path.read_bytes()
    assert "itself" in dlg.message.text()                       # says what it did
    folder = dlg.path.parent
    dlg.close()
    assert not folder.exists()                                  # temporary PDF removed


def test_preview_of_unknown_visit_reports_failure(qtbot, db):
    actions = VisitSummaryActions(db, lang="en")
    with qtbot.waitSignal(actions.failed, timeout=30000) as failed:
        actions.preview_visit("DEMO-0001", "W99")
    assert "no visit 'W99'" in failed.args[0]
    assert actions.dialogs == []


def test_print_todays_visits_as_one_job(qtbot, db, tmp_path):
    from reports.summary_loader import load_visit_summary, load_visits_on
    day = w12_date(db)
    expected_visits = load_visits_on(db, day)
    expected_pages = 0
    for s, v in expected_visits:
        buf = io.BytesIO()
        build_visit_summary(load_visit_summary(db, s, v), buf)
        expected_pages += len(PdfReader(buf).pages)
    actions = VisitSummaryActions(db, lang="zh_CN")
    out = tmp_path / "today.pdf"
    with qtbot.waitSignal(actions.batch_printed, timeout=60000) as done:
        assert actions.print_day(day, pdf_printer(out))
    result = done.args[0]
    assert result.files == len(expected_visits) >= 1
    assert result.pages == expected_pages == page_count(out)
    assert not actions.busy


def test_print_day_without_visits_fails_cleanly(qtbot, db, tmp_path):
    actions = VisitSummaryActions(db, lang="en")
    out = tmp_path / "none.pdf"
    with qtbot.waitSignal(actions.failed, timeout=30000) as failed:
        actions.print_day(datetime(1999, 1, 1, tzinfo=timezone.utc).date(), pdf_printer(out))
    assert "No visits with data on 1999-01-01" in failed.args[0]
    assert not out.exists() and not actions.busy


# ------------------------------------------------------------------ staff main window hook
def test_main_window_menu_previews_the_selected_visit_and_logout_closes_it(qtbot, db):
    from ui.nurse.backend import StorageBackend
    from ui.nurse.main_window import NurseMainWindow
    win = NurseMainWindow(StorageBackend(db))
    qtbot.addWidget(win)
    actions = win.summary_actions
    preview = win.findChild(type(win.summary_menu.actions()[0]), "summary_preview_action")
    assert preview is not None and not preview.isEnabled()          # nobody logged in
    assert not win.summary_menu.menuAction().isVisible()            # not even shown
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        win.login.user_edit.setText("investigator")
        win.login.password_edit.setText("trial-demo-1")
        win.login.submit()
    w = win.work
    with qtbot.waitSignal(win.patient_loaded, timeout=20000):
        w.table.setCurrentIndex(w.proxy.index(0, 0))
    with qtbot.waitSignal(win.visit_loaded, timeout=20000):
        w.visits.select_code("W12")
    win.summary_menu.aboutToShow.emit()                              # refresh enabled state
    assert preview.isEnabled() and win.summary_menu.menuAction().isVisible()
    with qtbot.waitSignal(actions.preview_ready, timeout=30000) as ready:
        preview.trigger()
    dlg = ready.args[0]
    assert dlg.path.name == "DEMO-0001_W12.pdf" and dlg.isVisible()
    folder = dlg.path.parent
    win.logout("user")
    assert actions.dialogs == [] and not folder.exists()           # nothing left on screen
    assert not win.summary_menu.menuAction().isVisible()
