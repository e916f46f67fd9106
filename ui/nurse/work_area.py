"""The staff screen behind the login: patient list with filters on the left, the selected
patient's tabs (visits, clinical assessment, review, trends, audit) on the right.

Built on login and destroyed on logout by ``NurseMainWindow`` (ui/nurse/main_window.py), which
wires its signals to the backend.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout,
                               QWidget)

from ui.nurse.audit_view import AuditTrailWidget
from ui.nurse.clinical_form import ClinicalAssessmentForm
from ui.nurse.patient_table import (ALERT_COLUMN_PX, COL, PatientFilterProxy,
                                    PatientTableModel)
from ui.nurse.outcome_forms import OutcomeFormsWidget
from ui.nurse.patient_view import PatientTableView
from ui.nurse.review import ReviewWidget
from ui.nurse.visit_panel import VisitPanel

if TYPE_CHECKING:
    from ui.nurse.main_window import NurseMainWindow


class WorkArea(QWidget):
    """Everything behind the login; destroyed on logout so nothing of a patient stays on screen."""

    def __init__(self, window: "NurseMainWindow") -> None:
        super().__init__()
        self.setObjectName("work_area")
        w = window
        self.user_label = QLabel()
        self.user_label.setObjectName("user_label")
        self.logout_button = QPushButton(self.tr("Log out"))
        self.logout_button.setObjectName("logout_button")
        self.search = QLineEdit()
        self.search.setObjectName("patient_search")
        self.search.setPlaceholderText(self.tr("Search subject id or name"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(100)
        self.arm = QComboBox()
        self.arm.setObjectName("arm_filter")
        self.arm.addItem(self.tr("All arms"), None)
        for a in w.backend.arms:
            self.arm.addItem(a, a)
        self.alerts_only = QCheckBox(self.tr("Alerts"))
        self.alerts_only.setObjectName("alerts_filter")
        self.overdue_only = QCheckBox(self.tr("Overdue"))
        self.overdue_only.setObjectName("overdue_filter")
        self.enrol_button = QPushButton(self.tr("Enrol patient…"))
        self.enrol_button.setObjectName("enrol_button")
        self.model = PatientTableModel()
        self.proxy = PatientFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.table = PatientTableView()     # sized by the rows on screen + the widest
        self.table.setObjectName("patient_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the alert column (third) keeps a fixed width and elides its reason (tooltip in full)
        self.table.horizontalHeader().setSectionResizeMode(COL["alert"],
                                                           QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(COL["alert"], ALERT_COLUMN_PX)
        # selection is owned by the user: a filter, a search or a reload never opens a patient
        self.open_patient_id: int | None = None
        self.resyncing = False            # True while the list changes under the selection
        self.search.textChanged.connect(lambda t: self.refilter(self.proxy.set_search, t))
        self.arm.currentIndexChanged.connect(
            lambda: self.refilter(self.proxy.set_arm, self.arm.currentData()))
        self.alerts_only.toggled.connect(lambda on: self.refilter(self.proxy.set_alerts_only, on))
        self.overdue_only.toggled.connect(
            lambda on: self.refilter(self.proxy.set_overdue_only, on))

        self.patient_header = QLabel(self.tr("Select a patient."))
        self.patient_header.setObjectName("patient_header")
        f = self.patient_header.font()
        f.setPointSize(f.pointSize() + 3)
        f.setBold(True)
        self.patient_header.setFont(f)
        # names the patient AND the visit the tabs show, whichever tab is open
        self.visit_context = QLabel(self.tr("Select a patient."))
        self.visit_context.setObjectName("visit_context")
        self.visit_context.setWordWrap(True)
        self.visits = VisitPanel()
        self.clinical = ClinicalAssessmentForm()
        self.outcomes = OutcomeFormsWidget()
        self.review = ReviewWidget()
        # pyqtgraph is loaded here, after the login, never before the login screen (issue 16)
        from ui.nurse.trends import TrendsWidget
        self.trends = TrendsWidget()
        self.audit = AuditTrailWidget()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("patient_tabs")
        self.tabs.addTab(self.visits, self.tr("Visits"))
        self.tabs.addTab(self.clinical, self.tr("Clinical assessment"))
        self.tabs.addTab(self.outcomes, self.tr("Outcome forms"))
        self.tabs.addTab(self.review, self.tr("Review"))
        self.tabs.addTab(self.trends, self.tr("Trends"))
        self.tabs.addTab(self.audit, self.tr("Audit trail"))

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.arm)
        filters.addWidget(self.alerts_only)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("patient_list_hint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #555; padding: 6px;")
        self.empty_hint.hide()
        ll.addWidget(self.search)
        ll.addLayout(filters)
        ll.addWidget(self.empty_hint)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.enrol_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.patient_header)
        self.filter_note = QLabel(self.tr("This patient is hidden by the list's filter or search; "
                                          "their record stays open here."))
        self.filter_note.setObjectName("filter_note")
        self.filter_note.setWordWrap(True)
        self.filter_note.hide()
        rl.addWidget(self.filter_note)
        rl.addWidget(self.visit_context)
        rl.addWidget(self.tabs, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([600, 680])      # every list column visible at 1280 px
        top = QHBoxLayout()
        top.addWidget(self.user_label, 1)
        top.addWidget(self.logout_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)

    # -- which patient and visit the tabs show -----------------------------------------------
    def set_visit_context(self, subject_id: str, visit: Any) -> None:
        """"SH01-001 · Week 12 (day 85)" above the tabs, whichever tab is open, and as the visit
        tabs' tooltips; before a visit is chosen, the patient and "no visit selected". The tab
        titles stay short (a visit label such as "Baseline (before dose)" in three titles would
        push Trends and Audit trail out of view at 1280 px)."""
        if visit is None:
            text = self.tr("%1 · no visit selected").replace("%1", subject_id)
        else:
            name = self.visits.label_of(visit.code)      # the protocol's label, not the code
            text = (self.tr("%1 · %2 (day %3)").replace("%1", subject_id)
                    .replace("%2", name).replace("%3", str(visit.target_day)))
        self.visit_context.setText(text)
        self.visit_context.setToolTip(text)
        for tab in (self.clinical, self.review, self.outcomes):
            self.tabs.setTabToolTip(self.tabs.indexOf(tab), text)
        self.clinical.setAccessibleDescription(text)
        self.review.setAccessibleDescription(text)

    # -- selection owned by the user --------------------------------------------------------
    def refilter(self, change: Callable[[Any], None], value: Any) -> None:
        """Apply a filter/search/reload ``change`` without opening anybody: the selection goes
        back to the open patient, or nowhere (with a note) when the filter hides them."""
        self.resyncing = True
        try:
            change(value)
            self.sync_selection()
        finally:
            self.resyncing = False
        self.update_empty_hint()

    def update_empty_hint(self) -> None:
        """An empty study says how to start; a filter that hides everyone says so."""
        if self.model.rowCount() == 0:
            self.empty_hint.setText(self.tr("No patients yet — click “Enrol patient…” to "
                                            "start."))
        elif self.proxy.rowCount() == 0:
            self.empty_hint.setText(self.tr("No patient matches the search or filter."))
        self.empty_hint.setVisible(self.proxy.rowCount() == 0)

    def proxy_row_of(self, patient_id: int | None) -> int | None:
        row = None if patient_id is None else self.model.position_of(patient_id)
        if row is None:
            return None
        index = self.proxy.mapFromSource(self.model.index(row, 0))    # invalid: filtered out
        return index.row() if index.isValid() else None

    def sync_selection(self) -> None:
        sel = self.table.selectionModel()
        r = self.proxy_row_of(self.open_patient_id)
        was = sel.blockSignals(True)
        try:
            if r is None:
                sel.clear()
            else:
                sel.setCurrentIndex(self.proxy.index(r, 0),
                                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                                    | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            sel.blockSignals(was)
        self.table.viewport().update()
        self.filter_note.setVisible(self.open_patient_id is not None and r is None)
