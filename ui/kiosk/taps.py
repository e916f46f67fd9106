"""The kiosk window's double-tap guard: an application event filter feeding ``TapGuard``.

A press the guard drops never reaches a widget (nor does its release), so the second tap of a
double tap can neither answer the next item nor press the button that replaced the one tapped.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from ui.kiosk.flow import TapGuard

PRESSES = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick}


class TapFilter(QObject):
    def __init__(self, window: QWidget, guard: TapGuard) -> None:
        super().__init__(window)
        self.guard = guard
        self._window = window
        self._dropping = False        # the release of a dropped press is dropped too
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802
        t = ev.type()
        if t not in PRESSES and t != QEvent.Type.MouseButtonRelease:
            return False
        if not isinstance(obj, QWidget) or obj.window() is not self._window:
            return False
        if t in PRESSES:
            self._dropping = not self.guard.press(ev.timestamp())
            return self._dropping
        if self._dropping:
            self._dropping = False
            return True
        self.guard.release(ev.timestamp())
        return False

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
