"""The end of a staff session (issue 14 item 5): the idle warning with its countdown, and what a
logout closes.

Thirty seconds before the idle logout a countdown dialog appears; any input cancels it. At
logout EVERY dialog of the window closes (enrol, correct, sign, change reason, preview, export,
…): nothing with patient data stays on screen. Unsaved entries are DISCARDED, never kept as a
draft (a draft could be shown to the next user of the workstation); the warning says so before
and the login screen names what was discarded after.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from ui.widgets.idle import IdleWarningDialog

if TYPE_CHECKING:
    from ui.nurse.main_window import NurseMainWindow

log = logging.getLogger(__name__)


class SessionGuard(QObject):
    def __init__(self, window: "NurseMainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.warning_dialog: IdleWarningDialog | None = None
        self.handed_over_actor: Any = None      # the login a patient's kiosk runs under
        window.idle.warning.connect(self.show_warning)
        window.idle.resumed.connect(self.hide_warning)

    def show_warning(self) -> None:
        if self.window.actor is None:
            return
        self.hide_warning()
        note = self.tr("You have not used the workstation for a while. Move the mouse or press "
                       "a key to stay logged in.")
        if self.unsaved():
            note += " " + self.tr("Unsaved entries (%1) will be discarded at logout.").replace(
                "%1", ", ".join(self.unsaved()))
        dlg = IdleWarningDialog(self.window.idle, note, self.window)
        self.warning_dialog = dlg
        dlg.show()

    def hide_warning(self) -> None:
        dlg, self.warning_dialog = self.warning_dialog, None
        if dlg is not None:
            dlg.close()
            dlg.deleteLater()

    def unsaved(self) -> list[str]:
        """What a logout now would discard, named for the user."""
        w = self.window
        out = []
        form = w.work.clinical if w.work is not None else None
        if form is not None and form.isEnabled() and form.has_unsaved_input():
            out.append(self.tr("clinical assessment"))
        for attr, name in (("enrol_dialog", self.tr("enrolment")),
                           ("correct_dialog", self.tr("answer correction")),
                           ("clinical_reason_dialog", self.tr("clinical assessment change"))):
            dlg = getattr(w, attr, None)
            try:
                if dlg is not None and dlg.isVisible() and name not in out:
                    out.append(name)
            except RuntimeError:          # already deleted by Qt
                continue
        return out

    def close_patient_windows(self) -> None:
        """Close and destroy every dialog of the window (they may show patient data)."""
        self.warning_dialog = None
        for dlg in self.window.findChildren(QDialog):
            dlg.close()
            dlg.deleteLater()
        for attr in ("enrol_dialog", "correct_dialog", "sign_dialog", "clinical_reason_dialog",
                     "export_dialog"):
            if hasattr(self.window, attr):
                setattr(self.window, attr, None)

    def end_session(self, actor: Any, why: str) -> None:
        """Audit the logout (storage also ends the login). At a hand-over to the kiosk the
        kiosk still acts under this login: it ends when the kiosk closes."""
        if why == "kiosk":
            self.handed_over_actor = actor
        else:
            self._record(actor, why)

    def end_handed_over_session(self) -> None:
        actor, self.handed_over_actor = self.handed_over_actor, None
        if actor is not None:
            self._record(actor, "kiosk")

    def _record(self, actor: Any, why: str) -> None:
        try:
            self.window.backend.record_logout(actor, why=why)
        except Exception as exc:  # noqa: BLE001 - the logout itself must never fail
            log.error("logout could not be audited: %s", type(exc).__name__)
