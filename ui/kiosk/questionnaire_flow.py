"""The questionnaire part of the kiosk flow: (welcome → items → review → submit)* → end.

A mixin of ``KioskController`` (ui/kiosk/controller.py), which owns the state, the locked and
staff screens, the identity check and the idle timeout; this part runs one instrument after the
other. Every answer goes to the backend when it is chosen and the backend returns only after the
save is durable; a screen changes only after that. Transitions are guarded (``_busy``, ``phase``)
so a double tap can neither save twice nor skip a screen, and the window drops a tap that comes
within ``GUARD_MS`` of a screen change (``TapGuard``, ui/kiosk/flow.py). With the study setting
``kiosk_auto_advance`` a tapped answer shows selected for ``CONFIRM_MS`` and then moves on by
itself (one tap per answer); Next stays available.
"""
from __future__ import annotations

import time
from typing import Any

from forms.instrument import Instrument, localize
from ui import i18n
from ui.kiosk.backend import KioskBackend
from ui.kiosk.end_screens import ThankYouScreen, WarningScreen
from ui.kiosk.flow import InstrumentRun
from ui.kiosk.question_screens import ItemScreen, ReviewEntry, ReviewScreen, WelcomeScreen


class QuestionnaireFlow:
    """Welcome, items, skip, review, submit and the end screens (state lives on the controller;
    ``tr()`` resolves through the controller, a QObject)."""

    win: Any
    backend: KioskBackend
    run: InstrumentRun | None

    # -- instruments -----------------------------------------------------------------------
    def start_next_instrument(self) -> None:
        if not self.battery:
            return self.finish()
        inst = self._instrument(self.battery[0])
        offer = self.resume_offer
        if offer is not None and offer.instrument_id == inst.id:
            inst = self.backend.administration_instrument(offer.administration_id)  # its text
            st = self.backend.state(offer.administration_id)
            self.resume_offer = None
            self.run = InstrumentRun(inst, st.administration_id, st.visit_code or
                                     self.visit.visit_code, dict(st.answers), dict(st.skipped),
                                     visit_kind=st.visit_kind)
            return self._continue_run()
        self.run = None
        self._show_welcome(inst)

    def _part(self) -> tuple[int, int]:
        """(which questionnaire of the hand-over this is, how many there are)."""
        total = max(self.battery_total, len(self.battery), 1)
        return total - len(self.battery) + 1, total

    def _show_welcome(self, inst: Instrument, hold_start: bool = False) -> None:
        part = self._part()

        def make() -> WelcomeScreen:
            s = WelcomeScreen(self.scale, localize(inst, self.lang), self.lang, part=part,
                              auto_advance=self.auto_advance)
            s.language_chosen.connect(self.set_language)
            s.start.connect(lambda: self._start_instrument(inst))
            return s
        screen = self._show("welcome", make)
        if hold_start and self.win.tap_guard.guard_ms > 0:
            # Back on the first item lands here: Start lies where Back was, so it waits out the
            # double-tap guard, visibly (issue 12 item 3)
            screen.start_button.setEnabled(False)
            self._release.start(self.win.tap_guard.guard_ms)

    def _release_held(self) -> None:
        s = self.win.current
        if isinstance(s, WelcomeScreen):
            s.start_button.setEnabled(True)

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
                                     dict(st.skipped), visit_kind=st.visit_kind)
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

        part = self._part()

        def make() -> ItemScreen:
            loc = self._loc()
            s = ItemScreen(self.scale, loc, item, number, total, run.answers.get(item_id),
                           item_id in run.skipped,
                           loc.block_intro(item.block) if first_of_block else "", part=part,
                           answered=run.answered_count())
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
                       loc.block_intro(item.block) if first_of_block else "", part=part,
                       answered=run.answered_count())
            s.skip_button.setEnabled(item_id not in run.answers)

        self._advance.stop()
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
        screen.set_answered(run.answered_count(), run.position(item_id)[1])
        screen.next_button.setEnabled(True)
        screen.skip_button.setEnabled(False)
        if self.auto_advance:              # one tap per answer: the choice shows, then moves on
            self._advance_item = item_id
            self._advance.start(self.confirm_ms)

    def _auto_next(self) -> None:
        screen = self._item_screen()
        if (screen is None or self.phase != "item" or screen.item_id != self._advance_item
                or self.win.overlays):
            return
        guard = self.win.tap_guard
        self.on_next()
        guard.changed(after_ms=guard.since_tap_ms())   # confirmation and save time included

    def on_next(self) -> None:
        screen = self._item_screen()
        run = self.run
        if self._busy or screen is None or run is None or not run.is_done(screen.item_id):
            return
        self._advance.stop()
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
        self._advance.stop()
        self._busy = True
        screen.set_enabled_all(False)
        self._review_return = False
        prev = self.run.prev_id(screen.item_id)
        if prev is None:
            self._show_welcome(self.run.instrument, hold_start=True)
        else:
            self.show_item(prev)

    def on_skip(self) -> None:
        screen = self._item_screen()
        if self._busy or screen is None or self.win.overlays:
            return
        self._advance.stop()
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

        part = self._part()

        def make() -> ReviewScreen:
            loc = self._loc()
            entries = []
            for i in run.ids():             # every question, in the patient's language
                code = run.answers.get(i)
                answer = dict(loc.options(i)).get(code, "") if code is not None else ""
                entries.append(ReviewEntry(i, loc.text(i), answer, i in run.skipped))
            s = ReviewScreen(self.scale, loc, entries, part=part)
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
            self.idle.stop()              # it ends by itself: no "are you still there?" here
            s = ThankYouScreen(self.scale, self.thanks_ms)
            s.done.connect(self._thanks_done)
            return s

        def warning() -> WarningScreen:
            s = WarningScreen(self.scale)
            s.done.connect(lambda: self._show("thanks", thanks))
            return s
        if self.warnings:
            self._show("warning", warning)
        else:
            self._show("thanks", thanks)

    def _thanks_done(self) -> None:
        if self.phase == "thanks":        # once: the Finish tap or the timer, whichever first
            self.show_locked()
