"""The Today view (first tab after login): who is due today and this week, overdue visits,
unacknowledged alerts with their reasons (``reports.alert_text``, the words the PDF prints),
visits awaiting signature. Each row opens its patient
and visit.

Data: ONE service call (``storage.services.today_overview``, one read transaction) run off the
GUI thread (``run_task``); the rows are plain ``TodayRow`` records in a ``QAbstractTableModel``.
Drafts: storage keeps no drafts of unfinished forms, so there is no drafts list (a note says so).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Sequence

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QModelIndex,
                            QPersistentModelIndex, Qt, QT_TRANSLATE_NOOP, Signal)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from forms.errors import UserError
from reports.alert_text import alert_level, alert_words
from ui.i18n import current_language
from ui.widgets.errors import user_message
from ui.widgets.tasks import run_task
from ui.widgets.timefmt import local_time_text

if TYPE_CHECKING:
    from ui.nurse.main_window import NurseMainWindow

CTX = "TodayView"
DUE, WEEK, OVERDUE, ALERT, SIGN = "due", "week", "overdue", "alert", "sign"
SECTIONS = (
    (ALERT, QT_TRANSLATE_NOOP("TodayView", "Alert")),
    (OVERDUE, QT_TRANSLATE_NOOP("TodayView", "Overdue")),
    (DUE, QT_TRANSLATE_NOOP("TodayView", "Due today")),
    (WEEK, QT_TRANSLATE_NOOP("TodayView", "Due this week")),
    (SIGN, QT_TRANSLATE_NOOP("TodayView", "Awaiting signature")),
)
COLUMNS = (QT_TRANSLATE_NOOP("TodayView", "List"), QT_TRANSLATE_NOOP("TodayView", "Subject"),
           QT_TRANSLATE_NOOP("TodayView", "Visit"), QT_TRANSLATE_NOOP("TodayView", "Date"),
           QT_TRANSLATE_NOOP("TodayView", "Details"))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


@dataclass(frozen=True)
class TodayRow:
    section: str
    subject_id: str
    visit_code: str
    when: str
    details: str
    patient_id: int
    visit_id: int | None
    order: tuple


def _window(r: Any) -> str:
    return _tr("window %1 to %2").replace("%1", r.earliest.isoformat()) \
        .replace("%2", r.latest.isoformat())


def overview_rows(o: Any, lang: str) -> list[TodayRow]:
    """Plain rows of a ``TodayOverview`` in section order (alerts, overdue, due, week, sign)."""
    rows: list[TodayRow] = []
    rank = {key: i for i, (key, _t) in enumerate(SECTIONS)}
    for a in o.alerts:
        reason = alert_words(a, lang)
        rows.append(TodayRow(ALERT, a.subject_id, a.visit_code or "",
                             local_time_text(a.raised_at, seconds=False),
                             f"{alert_level(a.severity, lang)} — {reason}", a.patient_id,
                             a.visit_id,
                             (rank[ALERT], 0 if a.severity == "red" else 1,
                              -a.raised_at.timestamp())))
    for key, items in ((OVERDUE, o.overdue), (DUE, o.due_today), (WEEK, o.due_this_week)):
        for r in items:
            rows.append(TodayRow(key, r.subject_id, r.visit_code, r.target_date.isoformat(),
                                 _window(r), r.patient_id, r.visit_id,
                                 (rank[key], r.target_date.toordinal(), r.subject_id)))
    for w in o.awaiting_signature:
        rows.append(TodayRow(SIGN, w.subject_id, w.visit_code,
                             w.visit_date.isoformat() if w.visit_date else "",
                             _tr("needs a new signature after a correction") if w.resign
                             else _tr("completed, not signed"), w.patient_id, w.visit_id,
                             (rank[SIGN], (w.visit_date or date.max).toordinal(), w.visit_id)))
    return rows


class TodayModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.all_rows: list[TodayRow] = []
        self.rows: list[TodayRow] = []          # shown: all rows or one section
        self.section: str | None = None
        self.label_of: Callable[[str], str] = lambda code: code   # the protocol's visit label

    def set_rows(self, rows: Sequence[TodayRow]) -> None:
        self.beginResetModel()
        self.all_rows = list(rows)
        self.rows = [r for r in self.all_rows if self.section in (None, r.section)]
        self.endResetModel()

    def set_section(self, section: str | None) -> None:
        """Show one list (``None``: all of them, in section order)."""
        self.section = section
        self.set_rows(self.all_rows)

    def count(self, section: str) -> int:
        return sum(1 for r in self.all_rows if r.section == section)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return _tr(COLUMNS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return _tr(dict(SECTIONS)[r.section])
            return (r.subject_id, self.label_of(r.visit_code) if r.visit_code else "", r.when,
                    r.details)[col - 1]
        if role == SORT_ROLE:
            return r.order if col == 0 else str(self.data(index))
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and r.section in (ALERT, OVERDUE):
            return QColor("#b00020")
        return None


class TodayWidget(QWidget):
    """The Today tab; ``open_requested(patient_id, visit_id or -1, section)``."""
    open_requested = Signal(int, int, str)
    loaded = Signal(int)         # rows shown
    failed = Signal(str)

    def __init__(self, load: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("today_view")
        self._load = load
        self.model = TodayModel(self)
        self.title = QLabel()
        self.title.setObjectName("today_title")
        f = self.title.font()
        f.setBold(True)
        f.setPointSize(f.pointSize() + 2)
        self.title.setFont(f)
        self.summary = QLabel()
        self.summary.setObjectName("today_summary")
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("today_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("today_open")
        self.open_button.clicked.connect(lambda: self._activate(self.table.currentIndex()))
        self.show_section = QComboBox()
        self.show_section.setObjectName("today_section")
        self.show_section.setAccessibleName(self.tr("Show"))
        self.show_section.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_section.currentIndexChanged.connect(
            lambda: self.model.set_section(self.show_section.currentData()))
        self.table = QTableView()
        self.table.setObjectName("today_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activate)
        self.table.doubleClicked.connect(self._activate)
        self.drafts_note = QLabel(self.tr("Unfinished forms are not kept as drafts, so there is "
                                          "no drafts list."))
        self.drafts_note.setObjectName("today_drafts_note")
        self.drafts_note.setStyleSheet("color: #555;")
        self.drafts_note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.show_section)
        top.addWidget(self.open_button)
        top.addWidget(self.refresh_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.drafts_note)

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        run_task(self._load, self.set_overview, self._failed, receiver=self)

    def set_overview(self, o: Any) -> None:
        self.refresh_button.setEnabled(True)
        self.title.setText(self.tr("Today, %1").replace("%1", o.today.isoformat()))
        self.model.set_rows(overview_rows(o, current_language()))
        self._fill_sections()
        self.summary.setText(
            self.tr("%1 due today · %2 due this week · %3 overdue · %4 open alerts · "
                    "%5 awaiting signature")
            .replace("%1", str(len(o.due_today))).replace("%2", str(len(o.due_this_week)))
            .replace("%3", str(len(o.overdue))).replace("%4", str(len(o.alerts)))
            .replace("%5", str(len(o.awaiting_signature))))
        self.drafts_note.setVisible(not o.drafts_supported)
        self.loaded.emit(len(self.model.rows))

    def _fill_sections(self) -> None:
        """"All (n)" and one entry per list with its count; the choice stays on refresh."""
        keep = self.show_section.currentData()
        was = self.show_section.blockSignals(True)
        self.show_section.clear()
        self.show_section.addItem(self.tr("All (%1)").replace(
            "%1", str(len(self.model.all_rows))), None)
        for key, label in SECTIONS:
            self.show_section.addItem(f"{_tr(label)} ({self.model.count(key)})", key)
        self.show_section.setCurrentIndex(max(0, self.show_section.findData(keep)))
        self.show_section.blockSignals(was)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        text = user_message(str(exc)) if isinstance(exc, UserError) else self.tr(
            "an unexpected error; try Refresh")
        self.summary.setText(self.tr("The Today view could not be loaded: %1").replace("%1", text))
        self.failed.emit(text)

    def _activate(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        r = self.model.rows[index.row()]
        self.open_requested.emit(r.patient_id, -1 if r.visit_id is None else r.visit_id,
                                 r.section)


def attach_today(window: "NurseMainWindow") -> TodayWidget | None:
    """Put the Today view first in the work area's tabs (staff who see patients) and open a
    row's patient and visit on request: the list row, the visit, then the Review tab for alerts
    and signatures, the Visits tab otherwise."""
    w = window.work
    if w is None or not window.can("view_patients"):
        return None
    backend, actor = window.backend, window.actor
    today = TodayWidget(lambda: backend.today(actor))
    today.model.label_of = w.visits.label_of           # visits named by the protocol label
    w.tabs.insertTab(0, today, _tr("Today"))
    w.tabs.setCurrentIndex(0)
    w.today = today

    def open_row(patient_id: int, visit_id: int, section: str) -> None:
        target = w.review if section in (ALERT, SIGN) else w.visits

        def loaded(pid: int) -> None:
            if pid != patient_id or window.work is not w:
                return
            window.patient_loaded.disconnect(loaded)
            for i, v in enumerate(w.visits.visits):
                if v.id == visit_id:
                    w.visits.table.selectRow(i)
            w.tabs.setCurrentWidget(target)
        window.patient_loaded.connect(loaded)
        w.open_patient_id = patient_id       # the user chose this patient: the list follows
        w.sync_selection()
        window.select_patient(patient_id)
    today.open_requested.connect(open_row)

    def patient_opened(_pid: int) -> None:       # a patient chosen in the list: its visits
        if window.work is w and w.tabs.currentWidget() is today:
            w.tabs.setCurrentWidget(w.visits)
    window.patient_loaded.connect(patient_opened)
    w.tabs.currentChanged.connect(
        lambda i: w.tabs.widget(i) is today and today.refresh_button.isEnabled()
        and today.refresh())
    today.failed.connect(lambda text: window.statusBar().showMessage(text, 15000))
    today.refresh()
    return today
