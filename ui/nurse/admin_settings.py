"""Admin: stations (register, deactivate) and study settings (primary SF-36 scoring, idle times)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from forms.errors import UserError
from forms.registry import PRIMARY_SCORINGS
from ui.i18n import current_language
from ui.nurse.admin_common import RowsModel, reason_edit
from ui.nurse.admin_users import AdminUsersWidget
from ui.widgets.errors import user_message
from ui.widgets.timefmt import local_time_text


def _show(label: QLabel, ok: bool, text: str) -> None:
    label.setStyleSheet("color: #1b5e20;" if ok else "color: #b00020;")
    label.setText(text)


class AdminStationsWidget(QWidget):
    def __init__(self, db: Any, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_stations")
        self.db, self.actor = db, actor
        kinds = {"kiosk": self.tr("patient kiosk"), "workstation": self.tr("staff workstation")}
        self.model = RowsModel([
            (self.tr("Station id"), lambda s: s.code),
            (self.tr("Kind"), lambda s: kinds.get(s.kind, s.kind)),
            (self.tr("Status"), lambda s: self.tr("active") if s.active else self.tr("inactive")),
            (self.tr("Registered"), lambda s: local_time_text(s.registered_at, seconds=False))])
        self.table = QTableView()
        self.table.setObjectName("admin_stations_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.code = QLineEdit()
        self.code.setObjectName("admin_station_code")
        self.code.setMaxLength(64)
        self.code.setPlaceholderText(self.tr("e.g. kiosk-ward3 (the kiosk shows its id)"))
        self.kind = QComboBox()
        self.kind.setObjectName("admin_station_kind")
        for k in ("kiosk", "workstation"):
            self.kind.addItem(kinds[k], k)
        self.register_button = QPushButton(self.tr("Register station"))
        self.register_button.setObjectName("admin_register_station")
        self.register_button.clicked.connect(self._register)
        self.reason = reason_edit("admin_station_reason", self.tr("Reason (to deactivate)"))
        self.deactivate_button = QPushButton(self.tr("Deactivate"))
        self.deactivate_button.setObjectName("admin_station_deactivate")
        self.deactivate_button.clicked.connect(self._deactivate)
        add = QHBoxLayout()
        add.addWidget(self.code, 2)
        add.addWidget(self.kind, 1)
        add.addWidget(self.register_button)
        off = QHBoxLayout()
        off.addWidget(self.reason, 1)
        off.addWidget(self.deactivate_button)
        self.message = QLabel()
        self.message.setObjectName("admin_stations_message")
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(off)
        lay.addLayout(add)
        lay.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        from storage.services import list_stations
        self.model.set_rows(list_stations(self.db, self.actor))

    def _register(self) -> None:
        from storage.services import register_station
        try:
            register_station(self.db, self.actor, code=self.code.text(),
                             kind=self.kind.currentData())
        except UserError as exc:
            return _show(self.message, False, user_message(str(exc)))
        self.code.clear()
        _show(self.message, True, self.tr("Station registered."))
        self.reload()

    def _deactivate(self) -> None:
        from storage.services import set_station_active
        idx = self.table.currentIndex()
        try:
            if not idx.isValid():
                raise UserError(self.tr("Select a station first."))
            set_station_active(self.db, self.actor, self.model.rows[idx.row()].id, False,
                               reason=self.reason.text())
        except UserError as exc:
            return _show(self.message, False, user_message(str(exc)))
        self.reason.clear()
        _show(self.message, True, self.tr("Station deactivated."))
        self.reload()


class StudySettingsWidget(QWidget):
    saved = Signal(object)        # StudySettings

    def __init__(self, db: Any, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_settings")
        self.db, self.actor = db, actor
        self.study = QLabel()
        self.study.setObjectName("admin_study")
        self.study.setWordWrap(True)
        self.scoring = QComboBox()
        self.scoring.setObjectName("admin_scoring")
        lang = current_language()
        for option in PRIMARY_SCORINGS:          # the scoring-algorithm choices (forms.registry)
            self.scoring.addItem(option.label.get(lang) or option.label["en"], option.id)
        self.staff_idle = QSpinBox()
        self.staff_idle.setObjectName("admin_staff_idle")
        self.staff_idle.setRange(1, 60)
        self.staff_idle.setSuffix(self.tr(" min"))
        self.kiosk_idle = QSpinBox()
        self.kiosk_idle.setObjectName("admin_kiosk_idle")
        self.kiosk_idle.setRange(30, 900)
        self.kiosk_idle.setSuffix(self.tr(" s"))
        self.auto_advance = QCheckBox(self.tr("After a tapped answer, go on to the next question "
                                              "by itself"))
        self.auto_advance.setObjectName("admin_kiosk_auto_advance")
        self.reason = reason_edit("admin_settings_reason", self.tr("Reason for the change "
                                                                   "(required)"))
        self.save_button = QPushButton(self.tr("Save settings"))
        self.save_button.setObjectName("admin_save_settings")
        self.save_button.clicked.connect(self._save)
        self.message = QLabel()
        self.message.setObjectName("admin_settings_message")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Study"), self.study)
        form.addRow(self.tr("Primary SF-36 scoring"), self.scoring)
        form.addRow(self.tr("Staff idle logout after"), self.staff_idle)
        form.addRow(self.tr("Kiosk asks “Are you still there?” after"), self.kiosk_idle)
        form.addRow(self.tr("Kiosk answers"), self.auto_advance)
        form.addRow(self.tr("Reason"), self.reason)
        note = QLabel(self.tr("Both SF-36 scorings are always stored; the primary one is shown "
                              "first on screens and reports. New idle times apply at the next "
                              "start of the app."))
        note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.save_button)
        lay.addWidget(self.message)
        lay.addStretch(1)
        self.reload()

    def reload(self) -> None:
        from storage.services import study_settings
        st = study_settings(self.db)
        self.study.setText(f"{st.protocol_id} — {st.title}")
        self.scoring.setCurrentIndex(self.scoring.findData(st.primary_sf36_scoring))
        self.staff_idle.setValue(st.staff_idle_minutes)
        self.kiosk_idle.setValue(st.kiosk_idle_seconds)
        self.auto_advance.setChecked(st.kiosk_auto_advance)

    def _save(self) -> None:
        from storage.services import update_study_settings
        try:
            st = update_study_settings(self.db, self.actor,
                                       primary_sf36_scoring=self.scoring.currentData(),
                                       staff_idle_minutes=self.staff_idle.value(),
                                       kiosk_idle_seconds=self.kiosk_idle.value(),
                                       kiosk_auto_advance=self.auto_advance.isChecked(),
                                       reason=self.reason.text())
        except UserError as exc:
            return _show(self.message, False, user_message(str(exc)))
        self.reason.clear()
        _show(self.message, True, self.tr("Settings saved (recorded in the audit trail)."))
        self.saved.emit(st)


class AdminPanel(QTabWidget):
    """What an administrator sees instead of the patient screens."""

    def __init__(self, db: Any, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_panel")
        self.users = AdminUsersWidget(db, actor)
        self.stations = AdminStationsWidget(db, actor)
        self.settings = StudySettingsWidget(db, actor)
        self.addTab(self.users, self.tr("Users"))
        self.addTab(self.stations, self.tr("Stations"))
        self.addTab(self.settings, self.tr("Study settings"))
