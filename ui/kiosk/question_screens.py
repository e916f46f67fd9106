"""The questionnaire itself: welcome/instructions, one item per screen, review before submit."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QProgressBar, QWidget

from forms.instrument import Item, Localized
from ui.i18n import LANGUAGE_NAMES, LANGUAGES
from ui.kiosk import theme
from ui.kiosk.options import OptionPanel
from ui.kiosk.widgets import Screen, WrapButton, label


class WelcomeScreen(Screen):
    """Instrument intro, recall period, language switch, then Start."""

    language_chosen = Signal(str)
    start = Signal()

    def __init__(self, scale: float, loc: Localized, lang: str, parent: QWidget | None = None,
                 *, part: tuple[int, int] = (1, 1), auto_advance: bool = True):
        super().__init__(scale, parent)
        self.setObjectName("WelcomeScreen")
        self.title_text = loc.title()
        if part[1] > 1:
            self.add_label(self.tr("Part {part} of {parts}").format(part=part[0], parts=part[1]),
                           "progress", name="PartLabel")
        self.add_label(loc.title(), "title", name="InstrumentTitle")
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(label(self.tr("Language:"), "body"))
        self.lang_group = QButtonGroup(self)
        for code in LANGUAGES:
            b = WrapButton(LANGUAGE_NAMES[code], scale, role="navbutton", checkable=True)
            b.setObjectName(f"Lang_{code}")
            b.setChecked(code == lang)
            self.lang_group.addButton(b)
            b.clicked.connect(lambda _c=False, code=code: self.language_chosen.emit(code))
            rl.addWidget(b, 1)
        self.add(row)
        if loc.fallback:
            self.add_label(self.tr("This questionnaire is not available in your language yet. "
                                   "It is shown in English."), "notice", name="FallbackNotice")
        if loc.intro():
            self.add_label(loc.intro(), name="InstrumentIntro")
        period = loc.recall_period()
        if period.rstrip().endswith((".", "。")):   # already a sentence (RAND-36)
            self.add_label(period, "question", name="RecallPeriod")
        elif period:                                # a short phrase ("past 7 days")
            self.add_label(self.tr("Time period to think about: {period}").format(
                period=period), "question", name="RecallPeriod")
        self.add_label(self.tr("Tap the answer that fits you best. The next question then "
                               "follows by itself. You can go back and change an answer.")
                       if auto_advance else
                       self.tr("Tap the answer that fits you best, then tap Next. "
                               "You can go back and change an answer."), name="HowTo")
        self.body_layout.addStretch(1)
        self.start_button = self.button(self.tr("Start"), self.start.emit, name="StartButton",
                                        nav=True, primary=True)

    def on_key(self, key: int) -> bool:
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start_button.click()
            return True
        return False


class ItemScreen(Screen):
    """One question: stem (grid items), text, large answer buttons, Back / Skip / Next.

    The next item of the same questionnaire is shown by :meth:`set_item` on the same widgets
    (texts, answer buttons and optional notices updated in place): building and style-polishing
    a new screen took about half of the kiosk's next-item time. Optional labels (block intro,
    stem, skipped notice) are hidden when empty; answer buttons are added or removed to match.
    """

    answered = Signal(int)
    back = Signal()
    skip = Signal()
    next = Signal()
    built_for: tuple[str, str] | None = None    # (instrument id, language): who may reuse it

    def __init__(self, scale: float, loc: Localized, item: Item, number: int, total: int,
                 chosen: int | None, skipped: bool, block_intro: str = "",
                 parent: QWidget | None = None, *, part: tuple[int, int] = (1, 1),
                 answered: int = 0) -> None:
        super().__init__(scale, parent)
        self.setObjectName("ItemScreen")
        self.body_layout.setSpacing(theme.spacing(8, scale))  # every answer visible together
        top = QWidget()
        tl = QHBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(int(16 * scale))
        self.progress_label = label("", "progress", name="ProgressLabel")
        tl.addWidget(self.progress_label, 2)
        self.progress_bar = bar = QProgressBar()
        bar.setObjectName("ProgressBar")
        bar.setTextVisible(False)
        tl.addWidget(bar, 3)
        compact = theme.compact(scale)
        self.skipped_notice = label(               # "hint": stays at 125 % in the compact layout
            self.tr("Skipped — you can still answer it.") if compact else
            self.tr("You skipped this question. You can still answer it."), "hint",
            name="SkippedNotice")
        if compact:                                # large sizes: the bar (a decoration) goes,
            bar.hide()                             # the notice takes its place beside progress
            self.progress_label.setWordWrap(False)  # one line, its own width; notice the rest
            tl.setStretch(0, 0)
            tl.addWidget(self.skipped_notice, 1)
        self.add(top)
        self.block_intro_label = self.add_label("", "notice", name="BlockIntro")
        self.stem_label = self.add_label("", "stem", name="ItemStem")
        self.question = self.add_label("", "question", name="ItemText")
        self.panel = OptionPanel(scale, self._chosen)
        self.group = self.panel.group
        self.options = self.panel.buttons
        self.add(self.panel)
        if not compact:
            self.add(self.skipped_notice)
        self.body_layout.addStretch(1)
        self.back_button = self.button(self.tr("Back"), self.back.emit, name="BackButton", nav=True)
        self.skip_button = self.button(self.tr("Skip this question"), self.skip.emit,
                                       name="SkipButton", nav=True)
        self.next_button = self.button(self.tr("Next"), self.next.emit, name="NextButton",
                                       nav=True, primary=True)
        self.set_item(loc, item, number, total, chosen, skipped, block_intro, part=part,
                      answered=answered)

    def set_answered(self, answered: int, total: int) -> None:
        """The bar shows what is answered, never the question on screen: full only when every
        question has an answer."""
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(answered, total))

    def _chosen(self, b: WrapButton) -> None:
        self.answered.emit(int(b.property("code")))

    def set_item(self, loc: Localized, item: Item, number: int, total: int,
                 chosen: int | None, skipped: bool, block_intro: str = "", *,
                 part: tuple[int, int] = (1, 1), answered: int = 0) -> None:
        """Show ``item`` on this screen (same scale and language as it was built with);
        ``answered``: how many of the ``total`` questions have an answer (the bar)."""
        self.item_id = item.id
        self.title_text = loc.title()
        question = self.tr("Question {n} of {total}").format(n=number, total=total)
        self.progress_label.setText(question if part[1] <= 1 else self.tr(
            "Part {part} of {parts} · {question}").format(part=part[0], parts=part[1],
                                                          question=question))
        self.progress_bar.setAccessibleName(self.progress_label.text())
        self.set_answered(answered, total)
        for lab, text in ((self.block_intro_label, block_intro),
                          (self.stem_label, loc.stem(item))):
            lab.setText(text or "")
            lab.setVisible(bool(text))
        self.question.setText(loc.text(item))
        options = loc.options(item)
        self.panel.set_count(len(options))
        self.clear_choice()
        for b, (code, text) in zip(self.options, options):
            b.setText(text)
            b.setObjectName(f"Option_{code}")
            b.setProperty("code", code)
            b.setChecked(chosen == code)
        self.skipped_notice.setVisible(skipped)
        for b in (*self.options, self.back_button, self.skip_button):
            b.setEnabled(True)
        self.next_button.setEnabled(chosen is not None or skipped)
        if self.isVisible():
            self.fit()
        self.scroll.verticalScrollBar().setValue(0)

    def fit(self) -> None:
        """As few answer columns as let the whole item fit above the button bar (1, 2, 3);
        if none does, the arrangement needing the least height (the screen then scrolls).

        Measured as if the scroll bar were shown (a narrower text wraps sooner), so that what
        fits here also fits in whichever state the scroll area is in."""
        w, h = self.width(), self.height()
        nav = self.nav.layout()
        avail = h - (nav.totalHeightForWidth(w) if nav.hasHeightForWidth()
                     else self.nav.sizeHint().height())
        inner = w - self.scroll.verticalScrollBar().sizeHint().width()
        need = {}
        for cols in self.panel.column_choices():
            self.panel.set_columns(cols)
            self.panel.updateGeometry()     # layouts cache heights per width: measure anew
            need[cols] = self.body_layout.totalHeightForWidth(inner)
            if need[cols] <= avail:
                return
        best = min(need, key=lambda c: (need[c], c))    # none fits: the shortest (scrolls)
        self.panel.set_columns(best)
        self.panel.updateGeometry()

    def resizeEvent(self, ev) -> None:  # noqa: N802
        super().resizeEvent(ev)
        self.fit()

    def showEvent(self, ev) -> None:  # noqa: N802
        super().showEvent(ev)
        self.fit()                      # styled (fonts known) only once shown

    def checked_code(self) -> int | None:
        b = self.group.checkedButton()
        return None if b is None else int(b.property("code"))

    def clear_choice(self) -> None:
        """Un-check after a failed save: the screen shows only what is stored."""
        self.group.setExclusive(False)
        for b in self.options:
            b.setChecked(False)
        self.group.setExclusive(True)

    def set_enabled_all(self, enabled: bool) -> None:
        for b in (*self.options, self.back_button, self.skip_button):
            b.setEnabled(enabled)
        self.next_button.setEnabled(enabled and self.checked_code() is not None)

    def on_key(self, key: int) -> bool:
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            k = key - Qt.Key.Key_1
            if k < len(self.options) and self.options[k].isEnabled():
                self.options[k].click()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.next_button.isEnabled():
                self.next_button.click()
            return True
        if key == Qt.Key.Key_Backspace:
            if self.back_button.isEnabled():
                self.back_button.click()
            return True
        return False


@dataclass(frozen=True)
class ReviewEntry:
    """One question on the review screen, in the patient's words (never a code or a number)."""
    item_id: str
    question: str
    answer: str                 # the chosen answer's label, "" if none
    skipped: bool = False


