"""Visits of one patient: schedule with window status, instrument status, hand-over to the kiosk."""
from __future__ import annotations

import html
from typing import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from forms.registry import instrument_name
from storage.services import AdministrationState, VisitInfo, visit_battery
from ui.i18n import current_language


class VisitPanel(QWidget):
    visit_selected = Signal(int)          # visit id
    hand_to_kiosk = Signal(int, int)      # patient id, visit id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visit_panel")
        self.patient_id: int | None = None
        self.visits: list[VisitInfo] = []
        # how a visit is named and what it gives: the protocol's (set by the window after login;
        # ui/nurse/visit_actions.py); the code and the default battery until then
        self.label_of: Callable[[str], str] = lambda code: code
        self.battery_of: Callable[[str], tuple[str, ...]] = visit_battery
        self.patient_buttons: list[QPushButton] = []   # enabled while a patient is shown
        self.actions_row = QHBoxLayout()
        self.actions_row.addStretch(1)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("visit_table")
        self.table.setHorizontalHeaderLabels([self.tr("Visit"), self.tr("Target date"),
                                              self.tr("Window"), self.tr("Status"),
                                              self.tr("Window status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.instruments = QLabel()
        self.instruments.setObjectName("visit_instruments")
        self.instruments.setTextFormat(Qt.TextFormat.RichText)
        self.instruments.setWordWrap(True)
        self.kiosk_button = QPushButton(self.tr("Hand kiosk to patient"))
        self.kiosk_button.setObjectName("hand_to_kiosk")
        self.kiosk_button.setMinimumHeight(40)
        self.kiosk_button.setEnabled(False)
        self.kiosk_button.clicked.connect(self._hand)
        row = QHBoxLayout()
        row.addWidget(self.instruments, 1)
        row.addWidget(self.kiosk_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self.actions_row)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self._visit_row = row
        self._can_hand = True
        self._emitted: int | None = None
        self._adms: list[AdministrationState] = []
        # questionnaires recorded not done at a visit: (visit id, {instrument id: reason text})
        self._not_done: tuple[int | None, dict[str, str]] = (None, {})

    def _status_text(self, s: str) -> str:
        return {"planned": self.tr("planned"), "in_progress": self.tr("in progress"),
                "completed": self.tr("completed"), "signed": self.tr("signed"),
                "resign_required": self.tr("re-signature required"),
                "missed": self.tr("missed")}.get(s, s)

    def _window_text(self, s: str) -> str:
        return {"not_yet_due": self.tr("not yet due"), "due": self.tr("due"),
                "overdue": self.tr("overdue"), "in_window": self.tr("in window"),
                "out_of_window": self.tr("out of window")}.get(s, s)

    def add_patient_button(self, button: QPushButton) -> None:
        """A patient-level action above the visit list (correct arm, add visit)."""
        self.actions_row.addWidget(button)
        self.patient_buttons.append(button)
        button.setEnabled(self.patient_id is not None)

    def add_visit_button(self, button: QPushButton) -> None:
        """A visit-level action beside the hand-over button (questionnaire not done)."""
        self._visit_row.insertWidget(self._visit_row.count() - 1, button)
        button.setMinimumHeight(40)

    def set_not_done(self, visit_id: int, reasons: dict[str, str]) -> None:
        """What storage stored: the questionnaires of ``visit_id`` recorded not done, with the
        reason as staff read it; shown in the questionnaire line while that visit is shown."""
        self._not_done = (visit_id, dict(reasons))
        self.set_instrument_status(self._adms)

    def set_permissions(self, *, can_hand: bool) -> None:
        self._can_hand = can_hand
        self._selected()

    def set_visits(self, patient_id: int | None, visits: Sequence[VisitInfo]) -> None:
        self.patient_id = patient_id
        self.visits = list(visits)
        self._emitted = None
        for b in self.patient_buttons:
            b.setEnabled(patient_id is not None)
        self.table.setRowCount(len(self.visits))
        for r, v in enumerate(self.visits):
            cells = [self.label_of(v.code), v.planned_date.isoformat(),
                     f"{v.earliest_date.isoformat()} – {v.latest_date.isoformat()}",
                     self._status_text(v.status), self._window_text(v.window_status)]
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if c == 4 and v.window_status in ("overdue", "out_of_window"):
                    it.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, it)
        self.instruments.clear()
        first_open = next((i for i, v in enumerate(self.visits)
                           if v.window_status in ("due", "overdue")), None)
        if first_open is None:
            first_open = next((i for i, v in enumerate(self.visits) if v.actual_date), None)
        if first_open is not None:
            self.table.selectRow(first_open)
        self._selected()

    def current_visit(self) -> VisitInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.visits[rows[0].row()] if rows else None

    def select_code(self, code: str) -> None:
        for i, v in enumerate(self.visits):
            if v.code == code:
                self.table.selectRow(i)

    def select_id(self, visit_id: int) -> None:
        for i, v in enumerate(self.visits):
            if v.id == visit_id:
                self.table.selectRow(i)

    def set_instrument_status(self, adms: Sequence[AdministrationState]) -> None:
        self._adms = list(adms)
        by = {a.instrument_id: a for a in adms}
        v = self.current_visit()
        not_done = self._not_done[1] if v is not None and self._not_done[0] == v.id else {}
        battery = self.battery_of(v.code) if v is not None else visit_battery("")
        lang = current_language()
        parts = []
        for i in (*battery, *(i for i in by if i not in battery)):
            name = html.escape(instrument_name(i, lang))
            a = by.get(i)
            if i in not_done and (a is None or a.status != "submitted"):
                st = ("<span style='color:#8a4b00'>" + html.escape(
                    self.tr("Not done — %1").replace("%1", not_done[i])) + "</span>")
            elif a is None:
                st = self.tr("not started")
            elif a.status == "submitted":
                st = "<span style='color:#1b5e20'>" + self.tr("submitted") + "</span>"
            else:
                st = (self.tr("in progress (%1 of %2)").replace("%1", str(a.answered_count))
                      .replace("%2", str(a.total_items)))
            parts.append(f"<b>{name}</b>: {st}")
        self.instruments.setText(" &nbsp;·&nbsp; ".join(parts))

    def _selected(self) -> None:
        v = self.current_visit()
        self.kiosk_button.setEnabled(self._can_hand and v is not None and self.patient_id is not None)
        vid = None if v is None else v.id
        if vid is not None and vid != self._emitted:
            self.visit_selected.emit(vid)
        self._emitted = vid

    def _hand(self) -> None:
        v = self.current_visit()
        if v is not None and self.patient_id is not None:
            self.hand_to_kiosk.emit(self.patient_id, v.id)
