"""Top-level windows sized for the screen they are on (issue 14 item 6): the design size, or on
a smaller screen the available area less a title bar; never a fixed size, so a window can be
maximised and its layouts grow."""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: the window manager's frame is not known before the first show
TITLE_BAR_ALLOWANCE = 40
#: the staff window's designed size (it starts there, or smaller on a smaller screen, and may
#: grow) and the smallest it may get: fits a 1280×800 screen with a task bar and a title bar.
#: The start-up login window (ui/launcher.py) has the same size.
STAFF_DESIGN_SIZE = QSize(1280, 800)
STAFF_MINIMUM_SIZE = QSize(1000, 600)


def available_size(window: QWidget) -> QSize:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else QSize(1280, 800)


def fit_to_screen(window: QWidget, design: QSize, minimum: QSize) -> None:
    """Resize ``window`` to ``design`` bounded by the available screen area less a title bar,
    with ``minimum`` (bounded the same way) as its minimum size."""
    avail = available_size(window)
    room = QSize(avail.width(), max(1, avail.height() - TITLE_BAR_ALLOWANCE))
    window.setMinimumSize(minimum.boundedTo(room))
    window.resize(design.boundedTo(room))
