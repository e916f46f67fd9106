"""The kiosk window: screen switching, lock-down (close/Escape/Ctrl+Q/W ignored), keys, overlays.

The flow (which screen comes next, what is saved) lives in ``controller.py``; this file only
knows how to show a screen, draw an overlay and refuse to be closed by a patient.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from ui.fonts import apply_app_font
from ui.kiosk import theme
from ui.kiosk.backend import KioskBackend
from ui.kiosk.flow import GUARD_MS, TapGuard
from ui.kiosk.taps import TapFilter
from ui.kiosk.widgets import Overlay, Screen, TopBar
from ui.widgets.wheel_guard import install_wheel_guard

WINDOW_TITLE = "ePRO Desk — Kiosk"      # what the OS and assistive tools see (not translated)


class KioskWindow(QWidget):
    def __init__(self, backend: KioskBackend, *, station: bool = True, lang: str = "en",
                 idle_ms: int = 120_000, countdown_s: int = 30, fullscreen: bool = True,
                 scale: float = 1.0, guard_ms: int = GUARD_MS) -> None:
        super().__init__()
        install_wheel_guard()
        from ui.kiosk.controller import KioskController

        self.setObjectName("KioskRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName(WINDOW_TITLE)
        # on the application, not just this window: a screen styled before it has a parent
        # takes the application font, and must fall back to the bundled CJK face too
        self.setFont(apply_app_font())
        self.station = station
        self.fullscreen = fullscreen
        self.patient_mode = station
        self._allow_close = False
        self.scale = self.default_scale = scale     # each patient starts at this text size
        self.tap_guard = TapGuard(guard_ms)
        self.tap_filter = TapFilter(self, self.tap_guard)
        self.overlays: list[Overlay] = []
        self._factory: Callable[[], Screen] | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.topbar = TopBar(self)
        self.topbar.set_scale(scale)
        self.topbar.scale_chosen.connect(self.set_scale)
        root.addWidget(self.topbar)
        self.stack = QStackedWidget(self)
        root.addWidget(self.stack, 1)
        self.setStyleSheet(theme.stylesheet(scale))
        QApplication.instance().setQuitOnLastWindowClosed(not station)
        self.controller = KioskController(self, backend, lang=lang, idle_ms=idle_ms,
                                          countdown_s=countdown_s)
        self.topbar.retranslate()   # built before the controller installed the kiosk language
        self.topbar.staff_requested.connect(self.controller.staff_button)
        self.controller.show_locked()

    # -- screens ---------------------------------------------------------------------------
    @property
    def current(self) -> Screen | None:
        w = self.stack.currentWidget()
        return w if isinstance(w, Screen) else None

    def show_screen(self, factory: Callable[[], Screen]) -> Screen:
        """Build a screen, show it, and destroy (not hide) every previous one."""
        self._factory = factory
        new = factory()
        old = [self.stack.widget(i) for i in range(self.stack.count())]
        self.stack.addWidget(new)
        self.stack.setCurrentWidget(new)
        for w in old:
            self.stack.removeWidget(w)
            w.setEnabled(False)
            w.deleteLater()
        self.tap_guard.changed()
        self.topbar.title.setText(new.title_text or self.tr("ePRO Desk"))
        new.setFocus()
        return new

    def update_screen(self, factory: Callable[[], Screen],
                      update: Callable[[Any], None]) -> Screen:
        """Show the next screen of the same kind by updating the current one in place (its
        widgets are already built and style-polished); ``factory`` builds it afresh when the
        window rebuilds (text size change)."""
        self._factory = factory
        screen = self.stack.currentWidget()
        update(screen)
        # lay out now, as showing a new screen does (nothing is seen half-updated)
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.tap_guard.changed()
        self.topbar.title.setText(screen.title_text or self.tr("ePRO Desk"))
        screen.setFocus()
        return screen

    def rebuild(self) -> None:
        if self._factory is not None:
            self.show_screen(self._factory)

    def set_scale(self, scale: float, rebuild: bool = True) -> None:
        if scale == self.scale:
            return
        self.scale = scale
        self.topbar.set_scale(scale)
        self.setStyleSheet(theme.stylesheet(scale))
        if rebuild:
            self.rebuild()

    def reset_scale(self) -> None:
        """Back to the kiosk's text size for the next patient (the next screen shown is built
        at it; the current one is about to be replaced)."""
        self.set_scale(self.default_scale, rebuild=False)

    # -- overlays --------------------------------------------------------------------------
    def overlay(self, title: str, message: str,
                buttons: Sequence[tuple[str, str, Callable[[], None], bool]],
                name: str) -> Overlay:
        ov = Overlay(self, self.scale, title, message, buttons, name)
        self.overlays.append(ov)
        self.tap_guard.changed()
        ov.destroyed.connect(lambda *_: None)
        return ov

    def close_overlay(self, ov: Overlay | None) -> None:
        if ov is not None and ov in self.overlays:
            self.overlays.remove(ov)
            ov.close_overlay()
            self.tap_guard.changed()

    def close_all_overlays(self) -> None:
        for ov in list(self.overlays):
            self.close_overlay(ov)

    def resizeEvent(self, ev: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(ev)
        for ov in self.overlays:
            ov.setGeometry(self.rect())

    # -- lock-down -------------------------------------------------------------------------
    def set_patient_mode(self, on: bool) -> None:
        self.patient_mode = on or self.station
        if self.fullscreen and self.patient_mode and not self.isFullScreen():
            self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
            # the whole screen even where nothing honours "full screen" (an X session with no
            # window manager, `xinit epro --kiosk` as the README advises): otherwise the kiosk
            # is a small box in a corner at its size hint
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        elif self.fullscreen and not self.patient_mode and self.isFullScreen():
            self.setWindowFlags(Qt.WindowType.Window)
            self.showNormal()

    def allow_close(self) -> None:
        """Called only after a staff password: the next close request is honoured."""
        self._allow_close = True

    def closeEvent(self, ev: QCloseEvent) -> None:  # noqa: N802
        if self.patient_mode and not self._allow_close:
            ev.ignore()           # Alt+F4 and the window manager's close arrive here
            return
        self.controller.shutdown()
        ev.accept()

    def keyPressEvent(self, ev: QKeyEvent) -> None:  # noqa: N802
        if ev.isAutoRepeat():     # a key held down is one press (no answering in bursts)
            ev.accept()
            return
        key = ev.key()
        mods = ev.modifiers()
        if key == Qt.Key.Key_Escape or (mods & Qt.KeyboardModifier.ControlModifier
                                        and key in (Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_F4)):
            ev.accept()           # never leaves the kiosk
            return
        if key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier:
            ev.accept()
            return
        if self.overlays:
            ev.accept()
            return
        screen = self.current
        if screen is not None and screen.isEnabled() and screen.on_key(key):
            ev.accept()
            return
        super().keyPressEvent(ev)

    def clear_input_state(self) -> None:
        """Drop any input-method composition and the clipboard (the next patient sees nothing)."""
        QGuiApplication.inputMethod().reset()
        cb = QGuiApplication.clipboard()
        if cb is not None:
            cb.clear()
