"""The kiosk flow: locked → staff → identity → (welcome → items → review → submit)* → end → locked.

Every answer goes to the backend when it is chosen and the backend returns only after the save
is durable; a screen changes only after that. Transitions are guarded so a double tap can neither
save twice nor skip a screen.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLineEdit

from forms.instrument import Instrument, load_instrument, localize
from ui import i18n
from ui.kiosk.backend import ResumeOffer, StaffAuthFailed, StaffSession, VisitChoice
from ui.kiosk.end_screens import ThankYouScreen, WarningScreen
from ui.kiosk.flow import InstrumentRun
from ui.kiosk.idle import IdleWatcher
from ui.kiosk.question_screens import ItemScreen, ReviewScreen, WelcomeScreen
from ui.kiosk.start_screens import IdentityScreen, LockedScreen, StaffScreen

log = logging.getLogger(__name__)
MAX_IDENTITY_TRIES = 3


class KioskController(QObject):
    #: workstation hand-over only: the patient part is over (finished, "not me", idle, staff
    #: stopped it); carries the staff notices. The app then closes the kiosk window.
    handover_ended = Signal(list)

    def __init__(self, win: Any, backend: Any, *, lang: str, idle_ms: int,
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

    # -- helpers ---------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        return self.win.scale

    def _instrument(self, iid: str) -> Instrument:
        return load_instrument(iid)

    def _show(self, phase: str, factory: Callable[[], Any]) -> Any:
        self.phase = phase
        self._busy = False
        return self.win.show_screen(factory)

    def _storage_error(self, exc: Exception) -> None:
        log.error("kiosk save failed: %s", type(exc).__name__)  # no patient data in the log
        ov: Any = None
        ov = self.win.overlay(
            self.tr("Please call the nurse"),
            self.tr("This answer could not be saved. Your earlier answers are safe. "
                    "Please ask the nurse for help."),
            [(self.tr("OK"), "ErrorOk", lambda: self.win.close_overlay(ov), True)], "ErrorOverlay")

    # -- locked and staff ------------------------------------------------------------------
    def show_locked(self) -> None:
        self.idle.stop()
        self._tick.stop()
        self.win.close_all_overlays()
        self.staff = self.handover_staff = self.visit = self.resume_offer = self.run = None
        self.battery, self.warnings, self.item_id = [], [], None
        self._review_return = False
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

        def make() -> LockedScreen:
            s = LockedScreen(self.scale)
            s.unlock.connect(lambda: self.ask_staff_password(self.show_staff))
            return s
        self._show("locked", make)

    def staff_button(self) -> None:
        if self.phase == "locked":
            self.ask_staff_password(self.show_staff)
        elif self.phase == "staff":
            self.show_locked()
        else:
            self.ask_staff_password(self._staff_menu)

    def ask_staff_password(self, on_ok: Callable[[], None]) -> None:
        ov: Any = None
        user, pw = QLineEdit(), QLineEdit()
        user.setObjectName("StaffUser")
        user.setPlaceholderText(self.tr("User name"))
        user.setAccessibleName(self.tr("User name"))
        pw.setObjectName("StaffPassword")
        pw.setEchoMode(QLineEdit.EchoMode.Password)
        pw.setPlaceholderText(self.tr("Password"))
        pw.setAccessibleName(self.tr("Password"))

        def unlock() -> None:
            try:
                self.staff = self.backend.verify_staff(user.text(), pw.text())
            except StaffAuthFailed:
                pw.clear()
                ov.message.setText(self.tr("The user name or password is not correct."))
                return
            self.win.close_overlay(ov)
            on_ok()

        ov = self.win.overlay(self.tr("Staff only"), self.tr("Enter your user name and password."),
                              [(self.tr("Unlock"), "StaffUnlock", unlock, True),
                               (self.tr("Cancel"), "StaffCancel",
                                lambda: self.win.close_overlay(ov), False)], "StaffLogin")
        ov.extra.addWidget(user)
        ov.extra.addWidget(pw)
        pw.returnPressed.connect(unlock)
        user.setFocus()

    def show_staff(self) -> None:
        staff = self.staff
        if staff is None:
            return self.show_locked()
        offers = self.backend.interrupted(staff)
        visits = self.backend.open_visits(staff)

        def make() -> StaffScreen:
            s = StaffScreen(self.scale, offers, visits, list(self.notices), self.win.station)
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
        battery = list(self.backend.battery(visit.visit_id))
        if offer is not None:
            battery = [offer.instrument_id] + [i for i in battery if i != offer.instrument_id]
        self.battery, self.warnings, self.identity_tries = battery, [], 0
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
        if self.identity_tries >= MAX_IDENTITY_TRIES:
            self._identity_failed()
        else:
            self._show_identity(self.tr("This does not match our records. Please try again, "
                                        "or ask the nurse."))

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

    # -- instruments -----------------------------------------------------------------------
    def start_next_instrument(self) -> None:
        if not self.battery:
            return self.finish()
        inst = self._instrument(self.battery[0])
        offer = self.resume_offer
        if offer is not None and offer.instrument_id == inst.id:
            st = self.backend.state(offer.administration_id)
            self.resume_offer = None
            self.run = InstrumentRun(inst, st.administration_id, st.visit_code or
                                     self.visit.visit_code, dict(st.answers), dict(st.skipped))
            return self._continue_run()
        self.run = None
        self._show_welcome(inst)

    def _show_welcome(self, inst: Instrument) -> None:
        def make() -> WelcomeScreen:
            s = WelcomeScreen(self.scale, localize(inst, self.lang), self.lang)
            s.language_chosen.connect(self.set_language)
            s.start.connect(lambda: self._start_instrument(inst))
            return s
        self._show("welcome", make)

    def set_language(self, lang: str) -> None:
        if lang == self.lang:
            return
        self.lang = lang
        i18n.set_language(lang)
        self.win.topbar.retranslate()
        self.win.rebuild()

    def _start_instrument(self, inst: Instrument) -> None:
        if self._busy or self.phase != "welcome":
            return
        self._busy = True
        if self.run is None or self.run.instrument.id != inst.id:
            loc = localize(inst, self.lang)
            try:
                aid = self.backend.start_administration(self.visit.visit_id, inst.id,
                                                        loc.shown_language,
                                                        self.handover_staff)
                st = self.backend.state(aid)
            except Exception as exc:  # noqa: BLE001 (shown to the patient as "call the nurse")
                self._busy = False
                return self._storage_error(exc)
            self.run = InstrumentRun(inst, aid, self.visit.visit_code, dict(st.answers),
                                     dict(st.skipped))
        self._continue_run()

    def _continue_run(self) -> None:
        nxt = self.run.first_unanswered()
        if nxt is None:
            self.show_review()
        else:
            self.show_item(nxt)

    def _loc(self) -> Any:
        return localize(self.run.instrument, self.lang)

    def show_item(self, item_id: str) -> None:
        run = self.run
        self.item_id = item_id
        item = run.instrument.item(item_id)
        number, total = run.position(item_id)
        prev = run.prev_id(item_id)
        first_of_block = item.block and (prev is None or run.instrument.item(prev).block != item.block)

        def make() -> ItemScreen:
            loc = self._loc()
            s = ItemScreen(self.scale, loc, item, number, total, run.answers.get(item_id),
                           item_id in run.skipped,
                           loc.block_intro(item.block) if first_of_block else "")
            s.answered.connect(self.on_answer)
            s.back.connect(self.on_back)
            s.skip.connect(self.on_skip)
            s.next.connect(self.on_next)
            s.skip_button.setEnabled(item_id not in run.answers)
            s.built_for = (run.instrument.id, self.lang)
            return s

        def update(s: ItemScreen) -> None:
            loc = self._loc()
            s.set_item(loc, item, number, total, run.answers.get(item_id),
                       item_id in run.skipped,
                       loc.block_intro(item.block) if first_of_block else "")
            s.skip_button.setEnabled(item_id not in run.answers)

        current = self.win.current
        if (isinstance(current, ItemScreen) and current.scale == self.scale
                and current.built_for == (run.instrument.id, self.lang)):
            self.phase, self._busy = "item", False       # same questionnaire: reuse the widgets
            self.win.update_screen(make, update)
        else:
            self._show("item", make)
        self._shown_at = time.monotonic()

    def _item_screen(self) -> ItemScreen | None:
        s = self.win.current
        return s if isinstance(s, ItemScreen) and s.item_id == self.item_id else None

    def on_answer(self, code: int) -> None:
        screen = self._item_screen()
        run = self.run
        if self._busy or screen is None or run is None:
            return
        item_id = screen.item_id
        if run.answers.get(item_id) == code:
            screen.next_button.setEnabled(True)
            return
        ms = int((time.monotonic() - self._shown_at) * 1000)
        self._busy = True
        try:
            self.backend.record_answer(run.administration_id, item_id, code, ms)
        except Exception as exc:  # noqa: BLE001
            self._busy = False
            screen.clear_choice()
            old = run.answers.get(item_id)
            if old is not None:
                screen.options[[int(b.property("code")) for b in screen.options].index(old)] \
                    .setChecked(True)
            return self._storage_error(exc)
        self._busy = False
        run.answers[item_id] = code
        run.skipped.pop(item_id, None)
        screen.next_button.setEnabled(True)
        screen.skip_button.setEnabled(False)

    def on_next(self) -> None:
        screen = self._item_screen()
        run = self.run
        if self._busy or screen is None or run is None or not run.is_done(screen.item_id):
            return
        self._busy = True
        screen.set_enabled_all(False)
        nxt = None if self._review_return else run.next_id(screen.item_id)
        self._review_return = False
        if nxt is None:
            self.show_review()
        else:
            self.show_item(nxt)

    def on_back(self) -> None:
        screen = self._item_screen()
        if self._busy or screen is None:
            return
        self._busy = True
        screen.set_enabled_all(False)
        self._review_return = False
        prev = self.run.prev_id(screen.item_id)
        if prev is None:
            self._show_welcome(self.run.instrument)
        else:
            self.show_item(prev)

    def on_skip(self) -> None:
        screen = self._item_screen()
        if self._busy or screen is None or self.win.overlays:
            return
        item_id = screen.item_id
        ov: Any = None

        def no() -> None:
            self.win.close_overlay(ov)

        def yes() -> None:
            self.win.close_overlay(ov)
            self._ask_skip_reason(item_id)
        ov = self.win.overlay(self.tr("Are you sure?"),
                              self.tr("You have not answered this question. "
                                      "Do you want to skip it?"),
                              [(self.tr("No, I will answer it"), "SkipNo", no, True),
                               (self.tr("Yes, skip this question"), "SkipYes", yes, False)],
                              "SkipConfirm")

    def _ask_skip_reason(self, item_id: str) -> None:
        ov: Any = None

        def chosen(reason: str) -> None:
            self.win.close_overlay(ov)
            self._skip(item_id, reason)
        reasons = [(self.tr("I prefer not to answer"), "prefer_not_to_answer"),
                   (self.tr("I do not understand the question"), "dont_understand"),
                   (self.tr("It does not apply to me"), "not_applicable")]
        buttons = [(text, f"Reason_{code}", lambda code=code: chosen(code), False)
                   for text, code in reasons]
        buttons.append((self.tr("Cancel — go back to the question"), "ReasonCancel",
                        lambda: self.win.close_overlay(ov), True))
        ov = self.win.overlay(self.tr("Why are you skipping this question?"),
                              self.tr("Choose one."), buttons, "SkipReason")

    def _skip(self, item_id: str, reason: str) -> None:
        screen = self._item_screen()
        run = self.run
        if self._busy or screen is None or screen.item_id != item_id:
            return
        try:
            self.backend.skip_item(run.administration_id, item_id, reason)
        except Exception as exc:  # noqa: BLE001
            return self._storage_error(exc)
        run.skipped[item_id] = reason
        run.answers.pop(item_id, None)
        self.on_next()

    # -- review, submit, end ---------------------------------------------------------------
    def show_review(self) -> None:
        run = self.run

        def make() -> ReviewScreen:
            loc = self._loc()
            entries = [(i, run.position(i)[0], loc.text(i), i in run.skipped)
                       for i in run.unanswered()]
            s = ReviewScreen(self.scale, loc, entries)
            s.jump.connect(self.jump_to)
            s.back.connect(self._review_back)
            s.submit.connect(self.submit)
            return s
        self._show("review", make)

    def jump_to(self, item_id: str) -> None:
        if self._busy or self.phase != "review":
            return
        self._busy = True
        self._review_return = True
        self.show_item(item_id)

    def _review_back(self) -> None:
        if self._busy or self.phase != "review":
            return
        self._busy = True
        self.show_item(self.run.ids()[-1])

    def submit(self) -> None:
        if self._busy or self.phase != "review" or self.run is None:
            return
        self._busy = True
        try:
            self.backend.submit(self.run.administration_id)
        except Exception as exc:  # noqa: BLE001
            self._busy = False
            return self._storage_error(exc)
        self.warnings.extend(self.run.warning_yes())
        self.battery.pop(0)
        self.run = None
        self.start_next_instrument()

    def finish(self) -> None:
        def thanks() -> ThankYouScreen:
            s = ThankYouScreen(self.scale)
            s.done.connect(self.show_locked)
            return s

        def warning() -> WarningScreen:
            s = WarningScreen(self.scale)
            s.done.connect(lambda: self._show("thanks", thanks))
            return s
        if self.warnings:
            self._show("warning", warning)
        else:
            self._show("thanks", thanks)

    # -- idle and shutdown -----------------------------------------------------------------
    def _on_idle(self) -> None:
        if self.phase == "staff":
            return self.show_locked()
        if self.phase == "locked" or self._idle_overlay is not None:
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
            except Exception:  # noqa: BLE001 (answers are already saved one by one)
                log.error("could not mark the administration interrupted")
        if visit is not None and run is not None:
            self.notices.append(notice.format(subject=visit.subject_id))
        self.win.clear_input_state()
        self.show_locked()

    def shutdown(self) -> None:
        if self.run is not None:
            try:
                self.backend.mark_interrupted(self.run.administration_id)
            except Exception:  # noqa: BLE001
                log.error("could not mark the administration interrupted at shutdown")
        self.idle.stop()
        self.idle.uninstall()
