"""The kiosk's staff login overlay (a mixin of ``KioskController``): PIN by touch, or user name and
password behind "Use password instead".

The check (argon2: ~0.3 s of CPU, more on a busy station) runs on a worker thread
(``ui.widgets.tasks.run_task``) so the kiosk never freezes under a finger; while it runs the
overlay says so and its buttons are disabled (a double tap checks once). The worker gets plain
strings and returns the backend's plain ``StaffSession``; widgets are touched on the GUI thread
only. A session that arrives after its overlay was closed (the kiosk locked meanwhile) is ended
at once, never left behind.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtWidgets import QLineEdit

from ui.kiosk.backend import StaffAuthFailed, StaffSession
from ui.kiosk.staff_unlock import StaffPinPanel, staff_field
from ui.widgets.tasks import run_task

log = logging.getLogger(__name__)


class StaffLogin:
    """``ask_staff_password`` (state lives on the controller; ``tr()`` resolves through the
    controller, a QObject)."""

    win: Any
    backend: Any
    scale: float
    staff: StaffSession | None

    def ask_staff_password(self, on_ok: Callable[[], None]) -> None:
        ov: Any = None
        users = self.backend.pin_users()
        panel = StaffPinPanel(users, self.scale) if users else None
        user = staff_field("StaffUser", self.tr("User name"))
        pw = staff_field("StaffPassword", self.tr("Password"))
        pw.setEchoMode(QLineEdit.EchoMode.Password)
        state = {"pin": panel is not None, "busy": False}   # touch first; password one tap away

        def busy(on: bool) -> None:
            state["busy"] = on
            for b in ov.buttons.values():
                b.setEnabled(not on)
            for w in (user, pw, panel):
                if w is not None:
                    w.setEnabled(not on)
            if on:
                ov.message.setText(self.tr("Checking…"))

        def refused(exc: BaseException) -> None:
            if ov not in self.win.overlays:          # closed meanwhile: nothing to tell
                return
            busy(False)
            pw.clear()
            if panel is not None:
                panel.clear()
            if not isinstance(exc, StaffAuthFailed):  # the database, not the password
                log.error("kiosk staff login failed: %s", type(exc).__name__)
                ov.message.setText(self.tr("The login could not be checked. Please try again; "
                                           "if it keeps failing, restart the station."))
            else:
                ov.message.setText(self.tr("The PIN is not correct, or the account is locked.")
                                   if state["pin"] else
                                   self.tr("The user name or password is not correct."))

        def accepted(staff: StaffSession) -> None:
            if ov not in self.win.overlays:          # the kiosk locked while it was checked
                self.backend.end_staff_session(staff)
                return
            self.staff = staff
            self.win.close_overlay(ov)
            on_ok()

        def unlock() -> None:
            if state["busy"]:
                return
            if state["pin"]:
                who, secret = panel.user, panel.value()
                if not who or not secret:
                    ov.message.setText(self.tr("Tap your name, then enter your PIN."))
                    return
                check = self.backend.verify_staff_pin
            else:
                who, secret, check = user.text(), pw.text(), self.backend.verify_staff
            busy(True)
            run_task(lambda: check(who, secret), accepted, refused, receiver=self.win)

        def use_password() -> None:
            state["pin"] = False
            panel.hide()
            ov.buttons["StaffUsePassword"].hide()
            user.show()
            pw.show()
            ov.message.setText(self.tr("Enter your user name and password."))
            user.setFocus()

        buttons = [(self.tr("Unlock"), "StaffUnlock", unlock, True),
                   (self.tr("Cancel"), "StaffCancel", lambda: self.win.close_overlay(ov), False)]
        if panel is not None:
            buttons.insert(1, (self.tr("Use password instead"), "StaffUsePassword",
                               use_password, False))
        ov = self.win.overlay(self.tr("Staff only"),
                              self.tr("Enter your PIN.") if panel is not None
                              else self.tr("Enter your user name and password."),
                              buttons, "StaffLogin")
        if panel is not None:
            ov.extra.addWidget(panel)
            panel.submitted.connect(unlock)
        ov.extra.addWidget(user)
        ov.extra.addWidget(pw)
        pw.returnPressed.connect(unlock)
        if panel is not None:
            user.hide()
            pw.hide()
        else:
            user.setFocus()
