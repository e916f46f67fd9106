"""Patient list: a table model over plain rows and a proxy for search and filters.

Sorting is done by the source model (Python's sort over precomputed keys, "None last" in both
directions); the proxy only filters. With 10 000 rows a proxy ``lessThan`` in Python would be
called ~130 000 times; sorting the keys once is two orders of magnitude faster.
"""
from __future__ import annotations

import heapq
import unicodedata
from itertools import compress, repeat
from operator import attrgetter, is_not, not_
from typing import Any, Iterable, NamedTuple, Sequence

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QModelIndex,
                            QPersistentModelIndex, QSortFilterProxyModel, Qt, QT_TRANSLATE_NOOP)
from PySide6.QtGui import QBrush, QColor

CTX = "PatientTable"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

WINDOW_STATUS = {  # storage value -> label (translated at display time)
    "not_yet_due": QT_TRANSLATE_NOOP("PatientTable", "not yet due"),
    "due": QT_TRANSLATE_NOOP("PatientTable", "due"),
    "overdue": QT_TRANSLATE_NOOP("PatientTable", "overdue"),
    "in_window": QT_TRANSLATE_NOOP("PatientTable", "done in window"),
    "out_of_window": QT_TRANSLATE_NOOP("PatientTable", "out of window"),
}
OVERDUE_STATES = frozenset({"overdue"})  # forms.schedule.window_status values
ALERT_LEVELS = {"red": 2, "amber": 1}
ALERT_LABEL = {"red": QT_TRANSLATE_NOOP("PatientTable", "RED"),
               "amber": QT_TRANSLATE_NOOP("PatientTable", "amber")}


class PatientListRow(NamedTuple):
    """A named tuple (immutable, built ten times faster than a frozen dataclass: 10 000 rows
    per list, ``bench/bench_reads.py`` ``patient_list_10k_ms``)."""
    patient_id: int
    subject_id: str
    initials: str
    arm: str
    full_name: str | None = None          # searchable, never shown in the list (PHI)
    next_visit: str | None = None         # the visit's protocol label, e.g. "Week 4"
    next_visit_date: str | None = None    # ISO date of the target day
    window_status: str | None = None      # forms.schedule: not_yet_due|due|overdue|in_window|out_of_window
    last_pcs: float | None = None
    last_mcs: float | None = None
    last_rss: float | None = None
    alert: str | None = None              # "red" | "amber" | None
    alert_reason: str | None = None       # the worst unacknowledged alert, in words
    alert_count: int = 0                  # unacknowledged alerts of the patient


# the alert column comes right after the patient: visible at 1280 px without scrolling
COLUMNS: tuple[tuple[str, str], ...] = (
    ("subject_id", QT_TRANSLATE_NOOP("PatientTable", "Subject")),
    ("initials", QT_TRANSLATE_NOOP("PatientTable", "Initials")),
    ("alert", QT_TRANSLATE_NOOP("PatientTable", "Alerts")),
    ("arm", QT_TRANSLATE_NOOP("PatientTable", "Arm")),
    ("next_visit", QT_TRANSLATE_NOOP("PatientTable", "Next visit")),
    ("window_status", QT_TRANSLATE_NOOP("PatientTable", "Window")),
    ("last_pcs", QT_TRANSLATE_NOOP("PatientTable", "PCS")),
    ("last_mcs", QT_TRANSLATE_NOOP("PatientTable", "MCS")),
    ("last_rss", QT_TRANSLATE_NOOP("PatientTable", "RSS")),
)
WIDEST = 8                     # rows per column the view sizes by besides those on screen
ALERT_COLUMN_PX = 260          # the reason is elided there; the tooltip has it in full
COL = {key: i for i, (key, _) in enumerate(COLUMNS)}
_WINDOW_ORDER = {"overdue": 0, "out_of_window": 1, "due": 2, "not_yet_due": 3, "in_window": 4}
_NCOLUMNS = len(COLUMNS)
_NUMERIC = frozenset({"last_pcs", "last_mcs", "last_rss"})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# the roles data() answers; a view asks eight roles per cell it paints or sizes
_ROLES = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole, SORT_ROLE, ROW_ROLE))


def fold(text: str) -> str:
    """Search key: NFKC (full-width -> half-width) and case-folded; no pattern syntax at all."""
    return unicodedata.normalize("NFKC", text).casefold()


_TEXT_COLUMNS = frozenset({"subject_id", "initials", "arm"})   # str in every row


def _sort_keys(rows: Sequence[PatientListRow], key: str) -> list[Any]:
    """The sort key of every row (ISO date, urgency, alert level, folded text) as maps: a
    reload of 10 000 rows sorts them again."""
    if key == "next_visit":
        return list(map(attrgetter("next_visit_date"), rows))
    if key == "window_status":
        return list(map(_WINDOW_ORDER.get, map(attrgetter("window_status"), rows)))
    if key == "alert":
        return list(map(ALERT_LEVELS.get, map(attrgetter("alert"), rows)))
    values = map(attrgetter(key), rows)
    if key in _TEXT_COLUMNS:
        return list(map(fold, values))
    return [fold(v) if isinstance(v, str) else v for v in values]


def _sort_key(row: PatientListRow, key: str) -> Any:
    """``SORT_ROLE``: comparable, None = no value (sorted last)."""
    return _sort_keys((row,), key)[0]


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


