"""What the kiosk shows when a save fails (a mixin of ``KioskController``).

Three cases, told apart by the backend (ui/kiosk/backend.py): the station can no longer save at
all (its database file vanished or cannot be written, the disk or server is gone) → the stop
screen, full-screen, nothing acknowledged afterwards; the hand-over was refused (ended, expired,
another patient) → "call the nurse" and the kiosk locks; anything else → "this answer could not
be saved", the patient may try again. The patient never sees an internal code. When STAFF hand
the kiosk over and storage refuses (account deactivated meanwhile, role, visit gone), staff are
told storage's reason in the kiosk's language and the kiosk locks.
"""
from __future__ import annotations

import logging
from typing import Any

from forms.errors import UserError
from ui.kiosk.backend import HandOverEnded, StationCannotSave
from ui.kiosk.end_screens import StationStoppedScreen
from ui.widgets.errors import error_text

log = logging.getLogger(__name__)


class SaveErrors:
    """``_storage_error`` and the stop screen (state lives on the controller; ``tr()``
    resolves through the controller, a QObject)."""

    win: Any
    phase: str

    def _storage_error(self, exc: Exception) -> None:
        log.error("kiosk save failed: %s", type(exc).__name__)  # no patient data in the log
        if isinstance(exc, StationCannotSave):
            return self.stop_station()
        if isinstance(exc, HandOverEnded):
            return self._hand_over_refused()
        ov: Any = None
        ov = self.win.overlay(
            self.tr("Please call the nurse"),
            self.tr("This answer could not be saved. Your earlier answers are safe. "
                    "Please ask the nurse for help."),
            [(self.tr("OK"), "ErrorOk", lambda: self.win.close_overlay(ov), True)], "ErrorOverlay")

    def _hand_over_failed(self, exc: Exception) -> None:
        """Staff's hand-over was refused: why (storage's message, translated), then lock."""
        if isinstance(exc, StationCannotSave) or not isinstance(exc, UserError):
            return self._storage_error(exc)
        log.error("kiosk hand-over refused: %s", type(exc).__name__)
        self.win.close_all_overlays()
        self.win.overlay(self.tr("The kiosk was not handed over"), error_text(exc),
                         [(self.tr("OK"), "HandOverFailedOk", self.show_locked, True)],
                         "HandOverFailed")

    def _hand_over_refused(self) -> None:
        self.win.close_all_overlays()
        self.win.overlay(
            self.tr("Please call the nurse"),
            self.tr("This questionnaire is no longer handed over to you, so this answer was "
                    "not saved. Your earlier answers are safe. Please call the nurse."),
            [(self.tr("OK"), "HandOverEndedOk", self.show_locked, True)], "HandOverEnded")

    def _end_hand_over(self, why: str) -> None:
        try:
            self.backend.end_hand_over(why)
        except Exception:  # noqa: BLE001 (locking must never fail; the hand-over expires)
            log.error("could not end the kiosk hand-over")

    def stop_station(self) -> None:
        """The stop screen: every timer stopped, every overlay and the top bar gone, no
        button; the window stays locked down. Staff restart the station after the database
        is back (the administrator restores or moves the file)."""
        if self.phase == "stopped":
            return
        log.error("kiosk stopped: the database cannot be written")
        self.idle.stop()
        self._tick.stop()
        self.win.close_all_overlays()
        self.win.topbar.hide()
        self._end_hand_over("stopped")
        self.run = None
        self._show("stopped", lambda: StationStoppedScreen(self.scale))
