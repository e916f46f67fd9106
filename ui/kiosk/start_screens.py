"""Before the questionnaire: the locked start screen, the staff visit picker, the identity check."""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLineEdit, QSizePolicy, QVBoxLayout,
                               QWidget)

from forms.registry import instrument_name
from reports.alert_text import alert_level, alert_words
from ui import i18n
from ui.kiosk import theme
from ui.kiosk.backend import RecallWait, ResumeOffer, VisitChoice
from ui.kiosk.widgets import Screen, WrapButton, label

PAD_MAX_WIDTH_PX = 720        # at 100 %; a full-width pad at 1280 px wastes room
#: after a patient screen, staff controls stay disabled this long: a patient's next tap where
#: "Yes, this is me" was never lands on a staff control
STAFF_GUARD_MS = 1500
MAX_ALERTS_SHOWN = 5          # more are summarised; the workstation lists them all
_DIGIT_KEYS = {int(Qt.Key.Key_0) + d: str(d) for d in range(10)}


def _guard(button: QWidget, guard_ms: int) -> None:
    if guard_ms > 0:
        button.setEnabled(False)
        QTimer.singleShot(guard_ms, button, lambda: button.setEnabled(True))


def wait_reason(w: RecallWait) -> str:
    """Why a visit waits, for staff: "SF-36 opens on 12 Jan 09:30: 4-week recall period" (local
    time, GUI language; also the workstation's hand-over message)."""
    lang = i18n.current_language()
    name = instrument_name(w.instrument_id, lang)
    when = QLocale(lang).toString(QDateTime.fromSecsSinceEpoch(int(w.opens_at.timestamp())),
                                  QCoreApplication.translate("StaffScreen", "d MMM HH:mm"))
    if w.min_days % 7 == 0:
        period = QCoreApplication.translate("StaffScreen", "{n}-week recall period").format(
            n=w.min_days // 7)
    else:
        period = QCoreApplication.translate("StaffScreen", "{n}-day recall period").format(
            n=w.min_days)
    return QCoreApplication.translate("StaffScreen", "{instrument} opens on {when}: {period}") \
        .format(instrument=name, when=when, period=period)


class LockedScreen(Screen):
    """What a patient sees when nobody has started a questionnaire (always the first screen)."""

    unlock = Signal()

    def __init__(self, scale: float, parent: QWidget | None = None, guard_ms: int = 0) -> None:
        super().__init__(scale, parent)
        self.setObjectName("LockedScreen")
        self.body_layout.addStretch(1)
        self.message = self.add_label(
            self.tr("Please ask the nurse to start your questionnaire"), "headline",
            name="LockedMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body_layout.addStretch(1)
        self.unlock_button = self.button(self.tr("Staff: unlock"), self.unlock.emit,
                                         name="UnlockButton", nav=True)
        _guard(self.unlock_button, guard_ms)


class StaffScreen(Screen):
    """Staff only: resume an interrupted questionnaire or hand a visit to a patient."""

    resume = Signal(object)
    start = Signal(object)
    lock = Signal()
    quit_app = Signal()

    def __init__(self, scale: float, offers: list[ResumeOffer], visits: list[VisitChoice],
                 notices: list[str], allow_quit: bool, parent: QWidget | None = None, *,
                 alerts: Sequence[Any] = ()) -> None:
        super().__init__(scale, parent)
        self.setObjectName("StaffScreen")
        self.add_label(self.tr("Staff: choose what to start"), "title")
        for n in notices:
            self.add_label(n, "notice", name="StaffNotice")
        if offers:
            self.add_label(self.tr("Interrupted questionnaires"), "question")
        for o in offers:
            text = self.tr("Interrupted questionnaire for {subject}, {done} of {total} answered "
                           "— resume?").format(subject=o.subject_id, done=o.answered_count,
                                                total=o.total_items)
            b = self.button(text, lambda _c=False, o=o: self.resume.emit(o),
                            name=f"Resume_{o.administration_id}", role="option")
            b.setProperty("offer", o.administration_id)
        self.add_label(self.tr("Visits to hand to a patient"), "question")
        ready = [v for v in visits if v.startable]
        waiting = [v for v in visits if not v.startable]
        if not ready:
            self.add_label(self.tr("No visit can start now."), name="NoVisits")
        for v in ready:
            self.button(self.visit_text(v), lambda _c=False, v=v: self.start.emit(v),
                        name=f"Visit_{v.visit_id}", role="option")
        # the alerts after the visits: what staff came to do (hand a visit over) is never
        # pushed below the fold by a long alert list (a demo site has dozens open)
        lang = i18n.current_language()
        for a in alerts[:MAX_ALERTS_SHOWN]:
            self.add_label(self.tr("{level} alert — {subject}: {reason}").format(
                level=alert_level(a.severity, lang), subject=a.subject_id,
                reason=alert_words(a, lang)),
                "notice", name="StaffAlert")
        if alerts:
            more = len(alerts) - MAX_ALERTS_SHOWN
            self.add_label((self.tr("…and {n} more. ").format(n=more) if more > 0 else "")
                           + self.tr("Acknowledge alerts at the staff workstation."),
                           name="StaffAlertHint")
        if waiting:
            self.add_label(self.tr("Not yet (staff only)"), "question")
        for v in waiting:
            self.add_label(self.waiting_text(v), name=f"Waiting_{v.visit_id}")
        self.body_layout.addStretch(1)
        self.button(self.tr("Lock the kiosk"), self.lock.emit, name="LockButton", nav=True)
        if allow_quit:
            self.button(self.tr("Close the kiosk app"), self.quit_app.emit, name="QuitButton",
                        nav=True)


    def visit_label(self, v: VisitChoice) -> str:
        lang = i18n.current_language()
        return v.label.get(lang) or v.label.get("en") or v.visit_code

    def visit_text(self, v: VisitChoice) -> str:
        text = self.tr("{subject} ({initials}) — {visit}, {date}").format(
            subject=v.subject_id, initials=v.initials, visit=self.visit_label(v),
            date=v.planned_date)
        if v.window == "early":
            text += " — " + self.tr("early (out of window)")
        elif v.window == "late":
            text += " — " + self.tr("late (out of window)")
        return text

    def waiting_text(self, v: VisitChoice) -> str:
        # the list separator is the language's own (zh_CN "；", not an English "; ")
        why = self.tr("; ", "between the reasons a visit waits").join(
            self.wait_reason(w) for w in v.waits)
        return self.tr("{subject} ({initials}) — {visit}: {why}").format(
            subject=v.subject_id, initials=v.initials, visit=self.visit_label(v), why=why)

    def wait_reason(self, w: RecallWait) -> str:
        return wait_reason(w)


class IdentityHelpScreen(Screen):
    """After the last wrong birth year: a calm message, nothing to tap where the patient just
    tapped (staff use the top bar's Staff button)."""

    def __init__(self, scale: float, parent: QWidget | None = None) -> None:
        super().__init__(scale, parent)
        self.setObjectName("IdentityHelpScreen")
        self.title_text = self.tr("Thank you")
        self.body_layout.addStretch(1)
        msg = self.add_label(self.tr("Please ask the nurse to help you continue."), "headline",
                             name="IdentityHelpMessage")
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sub = self.add_label(self.tr("Nothing is wrong. The nurse will check your details with "
                                     "you."), name="IdentityHelpDetail")
        sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body_layout.addStretch(1)


class IdentityScreen(Screen):
    """The patient confirms who they are before item 1 (birth year is typed, not shown)."""

    confirmed = Signal(int)
    not_me = Signal()

    def __init__(self, scale: float, visit: VisitChoice, error: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(scale, parent)
        self.setObjectName("IdentityScreen")
        self.title_text = self.tr("Is this you?")
        intro = [label(self.tr("Is this you?"), "title"),
                 label(self.tr("Study number: {subject}").format(subject=visit.subject_id),
                       "question", name="IdentitySubject"),
                 label(self.tr("Initials: {initials}").format(initials=visit.initials),
                       "question", name="IdentityInitials"),
                 label(self.tr("Please enter the year you were born, for example 1956."))]
        self.year = QLineEdit()
        self.year.setObjectName("BirthYear")
        self.year.setAccessibleName(self.tr("Year of birth"))
        self.year.setValidator(QIntValidator(1900, 2100, self.year))
        self.year.setMaxLength(4)
        self.year.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.year.textChanged.connect(self._changed)
        # the year field and a compact pad (52 px keys) share one centred column, so the whole
        # screen fits at 100 % on 1280x800
        pad = QWidget()
        pad.setObjectName("IdentityPad")
        pad.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        pad.setMaximumWidth(int(PAD_MAX_WIDTH_PX * scale))
        grid = QGridLayout(pad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(int(8 * scale))
        compact = theme.compact(scale)
        if not compact:
            grid.addWidget(self.year, 0, 0, 1, 3)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", ""]
        self.pad_buttons: dict[str, WrapButton] = {}
        for k, key in enumerate(keys):
            if not key:
                continue
            b = WrapButton(key, scale, role="navbutton", target_px=theme.PAD_KEY_PX)
            b.setProperty("padkey", True)
            b.setObjectName(f"Pad_{'del' if key == '⌫' else key}")
            if key == "⌫":
                b.setAccessibleName(self.tr("Delete"))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _c=False, key=key: self._pad(key))
            grid.addWidget(b, (0 if compact else 1) + k // 3, k % 3)
            self.pad_buttons[key] = b
        row = QHBoxLayout()
        # at large sizes the notice is set like the "more below" hint (125 %), beside the pad
        self.error = label(error, "hint" if compact else "notice", name="IdentityError")
        if compact:
            # large text (150 %, 200 %): who, what and the year field on the left, the pad and
            # a "does not match" notice on the right, so the whole screen fits 1280x800 without
            # scrolling (keys keep their large size)
            left = QVBoxLayout()
            for w in (*intro, self.year):
                left.addWidget(w)
            left.addStretch(1)
            right = QVBoxLayout()
            right.addWidget(pad)
            right.addWidget(self.error)
            right.addStretch(1)
            row.addLayout(left, 5)
            row.addSpacing(theme.spacing(24, scale))
            row.addLayout(right, 6)
        else:
            for w in intro:
                self.add(w)
            row.addStretch(1)
            row.addWidget(pad, 6)
            row.addStretch(1)
        self.body_layout.addLayout(row)
        if not compact:
            self.add(self.error)
        self.error.setVisible(bool(error))
        self.body_layout.addStretch(1)
        self.not_me_button = self.button(self.tr("This is not me"), self.not_me.emit,
                                         name="NotMeButton", nav=True)
        self.ok_button = self.button(self.tr("Yes, this is me — continue"), self._confirm,
                                     name="ConfirmIdentity", nav=True, primary=True)
        self.ok_button.setEnabled(False)

    def _pad(self, key: str) -> None:
        t = self.year.text()
        self.year.setText(t[:-1] if key == "⌫" else (t + key)[:4])

    def _changed(self, text: str) -> None:
        self.ok_button.setEnabled(len(text) == 4 and text.isdigit())

    def _confirm(self) -> None:
        if self.ok_button.isEnabled():
            self.ok_button.setEnabled(False)
            self.confirmed.emit(int(self.year.text()))

    def on_key(self, key: int) -> bool:
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._confirm()
            return True
        digit = _DIGIT_KEYS.get(int(key))
        if digit is not None:                       # a physical keyboard types like the pad
            self._pad(digit)
            return True
        if key == Qt.Key.Key_Backspace:
            self._pad("⌫")
            return True
        return False
