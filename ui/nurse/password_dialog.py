"""Own password change: the "Change my password…" menu entry and the forced change after an
administrator's reset (shown right after login, before anything else).

The policy is ``forms.passwords`` (previewed here with the same function, translated by
``ui.widgets.password_policy``); ``storage.services.change_password`` checks it again, checks the
current password and audits the change. It runs off the GUI thread (argon2id).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMenu,
                               QVBoxLayout, QWidget)

from forms.errors import UserError
from storage.services import AuthError
from ui.widgets.errors import user_message
from ui.widgets.password_policy import policy_hint, policy_messages
from ui.widgets.tasks import run_task

if TYPE_CHECKING:
    from ui.nurse.main_window import NurseMainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("PasswordChanger", text)


def _password_edit(name: str) -> QLineEdit:
    e = QLineEdit()
    e.setObjectName(name)
    e.setEchoMode(QLineEdit.EchoMode.Password)
    e.setMaxLength(256)
    return e


class ChangePasswordDialog(QDialog):
    """Current password, new password twice; OK only when the policy and the repeat agree."""

    def __init__(self, username: str, parent: QWidget | None = None, *,
                 forced: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("change_password_dialog")
        self.setWindowTitle(self.tr("Change my password"))
        self.setMinimumWidth(520)
        self.username = username
        self.forced = forced
        intro = QLabel(self.tr("An administrator has set a temporary password for your account. "
                               "Choose your own password before you continue.") if forced else
                       self.tr("Enter your current password and choose a new one."))
        intro.setObjectName("change_password_intro")
        intro.setWordWrap(True)
        self.old = _password_edit("change_password_old")
        self.new = _password_edit("change_password_new")
        self.repeat = _password_edit("change_password_repeat")
        form = QFormLayout()
        form.addRow(self.tr("User name"), QLabel(username))
        form.addRow(self.tr("Current password") if not forced else
                    self.tr("Temporary password"), self.old)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("Repeat the new password"), self.repeat)
        hint = QLabel(policy_hint())
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.message = QLabel()
        self.message.setObjectName("change_password_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("change_password_ok")
        self.ok_button.setText(self.tr("Change password"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Log out") if forced else self.tr("Cancel"))
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        for e in (self.old, self.new, self.repeat):
            e.textChanged.connect(self._validate)
        self._validate()

    def problems(self) -> list[str]:
        if not self.new.text():
            return []
        out = policy_messages(self.new.text(), self.username)
        if self.repeat.text() and self.repeat.text() != self.new.text():
            out.append(self.tr("The two new passwords differ."))
        return out

    def _validate(self) -> None:
        problems = self.problems()
        self.message.setText(" ".join(problems))
        self.ok_button.setEnabled(bool(self.old.text() and self.new.text()
                                       and self.repeat.text() == self.new.text()
                                       and not problems))

    def show_error(self, text: str) -> None:
        self.message.setText(text)


class PasswordChanger:
    """Runs a change for a window: the menu entry and the forced change at login."""

    def __init__(self, window: "NurseMainWindow") -> None:
        self.window = window
        self.dialog: ChangePasswordDialog | None = None

    def open(self, actor: Any, *, forced: bool = False) -> ChangePasswordDialog:
        w = self.window
        dlg = ChangePasswordDialog(actor.username or "", w, forced=forced)
        dlg.buttons.accepted.connect(lambda: self._submit(dlg, actor))
        if forced:
            dlg.rejected.connect(lambda: w.login.reset(
                _tr("Your password must be changed before you can continue.")))
        dlg.open()
        self.dialog = dlg
        return dlg

    def _submit(self, dlg: ChangePasswordDialog, actor: Any) -> None:
        old, new = dlg.old.text(), dlg.new.text()
        dlg.old.clear()
        dlg.ok_button.setEnabled(False)
        change = self.window.backend.change_password
        run_task(lambda: change(actor, old, new), lambda a: self._done(dlg, a),
                 lambda exc: self._failed(dlg, exc), receiver=dlg)

    def _done(self, dlg: ChangePasswordDialog, actor: Any) -> None:
        w = self.window
        forced = dlg.forced
        dlg.accept()
        if forced:
            w.login.logged_in.emit(actor)          # now the session starts
        else:
            w.actor = actor
            w.statusBar().showMessage(_tr("Your password was changed."), 8000)

    def _failed(self, dlg: ChangePasswordDialog, exc: BaseException) -> None:
        if isinstance(exc, AuthError):
            dlg.show_error(_tr("The current password is wrong, or the account is locked; "
                               "the password was not changed."))
        elif isinstance(exc, UserError):
            dlg.show_error(user_message(str(exc)))
        else:
            dlg.show_error(_tr("The password could not be changed because of an unexpected "
                               "error; try again."))


def attach_account_menu(window: "NurseMainWindow") -> PasswordChanger:
    """An "Account" menu with "Change my password…", shown only while someone is logged in."""
    changer = PasswordChanger(window)
    menu = QMenu(_tr("Account"), window)
    menu.setObjectName("account_menu")
    action = menu.addAction(_tr("Change my password…"))
    action.setObjectName("change_password_action")
    action.triggered.connect(lambda: window.actor is not None and changer.open(window.actor))
    window.menuBar().addMenu(menu)

    def show(*_: object) -> None:
        menu.menuAction().setVisible(window.actor is not None)
    window.logged_in.connect(show)
    window.logged_out.connect(show)
    show()
    window.change_password_action = action
    return changer
