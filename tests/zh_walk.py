"""Collect what a user sees in a widget tree (for the zh_CN completeness test): labels, buttons,
group titles, tab texts, combo items, placeholders, window titles, header and cell texts of item
views (the visible rows), tool tips are left out (not visible without hovering)."""
from __future__ import annotations

import re
from html import unescape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel,
                               QLineEdit, QPlainTextEdit, QTabWidget, QTextBrowser, QWidget)

TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    return unescape(TAG.sub(" ", text or "")).strip()


def _model_texts(view: QAbstractItemView, rows: int = 40) -> list[tuple[str, str]]:
    m = view.model()
    if m is None:
        return []
    out = []
    from PySide6.QtCore import QModelIndex

    def cols(parent) -> int:
        try:
            return m.columnCount(parent)
        except TypeError:            # a list model (QListWidget): one column
            return 1
    for c in range(cols(QModelIndex())):
        h = m.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if h:
            out.append(("header", str(h)))

    def walk(parent, depth=0):
        for r in range(min(m.rowCount(parent), rows)):
            for c in range(cols(parent)):
                ix = m.index(r, c, parent)
                v = ix.data(Qt.ItemDataRole.DisplayRole)
                if v not in (None, ""):
                    out.append((f"cell[{c}]", str(v)))
            first = m.index(r, 0, parent)
            if depth < 2 and cols(first) and m.rowCount(first) > 0:
                walk(first, depth + 1)
    walk(QModelIndex())
    return out


def visible_texts(root: QWidget) -> list[tuple[str, str, str]]:
    """(widget object name/class, kind, text) of everything shown in ``root``."""
    out: list[tuple[str, str, str]] = []
    widgets = [root] + root.findChildren(QWidget)
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root:
            continue
        name = w.objectName() or type(w).__name__
        if w.isWindow() and w.windowTitle():
            out.append((name, "title", w.windowTitle()))
        if isinstance(w, QLabel):
            out.append((name, "label", _plain(w.text())))
        elif isinstance(w, QAbstractButton):
            out.append((name, "button", w.text().replace("&", "")))
        elif isinstance(w, QGroupBox):
            out.append((name, "group", w.title()))
        elif isinstance(w, QComboBox):
            out += [(name, "combo", w.itemText(i)) for i in range(w.count())]
            if w.placeholderText():
                out.append((name, "placeholder", w.placeholderText()))
        elif isinstance(w, QLineEdit):
            if w.placeholderText():
                out.append((name, "placeholder", w.placeholderText()))
        elif isinstance(w, QPlainTextEdit):
            if w.placeholderText():
                out.append((name, "placeholder", w.placeholderText()))
        elif isinstance(w, QTextBrowser):
            out.append((name, "html", w.toPlainText()))
        if isinstance(w, QTabWidget):
            out += [(name, "tab", w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QAbstractItemView):
            out += [(name, k, t) for k, t in _model_texts(w)]
    return [o for o in out if o[2].strip()]
