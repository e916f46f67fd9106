"""First run on an empty database: the protocol file, the site and the first administrator.

The study comes from a protocol file (default: the bundled NCT01342250 protocol), checked as it
is chosen. Finishing calls ``storage.services.initialise_database`` (one transaction: study and
its protocol version with SHA-256, site, admin account, audit rows), the same result as
``epro init --protocol FILE``. Nothing is written before Finish.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QWizard, QWizardPage)

from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH
from storage.services import ProtocolFile, initialise_database, read_protocol_file
from ui.i18n import current_language
from ui.widgets.errors import user_message
from ui.widgets.password_policy import policy_messages


def _edit(name: str, max_len: int, password: bool = False) -> QLineEdit:
    e = QLineEdit()
    e.setObjectName(name)
    e.setMaxLength(max_len)
    if password:
        e.setEchoMode(QLineEdit.EchoMode.Password)
    return e


class StudyPage(QWizardPage):
    """The protocol file the study runs (default: the bundled NCT01342250 protocol), checked
    as it is chosen, and the site."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("setup_study_page")
        self.setTitle(self.tr("Study protocol and site"))
        self.setSubTitle(self.tr("This database is empty. Choose the protocol file of the study "
                                 "this PC collects data for, and enter the site."))
        self.protocol_file = _edit("setup_protocol_file", 1000)
        self.protocol_file.setText(str(DEFAULT_PROTOCOL_PATH))
        self.browse = QPushButton(self.tr("Choose…"))
        self.browse.setObjectName("setup_protocol_browse")
        self.browse.clicked.connect(self._choose)
        self.protocol_summary = QLabel()
        self.protocol_summary.setObjectName("setup_protocol_summary")
        self.protocol_summary.setWordWrap(True)
        self.site_code = _edit("setup_site_code", 32)
        self.site_code.setPlaceholderText(self.tr("e.g. SH01"))
        self.site_name = _edit("setup_site_name", 200)
        row = QHBoxLayout()
        row.addWidget(self.protocol_file, 1)
        row.addWidget(self.browse)
        form = QFormLayout(self)
        form.addRow(self.tr("Protocol file"), row)
        form.addRow("", self.protocol_summary)
        form.addRow(self.tr("Site code"), self.site_code)
        form.addRow(self.tr("Site name"), self.site_name)
        self.protocol: ProtocolFile | None = None
        self.protocol_file.textChanged.connect(self._read)
        for e in (self.site_code, self.site_name):
            e.textChanged.connect(self.completeChanged)
        self._read()

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Protocol file"),
                                              self.protocol_file.text(),
                                              self.tr("Protocol files (*.json)"))
        if path:
            self.protocol_file.setText(path)

    def _read(self) -> None:
        """Check the chosen file at once; show what it is, or every problem."""
        try:
            self.protocol = read_protocol_file(self.protocol_file.text().strip())
        except UserError as exc:
            self.protocol = None
            problems = tuple(map(user_message, getattr(exc, "errors", ()) or (str(exc),)))
            self.protocol_summary.setStyleSheet("color: #b00020;")
            self.protocol_summary.setText(self.tr("This file cannot be used: %1")
                                          .replace("%1", "; ".join(problems[:5])))
        else:
            p = self.protocol.protocol
            title = p.title.get(current_language()) or p.title.get("en", "")
            self.protocol_summary.setStyleSheet("")
            self.protocol_summary.setText(
                self.tr("%1 (%2), version %3: %4 — %5 arms, %6 visits. SHA-256 %7")
                .replace("%1", p.protocol_id).replace("%2", p.registry_id)
                .replace("%3", p.version).replace("%4", title)
                .replace("%5", str(len(p.arms))).replace("%6", str(len(p.visits)))
                .replace("%7", p.sha256[:16] + "…"))
            self._prefill_site(p.sites)
        self.completeChanged.emit()

    def _prefill_site(self, sites) -> None:  # noqa: ANN001
        """The protocol's first site, when the fields are still empty (staff may change it)."""
        if not sites or self.site_code.text().strip() or self.site_name.text().strip():
            return
        site = sites[0]
        self.site_code.setText(site.get("id", ""))
        lang = current_language()
        self.site_name.setText(site.get(f"name_{lang}") or site.get("name", ""))

    def isComplete(self) -> bool:  # noqa: N802
        return self.protocol is not None and all(
            e.text().strip() for e in (self.site_code, self.site_name))


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("setup_admin_page")
        self.setTitle(self.tr("First administrator"))
        self.setSubTitle(self.tr("The administrator creates the staff accounts (nurses, "
                                 "investigators). Administrators cannot see clinical data."))
        self.username = _edit("setup_admin_user", 64)
        self.full_name = _edit("setup_admin_name", 200)
        self.password = _edit("setup_password", 256, password=True)
        self.repeat = _edit("setup_password_repeat", 256, password=True)
        self.message = QLabel()
        self.message.setObjectName("setup_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout(self)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Full name"), self.full_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Repeat the password"), self.repeat)
        form.addRow(self.message)
        for e in (self.username, self.full_name, self.password, self.repeat):
            e.textChanged.connect(self._changed)

    def problem(self) -> str:
        if not (self.username.text().strip() and self.full_name.text().strip()):
            return ""
        problems = policy_messages(self.password.text(), self.username.text().strip())
        if problems:                       # the rule storage applies (forms/passwords.py)
            return " ".join(problems)
        if self.password.text() != self.repeat.text():
            return self.tr("The two passwords differ.")
        return ""

    def _changed(self) -> None:
        self.message.setText(self.problem() if self.repeat.text() else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.username.text().strip() and self.full_name.text().strip()
                    and self.password.text() and not self.problem())

    def validatePage(self) -> bool:  # noqa: N802
        wiz = self.wizard()
        try:
            wiz.create()
        except UserError as exc:         # storage messages are written for users
            self.message.setText(user_message(str(exc)))
            return False
        except Exception as exc:  # noqa: BLE001 - nothing was saved (one transaction)
            self.message.setText(self.tr("Set-up failed; nothing was saved. (%1)")
                                 .replace("%1", type(exc).__name__))
            return False
        return True


class SetupWizard(QWizard):
    """Emits ``initialised(admin_username)`` after the database is set up."""

    initialised = Signal(str)

    def __init__(self, db: Any, *, station: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_wizard")
        self.setWindowTitle(self.tr("ePRO Desk — first-run set-up"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.db = db
        self.station = station
        self.study_page = StudyPage()
        self.admin_page = AdminPage()
        self.addPage(self.study_page)
        self.addPage(self.admin_page)
        self.resize(720, 480)

    def create(self) -> int:
        s, a = self.study_page, self.admin_page
        password = a.password.text()
        uid = initialise_database(
            self.db, protocol=s.protocol, site_code=s.site_code.text(),
            site_name=s.site_name.text(),
            admin_username=a.username.text(), admin_full_name=a.full_name.text(),
            password=password, station_id=self.station)
        a.password.clear()
        a.repeat.clear()
        self.initialised.emit(a.username.text().strip())
        return uid
