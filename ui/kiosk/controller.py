"""The kiosk flow: locked → staff → identity → (welcome → items → review → submit)* → end → locked.

This file holds the state, the locked and staff screens, the identity check and the idle
timeout; the questionnaire run (welcome to end screens) is ``QuestionnaireFlow`` in
ui/kiosk/questionnaire_flow.py. Every answer goes to the backend when it is chosen and the backend
returns only after the save is durable; a screen changes only after that. Transitions are guarded
so a double tap can neither save twice nor skip a screen.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from forms.instrument import Instrument
from ui import i18n
from ui.kiosk.backend import KioskBackend, ResumeOffer, StaffSession, VisitChoice
from ui.kiosk.flow import CONFIRM_MS, THANKS_MS, InstrumentRun
from ui.kiosk.idle import IdleWatcher
from ui.kiosk.questionnaire_flow import QuestionnaireFlow
from ui.kiosk.save_errors import SaveErrors
from ui.kiosk.staff_login import StaffLogin
from ui.kiosk.start_screens import (STAFF_GUARD_MS, IdentityHelpScreen, IdentityScreen,
                                    LockedScreen, StaffScreen)

log = logging.getLogger(__name__)
MAX_IDENTITY_TRIES = 3


class KioskController(QuestionnaireFlow, SaveErrors, StaffLogin, QObject):
    #: workstation hand-over only: the patient part is over (finished, "not me", idle, staff
    #: stopped it); carries the staff notices. The app then closes the kiosk window.
    handover_ended = Signal(list)

    def __init__(self, win: Any, backend: KioskBackend, *, lang: str, idle_ms: int,
                 countdown_s: float) -> None:
        super().__init__(win)
        self.workstation_handover = False
        self.win = win
        self.backend = backend
        self.lang = self.default_lang = lang
        i18n.set_language(lang)
        self.staff: StaffSession | None = None
        self.handover_staff: StaffSession | None = None
        self.visit: VisitChoice | None = None
        self.resume_offer: ResumeOffer | None = None
        self.battery: list[str] = []
        self.battery_total = 0                # questionnaires handed over (progress "part k of n")
        self.auto_advance = True              # study setting, read at each hand-over
        self.confirm_ms = CONFIRM_MS
        self.thanks_ms = THANKS_MS
        self.run: InstrumentRun | None = None
        self.item_id: str | None = None
        self.warnings: list[str] = []
        self.notices: list[str] = []
        self.identity_tries = 0
        self.phase = "locked"
        self._busy = False
        self._review_return = False
        self._shown_at = time.monotonic()
        self.idle = IdleWatcher(idle_ms, self)
        self.idle.idle.connect(self._on_idle)
        self.countdown_ms = int(countdown_s * 1000)
        self._remaining_ms = 0
        self._idle_overlay: Any = None
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._countdown_step)
        self._advance = QTimer(self)          # tapped answer -> next item, after a confirmation
        self._advance.setSingleShot(True)
        self._advance.timeout.connect(self._auto_next)
        self._advance_item: str | None = None
        self._release = QTimer(self)          # a button held disabled during the tap guard
        self._release.setSingleShot(True)
        self._release.timeout.connect(self._release_held)

    # -- helpers ---------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        return self.win.scale

    def _instrument(self, iid: str) -> Instrument:
        return self.backend.instrument(iid)

    def _show(self, phase: str, factory: Callable[[], Any]) -> Any:
        self.phase = phase
        self._busy = False
        self._advance.stop()
        return self.win.show_screen(factory)

    # -- locked and staff ------------------------------------------------------------------
    def show_locked(self) -> None:
        if self.phase == "stopped":          # the stop screen stays (ui/kiosk/save_errors.py)
            return
        self.idle.stop()
        self._tick.stop()
        self.win.close_all_overlays()
        self._end_hand_over("done")
        if not self.workstation_handover:   # the kiosk's own staff logins end with the lock
            self._end_sessions()            # (a workstation ends the login it handed over)
        self.staff = self.handover_staff = self.visit = self.resume_offer = self.run = None
        self.battery, self.warnings, self.item_id = [], [], None
        self._review_return = False
        self.win.reset_scale()                     # and at the kiosk's text size
        if self.lang != self.default_lang:         # the next patient starts in the kiosk's language
            self.lang = self.default_lang
            i18n.set_language(self.lang)
            self.win.topbar.retranslate()
        if self.workstation_handover:               # back to the staff workstation, never a
            notices, self.notices = list(self.notices), []   # kiosk locked screen
            self.win.clear_input_state()
            self.handover_ended.emit(notices)
            return
        self.win.set_patient_mode(False)
        # after a patient screen the unlock button (where the patient's last tap was) waits
        guard = STAFF_GUARD_MS if self.phase not in ("locked", "staff") else 0

        def make() -> LockedScreen:
            s = LockedScreen(self.scale, guard_ms=guard)
            s.unlock.connect(lambda: self.ask_staff_password(self.show_staff))
            return s
        self._show("locked", make)

    def _end_sessions(self) -> None:
        for st in {id(s): s for s in (self.staff, self.handover_staff) if s is not None}.values():
            try:
                self.backend.end_staff_session(st)
            except Exception:  # noqa: BLE001 (locking must never fail; the session expires)
                log.error("could not end the kiosk staff session")

    def staff_button(self) -> None:
        if self.phase == "stopped":
            return
        if self.phase == "locked":
            self.ask_staff_password(self.show_staff)
        elif self.phase == "staff":
            self.show_locked()
        elif self.phase == "identity_help":   # after the identity check stopped
            self.ask_staff_password(self.show_locked if self.workstation_handover
                                    else self.show_staff)
        else:
            self.ask_staff_password(self._staff_menu)

    def show_staff(self) -> None:
        staff = self.staff
        if staff is None:
            return self.show_locked()
        offers = self.backend.interrupted(staff)
        visits = self.backend.open_visits(staff)
        alerts = self.backend.open_alerts()     # warning signs nobody acknowledged yet

        def make() -> StaffScreen:
            s = StaffScreen(self.scale, offers, visits, list(self.notices), self.win.station,
                            alerts=alerts)
            s.resume.connect(lambda o: self.begin(self.backend.visit_for(o.visit_id), o))
            s.start.connect(lambda v: self.begin(v, None))
            s.lock.connect(self.show_locked)
            s.quit_app.connect(self.quit_app)
            return s
        self._show("staff", make)
        self.idle.start()                  # staff screens lock themselves when left alone

    def hand_over(self, staff: StaffSession, visit_id: int) -> None:
        """Hand-over from the staff workstation: the same path as the kiosk's staff screen
        (an interrupted questionnaire of this visit is resumed, else the battery starts), going
        straight to the identity check. When the patient part ends, ``handover_ended`` fires
        instead of the locked screen."""
        self.workstation_handover = True
        self.staff = staff
        offer = next((o for o in self.backend.interrupted(staff) if o.visit_id == visit_id), None)
        self.begin(self.backend.visit_for(visit_id), offer)

    def quit_app(self) -> None:
        if self.workstation_handover:   # "close the kiosk" returns to the workstation login
            self.show_locked()
            return
        self.win.allow_close()
        self.win.close()
        QApplication.instance().quit()

    def _staff_menu(self) -> None:
        ov: Any = None

        def back() -> None:
            self.win.close_overlay(ov)

        def stop() -> None:
            self.win.close_overlay(ov)
            self.abandon(self.tr("Questionnaire paused by staff."))

        def close_app() -> None:
            self.win.close_overlay(ov)
            self.abandon(self.tr("Questionnaire paused by staff."))
            self.quit_app()
        ov = self.win.overlay(self.tr("Staff"), self.tr("What do you want to do?"),
                              [(self.tr("Return to the questionnaire"), "StaffReturn", back, True),
                               (self.tr("Pause and lock (can be resumed)"), "StaffPause", stop,
                                False),
                               (self.tr("Close the kiosk app"), "StaffClose", close_app, False)],
                              "StaffMenu")

    # -- identity --------------------------------------------------------------------------
    def begin(self, visit: VisitChoice, offer: ResumeOffer | None) -> None:
        self.handover_staff = self.staff     # who handed over (opens the questionnaires)
        self.staff = None                    # the staff session is locked underneath
        self.visit, self.resume_offer = visit, offer
        try:                                 # the patient acts only through this hand-over
            self.backend.hand_over(self.handover_staff, visit.visit_id)
        except Exception as exc:  # noqa: BLE001 (staff see why; nothing was started)
            return self._hand_over_failed(exc)
        battery = list(self.backend.battery(visit.visit_id))
        if offer is not None:
            battery = [offer.instrument_id] + [i for i in battery if i != offer.instrument_id]
        self.battery, self.warnings, self.identity_tries = battery, [], 0
        # a resumed or second hand-over still counts the questionnaires submitted before
        self.battery_total = len(battery) + len(self.backend.battery_done(visit.visit_id))
        self.auto_advance = self.backend.auto_advance()
        self.win.reset_scale()              # each patient starts at the kiosk's text size
        self.win.set_patient_mode(True)
        self._show_identity("")
        self.idle.start()

    def _show_identity(self, error: str) -> None:
        visit = self.visit

        def make() -> IdentityScreen:
            s = IdentityScreen(self.scale, visit, error)
            s.confirmed.connect(self._identity_confirmed)
            s.not_me.connect(self._identity_failed)
            return s
        self._show("identity", make)

    def _identity_confirmed(self, year: int) -> None:
        if self.visit is None or self.phase != "identity":
            return
        if self.backend.check_identity(self.visit.patient_id, year):
            self.start_next_instrument()
            return
        self.identity_tries += 1
        try:
            self.backend.report_birth_year_mismatch(self.visit.visit_id, self.handover_staff,
                                                    self.identity_tries, MAX_IDENTITY_TRIES)
        except Exception:  # noqa: BLE001 (the staff notice below still tells staff)
            log.error("could not record the birth-year mismatch")
        if self.identity_tries >= MAX_IDENTITY_TRIES:
            self._identity_stopped()
        else:
            self._show_identity(self.tr("This does not match our records. Please try again, "
                                        "or ask the nurse."))

    def _identity_stopped(self) -> None:
        """The last birth year did not match: a calm message for the patient (no control where
        they just tapped), a notice for staff; staff unlock from the top bar."""
        visit = self.visit
        assert visit is not None
        self.notices.append(self.tr("Hand-over stopped: the birth year did not match {n} times "
                                    "for {subject}. Check the patient before starting again.")
                            .format(n=MAX_IDENTITY_TRIES, subject=visit.subject_id))
        self._show("identity_help", lambda: IdentityHelpScreen(self.scale))

    def _identity_failed(self) -> None:
        visit = self.visit
        if visit is None:
            return
        try:
            self.backend.report_identity_mismatch(visit.visit_id, self.handover_staff)
        except Exception:  # noqa: BLE001 (the notice below still tells staff)
            log.error("could not record the identity mismatch")
        self.notices.append(self.tr("Hand-over stopped: the person at the kiosk said they are "
                                    "not {subject}. Check the patient before starting again.")
                            .format(subject=visit.subject_id))
        self.show_locked()

    # -- idle and shutdown -----------------------------------------------------------------
    def _on_idle(self) -> None:
        if self.phase in ("staff", "identity_help"):
            return self.show_locked()
        if self.phase in ("locked", "stopped") or self._idle_overlay is not None:
            return
        self._remaining_ms = self.countdown_ms
        ov: Any = None

        def here() -> None:
            self._tick.stop()
            self._idle_overlay = None
            self.win.close_overlay(ov)
            self.idle.start()
        ov = self.win.overlay(self.tr("Are you still there?"), self._countdown_text(),
                              [(self.tr("Yes, I am still here"), "IdleContinue", here, True)],
                              "IdleOverlay")
        self._idle_overlay = ov
        self._tick.start(min(1000, max(self.countdown_ms, 1)))

    def _countdown_text(self) -> str:
        secs = max(0, (self._remaining_ms + 999) // 1000)
        if self.run is None:      # identity check, welcome: no questionnaire open, no answers
            return self.tr("If you do not tap the button, this screen will close in "
                           "{n} seconds.").format(n=secs)
        return self.tr("If you do not tap the button, the questionnaire will close in "
                       "{n} seconds. Your answers so far are saved.").format(n=secs)

    def _countdown_step(self) -> None:
        self._remaining_ms -= self._tick.interval()
        if self._remaining_ms > 0 and self._idle_overlay is not None:
            self._idle_overlay.message.setText(self._countdown_text())
            return
        self._tick.stop()
        self._idle_overlay = None
        self.abandon(self.tr("Questionnaire for {subject} was interrupted (no activity). "
                             "Staff can resume it."))

    def abandon(self, notice: str) -> None:
        """Mark the open administration interrupted, destroy its screens, lock the kiosk."""
        run, visit = self.run, self.visit
        if run is not None:
            try:
                self.backend.mark_interrupted(run.administration_id)
            except Exception as exc:  # noqa: BLE001 (answers are already saved one by one)
                log.error("could not mark the administration interrupted: %r", exc)
        if visit is not None and run is not None:
            self.notices.append(notice.format(subject=visit.subject_id))
        self.win.clear_input_state()
        self.show_locked()

    def shutdown(self) -> None:
        if self.run is not None:
            try:
                self.backend.mark_interrupted(self.run.administration_id)
            except Exception as exc:  # noqa: BLE001
                log.error("could not mark the administration interrupted at shutdown: %r", exc)
        self._end_hand_over("shutdown")
        self.idle.stop()
        self.idle.uninstall()
