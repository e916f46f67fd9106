"""The staff workstation: nurse window, first-run wizard, and the hand-over to the patient kiosk.

Hand-over (``NurseMainWindow.hand_to_kiosk(patient_id, visit_id)``): the staff member's session
is LOGGED OUT (the work area with every patient screen is destroyed, not hidden) and the staff
window is hidden; the kiosk opens full screen and frameless directly at the identity check
(``KioskController.hand_over``, the same path as the kiosk's own staff screen, so an interrupted
questionnaire of that visit is resumed). When the patient part ends (thank-you, "This is not
me", idle timeout, or staff stopping it with their password) the kiosk closes and the staff
window shows its login: somebody must log in again. Logging out (rather than a lock screen over
a live session) is the safer choice: nothing of the staff session exists while a patient holds
the PC, so nothing can leak if the kiosk is escaped, and there is no session to resume by a
patient who learns a shortcut.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from ui.kiosk.backend import StaffSession, StorageKioskBackend
from ui.kiosk.start_screens import wait_reason
from ui.nurse.backend import StorageBackend
from ui.nurse.main_window import NurseMainWindow

log = logging.getLogger(__name__)


class Workstation(QObject):
    """Owns the staff window and, during a hand-over, the kiosk window (one at a time)."""

    kiosk_opened = Signal(object)      # the KioskWindow
    kiosk_closed = Signal(list)        # staff notices from the patient part
    notice_shown = Signal(object)      # the QMessageBox with the notices (after re-login)

    def __init__(self, db: Any, *, demo: bool = False, lang: str = "en",
                 station: str | None = None, kiosk_fullscreen: bool = True,
                 staff_idle_ms: int | None = None, kiosk_idle_ms: int | None = None,
                 login: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from storage import services
        settings = services.study_settings(db)
        self.db = db
        self.lang = lang
        self.kiosk_fullscreen = kiosk_fullscreen
        self.staff_idle_ms = staff_idle_ms or settings.staff_idle_minutes * 60_000
        self.kiosk_idle_ms = kiosk_idle_ms or settings.kiosk_idle_seconds * 1000
        self.backend = StorageBackend(db, station_id=station)
        self.kiosk_backend = StorageKioskBackend(db, station=station)
        self.nurse = NurseMainWindow(self.backend, demo=demo, idle_ms=self.staff_idle_ms,
                                     login=login)     # the launcher's, shown while opening
        self.nurse.hand_to_kiosk.connect(self.hand_to_kiosk)
        self.nurse.logged_in.connect(self._show_pending_notices)
        self.kiosk: Any = None
        self.pending_notices: list[str] = []
        self.notice_box: QMessageBox | None = None

    def show(self) -> None:
        self.nurse.show()

    # -- hand-over -------------------------------------------------------------------------
    def hand_to_kiosk(self, patient_id: int, visit_id: int) -> None:
        actor = self.nurse.actor
        if actor is None or self.kiosk is not None:
            return
        try:
            visit = self.kiosk_backend.visit_for(visit_id)
            resumable = any(o.visit_id == visit_id for o in self.kiosk_backend.interrupted(
                StaffSession(actor.username or "", actor.role or "", actor)))
            todo = self.kiosk_backend.battery(visit_id)
        except Exception as exc:  # noqa: BLE001 - shown to staff, nothing started
            self.nurse._fail(exc)
            return
        if visit.patient_id != patient_id:
            return
        if not todo and not resumable:
            self.nurse.statusBar().showMessage(self.tr(
                "Nothing left for the patient to answer in this visit."), 10000)
            return
        check = None if resumable else self.kiosk_backend.start_check(visit_id)
        if check is not None and not check.startable:   # the kiosk list's rule: say why here,
            self.nurse.statusBar().showMessage(           # never to the patient
                self.tr("This visit cannot start yet: %1").replace(
                    "%1", "; ".join(wait_reason(w) for w in check.waits)), 15000)
            return
        staff = StaffSession(actor.username or "", actor.role or "", actor)
        self.nurse.logout("kiosk")       # the staff session ends: re-login after the patient
        self.nurse.hide()
        from ui.kiosk.window import KioskWindow
        win = KioskWindow(self.kiosk_backend, station=False, lang=self.lang,
                          idle_ms=self.kiosk_idle_ms, fullscreen=self.kiosk_fullscreen)
        self.kiosk = win
        win.controller.handover_ended.connect(self._kiosk_done)
        if not self.kiosk_fullscreen:    # tests and screenshots: a normal window
            win.resize(1280, 800)
            win.show()
        win.controller.hand_over(staff, visit_id)
        self.kiosk_opened.emit(win)

    def _kiosk_done(self, notices: list) -> None:
        win, self.kiosk = self.kiosk, None
        if win is None:
            return
        self.nurse.end_handed_over_session()     # the staff login behind the kiosk ends now
        self.pending_notices.extend(str(n) for n in notices)
        self.nurse.login.reset(self.tr("The patient part has ended. Please log in again."))
        self.nurse.show()                # before the kiosk closes: the app must not quit
        self.nurse.raise_()
        self.nurse.activateWindow()
        win.allow_close()
        win.close()
        win.deleteLater()
        self.kiosk_closed.emit(list(notices))

    def _show_pending_notices(self, _actor: Any) -> None:
        if not self.pending_notices:
            return
        text = "\n\n".join(self.pending_notices)
        self.pending_notices = []
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("From the patient kiosk"), text,
                          QMessageBox.StandardButton.Ok, self.nurse)
        box.setObjectName("handover_notice")
        box.open()
        self.notice_box = box
        self.notice_shown.emit(box)

    def dispose(self) -> None:
        if self.kiosk is not None:
            self.kiosk.allow_close()
            self.kiosk.close()
            self.kiosk = None