class ReviewScreen(Screen):
    """Every question of the questionnaire with its answer (tap one to change it), then Submit."""

    jump = Signal(str)
    back = Signal()
    submit = Signal()

    def __init__(self, scale: float, loc: Localized, entries: list[ReviewEntry],
                 parent: QWidget | None = None, *, part: tuple[int, int] = (1, 1)):
        super().__init__(scale, parent)
        self.setObjectName("ReviewScreen")
        self.title_text = loc.title()
        if part[1] > 1:
            self.add_label(self.tr("Part {part} of {parts}").format(part=part[0], parts=part[1]),
                           "progress", name="PartLabel")
        self.add_label(self.tr("Check your answers"), "title")
        if any(not e.answer for e in entries):
            self.add_label(self.tr("Some questions have no answer yet. Tap a question to answer "
                                   "it or to change your answer. Tap Submit when you are ready."),
                           name="ReviewIntro")
        else:
            self.add_label(self.tr("You have answered every question. Tap a question to change "
                                   "your answer, or tap Submit."), name="ReviewAllDone")
        for e in entries:
            if e.answer:
                status = self.tr("Your answer: {answer}").format(answer=e.answer)
            elif e.skipped:
                status = self.tr("Skipped — tap here to answer")
            else:
                status = self.tr("Not answered — tap here to answer")
            b = self.button(f"{e.question}\n{status}",
                            lambda _c=False, i=e.item_id: self.jump.emit(i),
                            name=f"Review_{e.item_id}", role="option")
            b.setProperty("open", not e.answer)      # unanswered rows stand out
        # no instrument credit here: it is staff-facing (PDF summary, exports, README), never a
        # technical line for the patient (issue 12 item 8)
        self.body_layout.addStretch(1)
        self.back_button = self.button(self.tr("Back"), self.back.emit, name="BackButton", nav=True)
        self.submit_button = self.button(self.tr("Submit my answers"), self.submit.emit,
                                         name="SubmitButton", nav=True, primary=True)

    def on_key(self, key: int) -> bool:
        if key == Qt.Key.Key_Backspace:
            self.back_button.click()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit_button.click()
            return True
        return False
