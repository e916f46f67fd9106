"""Audit trail view: table model over ``AuditRow``, text/action filter, CSV export (defanged)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Sequence

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QModelIndex,
                            QPersistentModelIndex, QSortFilterProxyModel, Qt, QT_TRANSLATE_NOOP,
                            Signal)
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from ui.nurse.patient_table import fold
from ui.nurse.view_data import AuditRow
from ui.widgets.timefmt import local_time_text

AUDIT_COLUMNS = (
    ("at", QT_TRANSLATE_NOOP("AuditTable", "Time (local)")),
    ("username", QT_TRANSLATE_NOOP("AuditTable", "User")),
    ("role", QT_TRANSLATE_NOOP("AuditTable", "Role")),
    ("action", QT_TRANSLATE_NOOP("AuditTable", "Action")),
    ("visit_code", QT_TRANSLATE_NOOP("AuditTable", "Visit")),
    ("field", QT_TRANSLATE_NOOP("AuditTable", "Field")),
    ("old_value", QT_TRANSLATE_NOOP("AuditTable", "Old value")),
    ("new_value", QT_TRANSLATE_NOOP("AuditTable", "New value")),
    ("reason", QT_TRANSLATE_NOOP("AuditTable", "Reason")),
)
CSV_HEADER = ("seq", "at_utc", "at_local", "user", "role", "action", "entity", "entity_id",
              "subject_id", "visit", "field", "old_value", "new_value", "reason")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defang(value: Any) -> Any:
    """Spreadsheet formula injection guard (OWASP): text starting with = + - @ TAB CR gets a '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_audit_csv(rows: Sequence[AuditRow], path: str | Path) -> int:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_HEADER)
        for r in rows:
            w.writerow([r.seq, r.at.isoformat(), local_time_text(r.at)] + [defang(v) for v in (
                r.username, r.role, r.action, r.entity, r.entity_id, r.subject_id, r.visit_code,
                r.field, r.old_value, r.new_value, r.reason)])
    return len(rows)


class AuditTableModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[AuditRow] = (), parent=None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, i: int) -> AuditRow:
        return self._rows[i]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(AUDIT_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(AUDIT_COLUMNS):
            return QCoreApplication.translate("AuditTable", AUDIT_COLUMNS[section][1])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r = self._rows[index.row()]
        key = AUDIT_COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "at":
                return local_time_text(r.at)
            v = getattr(r, key)
            return "" if v is None else str(v)
        if role == Qt.ItemDataRole.UserRole + 1:   # sort role
            return r.seq if key == "at" else (getattr(r, key) or "")
        return None


class AuditFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._action: str | None = None
        self.setSortRole(Qt.ItemDataRole.UserRole + 1)

    def set_text(self, text: str) -> None:
        self._needle = fold(text.strip())
        self.invalidate()

    def set_action(self, action: str | None) -> None:
        self._action = action or None
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        r: AuditRow = self.sourceModel().row_at(source_row)
        if self._action and not r.action.startswith(self._action):
            return False
        if self._needle:
            hay = (r.username, r.action, r.field, r.old_value or "", r.new_value or "",
                   r.reason or "", r.visit_code, r.subject_id)
            return any(self._needle in fold(h) for h in hay)
        return True

    def visible_rows(self) -> list[AuditRow]:
        src = self.sourceModel()
        return [src.row_at(self.mapToSource(self.index(i, 0)).row()) for i in range(self.rowCount())]


class AuditTrailWidget(QWidget):
    exported = Signal(str, int)   # path, rows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_trail")
        self.model = AuditTableModel()
        self.proxy = AuditFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setObjectName("audit_search")
        self.search.setPlaceholderText(self.tr("Filter: user, field, value, reason…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        for text, key in ((self.tr("All actions"), ""), (self.tr("Logins"), "auth."),
                          (self.tr("Enrolment"), "patient."), (self.tr("Answers"), "answer."),
                          (self.tr("Clinical data"), "clinical."),
                          (self.tr("Signatures"), "signature."), (self.tr("Visit signing"), "visit.")):
            self.action.addItem(text, key)
        self.action.currentIndexChanged.connect(lambda: self.proxy.set_action(self.action.currentData()))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("audit_export")
        self.export_button.clicked.connect(self._export_clicked)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.action, 1)
        top.addWidget(self.count)
        top.addWidget(self.export_button)
        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.table)
        for sig in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                    self.proxy.layoutChanged):
            sig.connect(self._update_count)

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.model.set_rows(rows)
        self._update_count()

    def _update_count(self, *_) -> None:
        self.count.setText(self.tr("%1 entries").replace("%1", str(self.proxy.rowCount())))

    def export_to(self, path: str | Path) -> int:
        n = write_audit_csv(self.proxy.visible_rows(), path)
        self.exported.emit(str(path), n)
        return n

    def _export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export audit trail"), "audit.csv",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_to(path)
