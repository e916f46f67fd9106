"""Idle watcher: an application-wide event filter restarting single-shot timers on user input.

Staff screens log out after ``timeout_ms`` without keyboard, mouse, touch, wheel or input-method
activity (FDA Q&A Q11 "automatic logout … for idle periods"; reliability.md §3.1). ``warning``
fires ``warn_ms`` before that (issue 14 item 5: a visible countdown, ``IdleWarningDialog``);
any input afterwards restarts the wait and emits ``resumed``.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

DEFAULT_IDLE_MS = 10 * 60 * 1000
DEFAULT_WARN_MS = 30 * 1000

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin, QEvent.Type.Wheel, QEvent.Type.InputMethod,
})


class IdleWatcher(QObject):
    timed_out = Signal()
    warning = Signal()      # ``warn_ms`` before ``timed_out``
    resumed = Signal()      # input after ``warning``: the logout is off

    def __init__(self, timeout_ms: int = DEFAULT_IDLE_MS, parent: QObject | None = None, *,
                 warn_ms: int = DEFAULT_WARN_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(timeout_ms))
        self._timer.timeout.connect(self._expired)
        self._warn = QTimer(self)
        self._warn.setSingleShot(True)
        self._warn.setTimerType(Qt.TimerType.PreciseTimer)   # the countdown shows seconds
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._warn.timeout.connect(self._warned)
        self._warn_ms = int(warn_ms)
        self.warned = False
        self._installed = False

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    @property
    def warn_ms(self) -> int:
        return self._warn_ms

    def set_timeout_ms(self, ms: int) -> None:
        self._timer.setInterval(int(ms))
        if self._timer.isActive():
            self._restart()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def remaining_ms(self) -> int:
        return max(0, self._timer.remainingTime()) if self._timer.isActive() else 0

    def _restart(self) -> None:
        self._timer.start()
        self._warn.stop()
        if 0 < self._warn_ms < self._timer.interval():   # no warning when it would come first
            self._warn.start(self._timer.interval() - self._warn_ms)
        if self.warned:
            self.warned = False
            self.resumed.emit()

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._restart()

    def stop(self) -> None:
        self._timer.stop()
        self._warn.stop()
        self.warned = False
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def poke(self) -> None:
        if self._timer.isActive():
            self._restart()

    def _warned(self) -> None:
        self.warned = True
        self.warning.emit()

    def _expired(self) -> None:
        self._warn.stop()
        self.warned = False
        self.timed_out.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._restart()
        return False


class IdleWarningDialog(QDialog):
    """"You will be logged out in N s": counts down with the watcher; any input cancels it (the
    watcher emits ``resumed`` and the owner closes this dialog)."""

    def __init__(self, watcher: IdleWatcher, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idle_warning")
        self.setWindowTitle(self.tr("Still there?"))
        self.watcher = watcher
        self.countdown = QLabel()
        self.countdown.setObjectName("idle_countdown")
        f = self.countdown.font()
        f.setPointSize(f.pointSize() + 4)
        f.setBold(True)
        self.countdown.setFont(f)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(note)
        text.setWordWrap(True)
        self.stay = QPushButton(self.tr("Stay logged in"))
        self.stay.setObjectName("idle_stay")
        self.stay.clicked.connect(watcher.poke)
        lay = QVBoxLayout(self)
        lay.addWidget(self.countdown)
        lay.addWidget(text)
        lay.addWidget(self.stay, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(440)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self.update_countdown)
        self._tick.start()
        self.update_countdown()

    def seconds_left(self) -> int:
        return (self.watcher.remaining_ms() + 999) // 1000

    def update_countdown(self) -> None:
        n = self.seconds_left()
        self.countdown.setText(self.tr("Logging out in %1 s").replace("%1", str(n)))