class PatientTableModel(QAbstractTableModel):
    """Plain ``PatientListRow`` objects; ``SORT_ROLE`` gives comparable values (None = no value)."""

    def __init__(self, rows: Iterable[PatientListRow] = (), parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PatientListRow] = list(rows)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._widest: dict[int, list[PatientListRow]] = {}   # column -> rows (widest_rows)
        self._positions: dict[int, int] | None = None
        self._by_patient: dict[int, int] | None = None           # patient id -> row

    # -- data ------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[PatientListRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._widest.clear()
        self._positions = self._by_patient = None
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def row_at(self, row: int) -> PatientListRow:
        return self._rows[row]

    def rows(self) -> list[PatientListRow]:
        return list(self._rows)

    def widest_rows(self, column: int) -> list[int]:
        """Positions of the (at most ``WIDEST``) rows with the longest texts in ``column``, by
        characters: what the view sizes a column by besides the rows on screen
        (``PatientTableView``). Found once per set of rows; a sort only moves them."""
        widest = self._widest.get(column)
        if widest is None:
            key, display = COLUMNS[column][0], self._display
            lengths = [len(display(r, key)) for r in self._rows]
            top = heapq.nlargest(WIDEST, range(len(lengths)), key=lengths.__getitem__)
            widest = self._widest[column] = [self._rows[n] for n in top]
        if self._positions is None:
            self._positions = {id(r): n for n, r in enumerate(self._rows)}
        return [self._positions[id(r)] for r in widest]

    def position_of(self, patient_id: int) -> int | None:
        """The row showing ``patient_id`` (a look-up, not a scan of 10 000 rows), or None."""
        if self._by_patient is None:
            self._by_patient = {r.patient_id: n for n, r in enumerate(self._rows)}
        return self._by_patient.get(patient_id)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        """One Python call per index (the inherited one asks ``rowCount`` and ``columnCount``):
        the proxy makes a source index for every ``data`` call of every cell the view sizes."""
        if 0 <= row < len(self._rows) and 0 <= column < _NCOLUMNS and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return _tr(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:          # font, decoration, check state, size hint, background:
            return None                 # asked for every cell the view sizes, never answered
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == SORT_ROLE:
            return _sort_key(row, key)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._display(row, key) if key == "alert" and row.alert_reason else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if key in _NUMERIC else None
        # ForegroundRole
        if key == "alert" and row.alert == "red":
            return QBrush(QColor("#b00020"))
        if key == "alert" and row.alert == "amber":
            return QBrush(QColor("#a15c00"))
        if key == "window_status" and row.window_status in ("overdue", "out_of_window"):
            return QBrush(QColor("#b00020"))
        return None

    @staticmethod
    def _display(row: PatientListRow, key: str) -> str:
        if key == "next_visit":
            if not row.next_visit:
                return ""
            return f"{row.next_visit}  {row.next_visit_date or ''}".rstrip()
        if key == "window_status":
            label = WINDOW_STATUS.get(row.window_status or "")
            return _tr(label) if label else (row.window_status or "")
        if key == "alert":
            label = ALERT_LABEL.get(row.alert or "")
            text = _tr(label) if label else ""
            if row.alert_reason:
                text = f"{text} \u2014 {row.alert_reason}" if text else row.alert_reason
            if row.alert_count > 1:
                text += " " + _tr("(+%1 more)").replace("%1", str(row.alert_count - 1))
            return text
        v = getattr(row, key)
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:.1f}"
        return str(v)

    # -- sorting ---------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self._rows[i.row()] for i in old]
        self._sort = (column, order)
        self._sort_rows(column, order)
        self._positions = self._by_patient = None
        pos = {id(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(pos[id(r)], i.column()) for r, i in zip(old_rows, old)])
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        rows = self._rows
        keys = _sort_keys(rows, COLUMNS[column][0])
        has_key = list(map(is_not, keys, repeat(None)))
        present = list(compress(range(len(rows)), has_key))
        missing = list(compress(range(len(rows)), map(not_, has_key)))
        # stable: equal keys keep their previous order (reverse=True too); None always last
        present.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [rows[n] for n in present] + [rows[n] for n in missing]


class PatientFilterProxy(QSortFilterProxyModel):
    """Search (literal, case-insensitive, by subject id, initials or name) and filters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._arm: str | None = None
        self._alerts_only = False
        self._overdue_only = False

    def set_search(self, text: str) -> None:
        self._change_filter(lambda: setattr(self, "_needle", fold(text.strip())))

    def set_arm(self, arm: str | None) -> None:
        self._change_filter(lambda: setattr(self, "_arm", arm or None))

    def set_alerts_only(self, on: bool) -> None:
        self._change_filter(lambda: setattr(self, "_alerts_only", bool(on)))

    def set_overdue_only(self, on: bool) -> None:
        self._change_filter(lambda: setattr(self, "_overdue_only", bool(on)))

    def _change_filter(self, apply) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            apply()
            self.invalidateRowsFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Delegate to the source model (fast, None last); the proxy keeps source order."""
        src = self.sourceModel()
        if src is not None:
            src.sort(column, order)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        row: PatientListRow = model.row_at(source_row)
        if self._arm is not None and row.arm != self._arm:
            return False
        if self._alerts_only and not row.alert:
            return False
        if self._overdue_only and row.window_status not in OVERDUE_STATES:
            return False
        if self._needle:
            hay = (row.subject_id, row.initials, row.full_name or "")
            return any(self._needle in fold(h) for h in hay)
        return True
