"""After submit: the warning-sign screen (tell the nurse now) and the thank-you screen; and the
stop screen when the station can no longer save (its database vanished or cannot be written)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.kiosk.widgets import Screen, label


class WarningScreen(Screen):
    """Shown when a CSC warning-sign question was answered Yes."""

    done = Signal()

    def __init__(self, scale: float, parent: QWidget | None = None) -> None:
        super().__init__(scale, parent)
        self.setObjectName("WarningScreen")
        panel = QFrame()
        panel.setObjectName("WarningPanel")
        pl = QVBoxLayout(panel)
        m = int(24 * scale)
        pl.setContentsMargins(m, m, m, m)
        head = label(self.tr("Please tell the nurse now"), "headline", name="WarningHeadline")
        head.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pl.addWidget(head)
        pl.addWidget(label(self.tr("You answered Yes to a question about warning signs. "
                                   "Please tell the nurse now, before you leave."),
                           name="WarningText"))
        self.add(panel)
        self.body_layout.addStretch(1)
        self.button(self.tr("I will tell the nurse — continue"), self.done.emit,
                    name="WarningDone", nav=True, primary=True)

    def on_key(self, key: int) -> bool:
        return key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace)


class ThankYouScreen(Screen):
    """The end: it closes by itself after ``close_ms`` (or on Finish), asking nothing."""

    done = Signal()

    def __init__(self, scale: float, close_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(scale, parent)
        self.setObjectName("ThankYouScreen")
        self.close_timer = QTimer(self)
        self.close_timer.setSingleShot(True)
        self.close_timer.timeout.connect(self.done.emit)
        self.close_timer.start(close_ms)
        self.body_layout.addStretch(1)
        t = self.add_label(self.tr("Thank you"), "headline", name="ThanksHeadline")
        t.setAlignment(Qt.AlignmentFlag.AlignCenter)
        m = self.add_label(self.tr("You have finished. Your answers are saved. "
                                   "Please give the screen back to the nurse."), name="ThanksText")
        m.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body_layout.addStretch(1)
        self.button(self.tr("Finish"), self.done.emit, name="FinishButton", nav=True, primary=True)

    def on_key(self, key: int) -> bool:
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.done.emit()
            return True
        return False


class StationStoppedScreen(Screen):
    """The station cannot save answers any more (its database file was deleted, moved or
    became unwritable, or the server is gone): large calm text, nothing to tap, no internal
    code. Nothing is acknowledged after it; the answers saved before it stay saved."""

    def __init__(self, scale: float, parent: QWidget | None = None) -> None:
        super().__init__(scale, parent)
        self.setObjectName("StationStoppedScreen")
        self.title_text = self.tr("Please call the nurse")
        panel = QFrame()
        panel.setObjectName("StationStoppedPanel")
        pl = QVBoxLayout(panel)
        m = int(40 * scale)
        pl.setContentsMargins(m, m, m, m)
        pl.setSpacing(m)
        head = label(self.tr("Please call the nurse"), "headline", name="StationStoppedHeadline")
        text = label(self.tr("This station cannot save answers (database unavailable). "
                             "Please stop here and call the nurse. The answers you "
                             "finished before this message are kept."), name="StationStoppedText")
        for lab in (head, text):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            pl.addWidget(lab)
        self.body_layout.addStretch(1)
        self.add(panel)
        self.body_layout.addStretch(1)

    def on_key(self, key: int) -> bool:
        return True                    # every key is swallowed: nothing continues from here
