"""\"Set my kiosk PIN…\" (issue 12 item 6): the account holder sets the PIN that unlocks the
patient kiosk by touch, confirming with their password.

The PIN policy is ``forms.staff_pin`` (4-8 digits, nothing trivial), checked here as typed and
again by ``storage.services.set_kiosk_pin``, which verifies the password (a wrong one counts
toward the lockout), stores the argon2id hash and audits the change.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMenu,
                               QVBoxLayout)

from forms.errors import UserError
from forms.staff_pin import MAX_DIGITS, MIN_DIGITS, pin_problem
from storage.services import PIN_ROLES, AuthError
from ui.widgets.errors import user_message
from ui.widgets.tasks import run_task

if TYPE_CHECKING:
    from ui.nurse.main_window import NurseMainWindow

CTX = "KioskPinDialog"
PROBLEMS = {
    "not_digits": "The PIN may contain digits only.",
    "too_short": "The PIN needs at least %1 digits.",
    "too_long": "The PIN may have at most %2 digits.",
    "all_same": "The PIN may not be one digit repeated (such as 0000).",
    "sequence": "The PIN may not be a run of digits (such as 1234 or 9876).",
    "repeated": "The PIN may not be a repeated pair (such as 1212).",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def problem_text(problem: str) -> str:
    return _tr(PROBLEMS[problem]).replace("%1", str(MIN_DIGITS)).replace("%2", str(MAX_DIGITS))


def _secret(name: str) -> QLineEdit:
    e = QLineEdit()
    e.setObjectName(name)
    e.setEchoMode(QLineEdit.EchoMode.Password)
    return e


class KioskPinDialog(QDialog):
    def __init__(self, window: "NurseMainWindow") -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("kiosk_pin_dialog")
        self.setWindowTitle(_tr("Set my kiosk PIN"))
        lay = QVBoxLayout(self)
        intro = QLabel(_tr("The PIN unlocks the patient kiosk by touch with your account. Use "
                           "%1 to %2 digits; simple PINs such as 1234 or 0000 are refused.")
                       .replace("%1", str(MIN_DIGITS)).replace("%2", str(MAX_DIGITS)))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.password = _secret("kiosk_pin_password")
        self.pin = _secret("kiosk_pin_new")
        self.repeat = _secret("kiosk_pin_repeat")
        for e in (self.pin, self.repeat):
            e.setMaxLength(MAX_DIGITS)
        form.addRow(_tr("Your password"), self.password)
        form.addRow(_tr("New PIN"), self.pin)
        form.addRow(_tr("New PIN again"), self.repeat)
        lay.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("kiosk_pin_message")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("kiosk_pin_ok")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def _submit(self) -> None:
        pin, password = self.pin.text(), self.password.text()
        if pin != self.repeat.text():
            self.message.setText(_tr("The two PINs differ."))
            return
        problem = pin_problem(pin)
        if problem is not None:
            self.message.setText(problem_text(problem))
            return
        w = self.window_
        actor, set_pin = w.actor, w.backend.set_kiosk_pin
        self.password.clear()
        self.ok_button.setEnabled(False)
        run_task(lambda: set_pin(actor, password, pin), lambda _r: self._done(),
                 self._failed, receiver=self)

    def _done(self) -> None:
        self.accept()
        self.window_.statusBar().showMessage(_tr("Your kiosk PIN was set."), 8000)

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, AuthError):
            self.message.setText(_tr("The password is wrong, or the account is locked; the PIN "
                                     "was not set."))
        elif isinstance(exc, UserError):
            self.message.setText(user_message(str(exc)))
        else:
            self.message.setText(_tr("The PIN could not be set (%1).")
                                 .replace("%1", type(exc).__name__))


def attach_kiosk_pin_menu(window: "NurseMainWindow") -> None:
    """"Set my kiosk PIN…" in the Account menu, for nurses and investigators while logged in."""
    menu = window.findChild(QMenu, "account_menu")
    if menu is None:
        menu = QMenu(_tr("Account"), window)
        menu.setObjectName("account_menu")
        window.menuBar().addMenu(menu)
    action = menu.addAction(_tr("Set my kiosk PIN…"))
    action.setObjectName("kiosk_pin_action")

    def open_dialog() -> Any:
        if window.actor is None:
            return None
        dlg = KioskPinDialog(window)
        window.kiosk_pin_dialog = dlg
        dlg.open()
        return dlg
    action.triggered.connect(open_dialog)

    def show(*_: object) -> None:
        action.setVisible(window.actor is not None and window.actor.role in PIN_ROLES)
    window.logged_in.connect(show)
    window.logged_out.connect(show)
    show()
    window.kiosk_pin_action = action
    window.open_kiosk_pin = open_dialog
