"""Export screen for investigators: format, output path, optional subject and since date.

The export runs ``reports.export.commands.run_export`` in a pool thread that opens its OWN
database (same URL) so the GUI and the export never share a session; the result lists every
written file with its SHA-256 as recorded in the audit trail. Nurses and admins see the dialog
disabled (permission ``export``; the service checks it again).
"""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget)

from ui.widgets.errors import user_message
from ui.widgets.tasks import run_task

FORMATS = ("csv", "redcap", "odm", "fhir", "sdtm-qs", "sdtm")
FOLDER_FORMATS = ("csv", "redcap", "sdtm")
DEFAULT_NAMES = {"csv": "epro_export_csv", "redcap": "epro_export_redcap",
                 "odm": "epro_export.odm.xml", "fhir": "epro_export.fhir.json",
                 "sdtm-qs": "epro_export_qs.csv", "sdtm": "epro_export_sdtm"}


def export_in_own_session(url: str, actor: Any, fmt: str, output: Path,
                          subject: str | None, since: date | None) -> dict:
    """Worker body (pool thread): its own Database for the whole export, disposed after."""
    from reports.export.commands import run_export
    from storage.services import open_database
    db = open_database(url, migrate=False, create=False)
    try:
        return run_export(db, actor, fmt, output, subject=subject, since=since)
    finally:
        db.dispose()


