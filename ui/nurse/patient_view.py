"""The patient list's table view: columns sized to their contents without asking the model
about a thousand rows.

Qt's ``ResizeToContents`` measures up to ``resizeContentsPrecision`` rows (1000 by default)
after every reset, sort and filter: at 10 000 patients ~8 000 cells × 8 roles, i.e. ~130 000
Python calls and ~250 ms on the GUI thread for each reload or click on a header, and still
blind to a longer label further down. This view measures the rows on screen (precision 0) and
the few rows whose texts are the longest of the whole list in characters
(``PatientTableModel.widest_rows``, found once per reload). Unlike Qt's sample this sees the
whole list; a text of the same length in wider letters off screen could still be cut by a few
pixels (shown elided with "…").
"""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import QTableView, QWidget

from ui.nurse.patient_table import PatientTableModel


class PatientTableView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontalHeader().setResizeContentsPrecision(0)   # the rows on screen

    def sizeHintForColumn(self, column: int) -> int:
        hint = super().sizeHintForColumn(column)
        proxy = self.model()
        source = proxy.sourceModel() if isinstance(proxy, QSortFilterProxyModel) else proxy
        if not isinstance(source, PatientTableModel):
            return hint
        grid = 1 if self.showGrid() else 0          # what Qt adds to its own hint
        for row in source.widest_rows(column):
            index = source.index(row, column)
            if proxy is not source:
                index = proxy.mapFromSource(index)
            if index.isValid():                     # filtered out: not in the list now
                hint = max(hint, self.sizeHintForIndex(index).width() + grid)
        return hint
