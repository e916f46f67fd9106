"""One app-wide policy: the mouse wheel never changes an input that does not have focus.

A stray wheel over a form (scrolling the page) must not change a grade, a unit or a date under
the pointer (issue 14: "Debilitation" became "3 severe", bilirubin µmol/L → mg/dL). Combo boxes,
spin/date boxes and sliders therefore take focus only by click or Tab (``StrongFocus`` instead of
Qt's ``WheelFocus``), and a wheel over one without focus scrolls the surrounding scroll area
instead. With focus (the user clicked it) the wheel works as usual.

``install_wheel_guard()`` is idempotent; every top-level window of the app calls it, so the policy
holds whichever way the app (or a test) was started.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox,
                               QApplication, QComboBox, QScrollBar, QWidget)

_GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def _guarded(obj: QObject) -> QWidget | None:
    """The input a wheel event on ``obj`` would change (a spin box's inner line edit counts)."""
    w = obj if isinstance(obj, QWidget) else None
    for _ in range(3):
        if w is None:
            return None
        if isinstance(w, _GUARDED) and not isinstance(w, QScrollBar):
            return w
        w = w.parentWidget()
    return None


class WheelGuard(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(obj, _GUARDED) \
                and not isinstance(obj, QScrollBar):
            if obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if kind != QEvent.Type.Wheel:
            return False
        target = _guarded(obj)
        if target is None or target.hasFocus():
            return False
        area = target.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None:                     # the page scrolls as the user meant
            bar = area.verticalScrollBar()
            QApplication.sendEvent(bar, event)
        return True                              # the input itself never sees the wheel


_guard: WheelGuard | None = None


def install_wheel_guard() -> WheelGuard:
    global _guard
    app = QApplication.instance()
    if _guard is None:
        _guard = WheelGuard()
    if app is not None and not getattr(app, "_epro_wheel_guard", False):
        app.installEventFilter(_guard)
        app._epro_wheel_guard = True  # type: ignore[attr-defined]
    return _guard
