"""The answer buttons of one item: one, two or three columns, and no dead gaps between them.

``ItemScreen`` (ui/kiosk/question_screens.py) asks for as few columns as let the whole item fit
on the screen (long answer lists at large text sizes go side by side instead of below the fold).
A tap that lands in the gap between two buttons counts for the nearest one: a frail hand that
misses by a few pixels still answers (issue 12 item 3).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QSizePolicy, QWidget

from ui.kiosk import theme
from ui.kiosk.widgets import WrapButton

MAX_COLUMNS = 3


def _distance(p: QPointF, r: QRectF) -> float:
    dx = max(r.left() - p.x(), 0.0, p.x() - r.right())
    dy = max(r.top() - p.y(), 0.0, p.y() - r.bottom())
    return (dx * dx + dy * dy) ** 0.5


class OptionPanel(QWidget):
    """A grid of checkable answer buttons (exclusive), filled row by row: read left to right and
    down, as the text itself (English and Chinese), the answers keep the instrument's order."""

    def __init__(self, scale: float, on_chosen: Callable[[WrapButton], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OptionPanel")
        self.scale = scale
        self._on_chosen = on_chosen
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        gap = theme.spacing(8, scale)
        self.grid.setHorizontalSpacing(gap)
        self.grid.setVerticalSpacing(gap)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[WrapButton] = []
        self.columns = 1
        self._placed = (1, 0)         # (columns, buttons) of the current grid positions
        self._pressed = False

    def set_count(self, n: int) -> None:
        """Exactly ``n`` buttons (added or removed; their texts are set by the caller)."""
        while len(self.buttons) < n:
            b = WrapButton("", self.scale, role="option", checkable=True)
            self.group.addButton(b, len(self.buttons))
            b.clicked.connect(lambda _c=False, b=b: self._on_chosen(b))
            self.buttons.append(b)
            self.grid.addWidget(b, len(self.buttons) - 1, 0)   # placed by set_columns
            b.show()                  # on a shown screen a new child stays hidden otherwise
        while len(self.buttons) > n:
            b = self.buttons.pop()
            self.group.removeButton(b)
            self.grid.removeWidget(b)
            b.hide()
            b.deleteLater()
        self._placed = (0, 0)         # re-place on the next set_columns

    def column_choices(self) -> list[int]:
        """The column counts worth trying, fewest first (never an empty column)."""
        n = len(self.buttons)
        return [c for c in range(1, MAX_COLUMNS + 1) if c == 1 or n >= c]

    def _place(self, b: WrapButton, k: int) -> None:
        self.grid.addWidget(b, k // self.columns, k % self.columns)

    def set_columns(self, columns: int) -> None:
        """Lay the buttons out in ``columns`` columns (row by row)."""
        columns = max(1, min(columns, MAX_COLUMNS))
        if (columns, len(self.buttons)) == self._placed:
            return
        self.columns = columns
        for b in self.buttons:
            self.grid.removeWidget(b)
        for k, b in enumerate(self.buttons):
            self._place(b, k)
        for c in range(MAX_COLUMNS):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        self._placed = (columns, len(self.buttons))

    def nearest(self, pos: QPointF) -> WrapButton | None:
        """The enabled button nearest to ``pos`` (panel coordinates)."""
        shown = [b for b in self.buttons if b.isVisible() and b.isEnabled()]
        if not shown:
            return None
        return min(shown, key=lambda b: _distance(pos, QRectF(b.geometry())))

    def mousePressEvent(self, ev: QMouseEvent) -> None:  # noqa: N802
        # only taps that miss every button reach the panel: the gap belongs to the nearest one
        self._pressed = ev.button() == Qt.MouseButton.LeftButton
        ev.accept()

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:  # noqa: N802
        if self._pressed and ev.button() == Qt.MouseButton.LeftButton:
            self._pressed = False
            b = self.nearest(ev.position())
            if b is not None:
                b.click()
        ev.accept()