class ExportDialog(QDialog):
    finished_export = Signal(dict)    # the audit detail: {"files": {name: {bytes, sha256}}, ...}
    export_failed = Signal(str)

    def __init__(self, db_url: str, actor: Any, can_export: bool, *,
                 default_dir: str | Path | None = None,
                 worker: Callable[..., dict] = export_in_own_session,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.setWindowTitle(self.tr("Export study data"))
        self.setMinimumWidth(640)
        self.db_url, self.actor, self._worker = db_url, actor, worker
        self.default_dir = Path(default_dir or Path.home())
        self.format = QComboBox()
        self.format.setObjectName("export_format")
        labels = {"csv": self.tr("CSV folder (spreadsheets, R, SAS)"),
                  "redcap": self.tr("REDCap data dictionary + import file"),
                  "odm": self.tr("CDISC ODM 1.3.2 XML"),
                  "fhir": self.tr("FHIR R4 JSON bundle"),
                  "sdtm-qs": self.tr("SDTM QS-style CSV"),
                  "sdtm": self.tr("SDTM datasets (XPT v5 + define.xml)")}
        for f in FORMATS:
            self.format.addItem(labels[f], f)
        self.output = QLineEdit()
        self.output.setObjectName("export_output")
        self.browse = QPushButton(self.tr("Choose…"))
        self.browse.setObjectName("export_browse")
        self.browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(self.browse)
        self.subject = QLineEdit()
        self.subject.setObjectName("export_subject")
        self.subject.setMaxLength(32)
        self.subject.setPlaceholderText(self.tr("all subjects"))
        self.use_since = QCheckBox(self.tr("Only data changed since"))
        self.use_since.setObjectName("export_use_since")
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since.setObjectName("export_since")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setEnabled(False)
        self.use_since.toggled.connect(self.since.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.use_since)
        since_row.addWidget(self.since)
        since_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Save to"), out_row)
        form.addRow(self.tr("Subject (optional)"), self.subject)
        form.addRow(self.tr("Period"), since_row)
        self.status = QLabel()
        self.status.setObjectName("export_status")
        self.status.setWordWrap(True)
        self.result = QPlainTextEdit()
        self.result.setObjectName("export_result")
        self.result.setReadOnly(True)
        self.result.setPlaceholderText(self.tr("Written files and their SHA-256 hashes appear "
                                               "here; the export is recorded in the audit "
                                               "trail."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.run_button = self.buttons.addButton(self.tr("Export"),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button.setObjectName("export_run")
        self.run_button.clicked.connect(self.start)
        lay = QVBoxLayout(self)
        if not can_export:
            note = QLabel(self.tr("Only investigators can export study data."))
            note.setObjectName("export_denied")
            lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(self.result, 1)
        lay.addWidget(self.buttons)
        self.format.currentIndexChanged.connect(self._default_output)
        self._default_output()
        self.can_export = can_export
        for w in (self.format, self.output, self.browse, self.subject, self.use_since,
                  self.run_button):
            w.setEnabled(can_export)
        self._busy = False

    def fmt(self) -> str:
        return self.format.currentData()

    def _default_output(self) -> None:
        self.output.setText(str(self.default_dir / DEFAULT_NAMES[self.fmt()]))

    def _browse(self) -> None:
        if self.fmt() in FOLDER_FORMATS:
            path = QFileDialog.getExistingDirectory(self, self.tr("Export folder"),
                                                    str(self.default_dir))
        else:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export file"),
                                                  self.output.text())
        if path:
            self.output.setText(path)

    def start(self) -> None:
        if self._busy or not self.can_export:
            return
        out = self.output.text().strip()
        if not out:
            self.status.setText(self.tr("Choose where to save the export."))
            return
        self._busy = True
        self.run_button.setEnabled(False)
        self.result.clear()
        self.status.setText(self.tr("Exporting… (you can keep working; this window shows the "
                                    "result)"))
        args = (self.db_url, self.actor, self.fmt(), Path(out),
                self.subject.text().strip() or None,
                self.since.date().toPython() if self.use_since.isChecked() else None)
        worker = self._worker
        run_task(lambda: worker(*args), self._done, self._failed, receiver=self)

    def _done(self, detail: dict) -> None:
        self._busy = False
        self.run_button.setEnabled(True)
        lines = [f"{name}\t{info['bytes']} bytes\tSHA-256 {info['sha256']}"
                 for name, info in sorted(detail.get("files", {}).items())]
        self.result.setPlainText("\n".join(lines))
        self.status.setText(self.tr("Export finished: %1 file(s), recorded in the audit trail.")
                            .replace("%1", str(len(lines))))
        self.finished_export.emit(detail)

    def _failed(self, exc: BaseException) -> None:
        from forms.errors import UserError
        self._busy = False
        self.run_button.setEnabled(True)
        text = user_message(str(exc)) if isinstance(exc, UserError) else self.tr(
            "The export failed; no export was recorded. (%1)").replace("%1", type(exc).__name__)
        self.status.setText(text)
        self.export_failed.emit(text)


def attach_staff_tools(win: Any, w: Any, actor: Any) -> None:
    """The staff window's export button (investigators) and audit-CSV record and, for
    administrators, the admin screens in place of the patient screens (ui/nurse/admin_*.py)."""
    db = getattr(win.backend, "db", None)
    w.export_button = QPushButton(QCoreApplication.translate("NurseMainWindow", "Export data…"))
    w.export_button.setObjectName("export_button")
    w.export_button.setEnabled(db is not None and win.can("export"))
    w.export_button.clicked.connect(win.open_export)
    w.layout().itemAt(0).layout().insertWidget(1, w.export_button)
    w.audit.exported.connect(lambda path, rows: _audit_exported(win, path, rows))
    w.admin = None
    if db is not None and win.can("manage_users"):
        from ui.nurse.admin_settings import AdminPanel     # admins only: loaded on their login
        w.admin = AdminPanel(db, actor)
        w.findChild(QSplitter).hide()
        w.layout().addWidget(w.admin, 1)


def _audit_exported(win: Any, path: str, rows: int) -> None:
    """The audit trail CSV was written: record its row count and SHA-256 in the audit trail."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    try:
        win.backend.record_event(win.actor, action="audit.exported", entity="patient",
                                 entity_id=win.patient_id,
                                 detail=f"audit trail CSV, {rows} rows, sha256={digest}")
    except Exception as exc:  # noqa: BLE001 - the file exists; say the record failed
        win._fail(exc)
