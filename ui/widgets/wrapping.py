"""Word wrap in a QTreeView column: rows as tall as the wrapped text at the column's CURRENT
width (QTreeView alone sizes rows as if unwrapped and cuts long text)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView


class WrappingDelegate(QStyledItemDelegate):
    """Sizes rows from ``column``'s wrapped text; the view must call
    ``scheduleDelayedItemsLayout`` when that column is resized."""

    def __init__(self, tree: QTreeView, column: int) -> None:
        super().__init__(tree)
        self.tree = tree
        self.column = column

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.column() != self.column:
            return size
        width = max(40, self.tree.header().sectionSize(self.column) - 10)
        text = str(index.data() or "")
        r = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000),
                                            int(Qt.TextFlag.TextWordWrap), text)
        return QSize(size.width(), max(size.height(), r.height() + 4))
