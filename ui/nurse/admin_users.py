"""Admin: staff accounts (create with a role, deactivate, re-activate, lift a lockout, reset a
password to a temporary one that its owner must change at the next login)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from forms.errors import UserError
from storage.services import reset_password
from ui.nurse.admin_common import RowsModel, reason_edit
from ui.widgets.errors import user_message
from ui.widgets.timefmt import local_time_text


class AdminUsersWidget(QWidget):
    changed = Signal(str)        # a status message after every successful change
    failed = Signal(str)

    def __init__(self, db: Any, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_users")
        self.db, self.actor = db, actor
        roles = {"nurse": self.tr("study nurse"), "investigator": self.tr("investigator"),
                 "admin": self.tr("administrator")}
        self.model = RowsModel([
            (self.tr("User name"), lambda u: u.username),
            (self.tr("Full name"), lambda u: u.full_name),
            (self.tr("Role"), lambda u: roles.get(u.role, u.role)),
            (self.tr("Status"), lambda u: self.tr("locked") if u.locked and u.active else (
                self.tr("deactivated") if not u.active else
                self.tr("active, must change password") if u.must_change_password else
                self.tr("active"))),
            (self.tr("Created"), lambda u: local_time_text(u.created_at, seconds=False))])
        self.table = QTableView()
        self.table.setObjectName("admin_users_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.reason = reason_edit("admin_user_reason",
                                  self.tr("Reason (required to deactivate, re-activate, unlock, "
                                          "reset a password)"))
        self.deactivate_button = QPushButton(self.tr("Deactivate"))
        self.deactivate_button.setObjectName("admin_deactivate")
        self.activate_button = QPushButton(self.tr("Re-activate"))
        self.activate_button.setObjectName("admin_activate")
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("admin_unlock")
        self.deactivate_button.clicked.connect(lambda: self._set_active(False))
        self.activate_button.clicked.connect(lambda: self._set_active(True))
        self.unlock_button.clicked.connect(self._unlock)
        acts = QHBoxLayout()
        acts.addWidget(self.reason, 1)
        for b in (self.deactivate_button, self.activate_button, self.unlock_button):
            acts.addWidget(b)

        box = QGroupBox(self.tr("New account"))
        self.new_user = QLineEdit()
        self.new_user.setObjectName("admin_new_user")
        self.new_user.setMaxLength(64)
        self.new_name = QLineEdit()
        self.new_name.setObjectName("admin_new_name")
        self.new_name.setMaxLength(200)
        self.new_role = QComboBox()
        self.new_role.setObjectName("admin_new_role")
        for key in ("nurse", "investigator", "admin"):
            self.new_role.addItem(roles[key], key)
        self.new_pw = QLineEdit()
        self.new_pw.setObjectName("admin_new_password")
        self.new_pw.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pw2 = QLineEdit()
        self.new_pw2.setObjectName("admin_new_password2")
        self.new_pw2.setEchoMode(QLineEdit.EchoMode.Password)
        self.create_button = QPushButton(self.tr("Create account"))
        self.create_button.setObjectName("admin_create_user")
        self.create_button.clicked.connect(self._create)
        form = QFormLayout(box)
        form.addRow(self.tr("User name"), self.new_user)
        form.addRow(self.tr("Full name"), self.new_name)
        form.addRow(self.tr("Role"), self.new_role)
        form.addRow(self.tr("Initial password"), self.new_pw)
        form.addRow(self.tr("Repeat the password"), self.new_pw2)
        form.addRow(self.create_button)
        self.message = QLabel()
        self.message.setObjectName("admin_users_message")
        self.message.setWordWrap(True)
        reset = QGroupBox(self.tr("Reset the selected account's password"))
        self.temp_pw = QLineEdit()
        self.temp_pw.setObjectName("admin_temp_password")
        self.temp_pw.setEchoMode(QLineEdit.EchoMode.Password)
        self.temp_pw2 = QLineEdit()
        self.temp_pw2.setObjectName("admin_temp_password2")
        self.temp_pw2.setEchoMode(QLineEdit.EchoMode.Password)
        self.reset_button = QPushButton(self.tr("Set temporary password"))
        self.reset_button.setObjectName("admin_reset_password")
        self.reset_button.clicked.connect(self._reset)
        rform = QFormLayout(reset)
        rform.addRow(self.tr("Temporary password"), self.temp_pw)
        rform.addRow(self.tr("Repeat the password"), self.temp_pw2)
        rform.addRow(self.reset_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(acts)
        lay.addWidget(self.message)
        lower = QHBoxLayout()
        lower.addWidget(box, 1)
        lower.addWidget(reset, 1)
        lay.addLayout(lower)
        self.reload()

    def reload(self) -> None:
        from storage.services import list_users
        self.model.set_rows(list_users(self.db, self.actor))

    def selected(self) -> Any:
        idx = self.table.currentIndex()
        return self.model.rows[idx.row()] if idx.isValid() else None

    def _run(self, fn, ok_text: str) -> bool:  # noqa: ANN001
        try:
            fn()
        except UserError as exc:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(user_message(str(exc)))
            self.failed.emit(user_message(str(exc)))
            return False
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(ok_text)
        self.reload()
        self.changed.emit(ok_text)
        return True

    def _need_user(self) -> Any:
        u = self.selected()
        if u is None:
            raise UserError(self.tr("Select an account first."))
        return u

    def _set_active(self, active: bool) -> None:
        from storage.services import set_user_active

        def do() -> None:
            u = self._need_user()
            set_user_active(self.db, self.actor, u.id, active, reason=self.reason.text())
        if self._run(do, self.tr("Account updated.")):
            self.reason.clear()

    def _unlock(self) -> None:
        from storage.services import unlock_user

        def do() -> None:
            unlock_user(self.db, self.actor, self._need_user().id, reason=self.reason.text())
        if self._run(do, self.tr("Account unlocked.")):
            self.reason.clear()

    def _reset(self) -> None:
        def do() -> None:
            u = self._need_user()
            if self.temp_pw.text() != self.temp_pw2.text():
                raise UserError(self.tr("The two passwords differ."))
            reset_password(self.db, self.actor, u.id, temporary_password=self.temp_pw.text(),
                           reason=self.reason.text())
        ok = self._run(do, self.tr("Temporary password set. Give it to the account's owner in "
                                   "person; they must choose a new one at their next login."))
        self.temp_pw.clear()
        self.temp_pw2.clear()
        if ok:
            self.reason.clear()

    def _create(self) -> None:
        from storage.services import create_user

        def do() -> None:
            if self.new_pw.text() != self.new_pw2.text():
                raise UserError(self.tr("The two passwords differ."))
            create_user(self.db, self.actor, username=self.new_user.text(),
                        full_name=self.new_name.text(), role=self.new_role.currentData(),
                        password=self.new_pw.text())
        ok = self._run(do, self.tr("Account created. Give the initial password to its owner "
                                   "in person."))
        self.new_pw.clear()
        self.new_pw2.clear()
        if ok:
            self.new_user.clear()
            self.new_name.clear()
