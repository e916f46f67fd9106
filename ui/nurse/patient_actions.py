"""Patient-level actions of the staff window, above the visit list: "Correct arm…"
(investigators; a nurse is told who may) and "Add visit…" (early termination or unscheduled,
with date and reason). Input comes from ui/nurse/patient_dialogs.py, the change goes through
``VisitActions`` (storage services: role checked, audited with the reason); the screens then
show what storage stored (the patient and the visit list are loaded again).

Also names visits by the protocol's label in the visit list, the tab titles and the sign dialog.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton

from forms.errors import UserError
from storage.services import PermissionDenied
from ui.nurse.audit_view import refresh_patient_panes
from ui.nurse.patient_dialogs import AddVisitDialog, ArmCorrectionDialog
from ui.nurse.visit_actions import VisitActions
from ui.widgets.errors import error_text
from ui.widgets.tasks import run_task

if TYPE_CHECKING:
    from ui.nurse.main_window import NurseMainWindow


class PatientActions(QObject):
    arm_corrected = Signal(int)          # patient id, after storage stored the new arm
    visit_added = Signal(int)            # visit id, once the list shows it (selected)

    def __init__(self, win: "NurseMainWindow") -> None:
        super().__init__(win.work)       # destroyed with the work area at logout
        self.setObjectName("patient_actions")
        self.win = win
        self.actions = VisitActions(win.backend.db)
        self.arm_dialog: ArmCorrectionDialog | None = None
        self.visit_dialog: AddVisitDialog | None = None
        panel = win.work.visits
        panel.label_of = self.actions.visit_label
        panel.battery_of = self.actions.visit_battery
        self.arm_button = QPushButton(self.tr("Correct arm…"))
        self.arm_button.setObjectName("correct_arm_button")
        self.arm_button.setToolTip(self.tr("Investigators correct the arm of a patient, with a "
                                           "reason (audited)."))
        self.arm_button.clicked.connect(self.open_arm_correction)
        self.visit_button = QPushButton(self.tr("Add visit…"))
        self.visit_button.setObjectName("add_visit_button")
        self.visit_button.setToolTip(self.tr("Add an unscheduled or the early-termination "
                                             "visit, with its date and reason."))
        self.visit_button.clicked.connect(self.open_add_visit)
        panel.add_patient_button(self.visit_button)
        panel.add_patient_button(self.arm_button)

    def _refuse(self, text: str) -> None:
        self.win.statusBar().showMessage(text, 15000)
        self.win.action_failed.emit(text)

    def _refused_text(self, exc: BaseException) -> str:
        if isinstance(exc, PermissionDenied):
            return self.tr("Your role may not do this; nothing was changed.")
        if isinstance(exc, UserError):
            return error_text(exc)
        return self.tr("Something went wrong; nothing was changed. Try again; if it happens "
                       "again, tell the site administrator.")

    # -- arm ---------------------------------------------------------------------------------
    def open_arm_correction(self) -> ArmCorrectionDialog | None:
        info = self.win.patient_info
        if info is None:
            return None
        if not self.win.can("correct_arm"):
            self._refuse(self.tr("Only an investigator can correct a patient's arm; nothing "
                                 "was changed. Ask the study's investigator."))
            return None
        arms = self.actions.arms()
        current = next((a for a in arms if a.id == info.arm), None)
        dlg = ArmCorrectionDialog(info.subject_id, current, arms, self.win)
        dlg.buttons.accepted.disconnect()
        dlg.buttons.accepted.connect(lambda: self._correct_arm(dlg, info.id))
        dlg.open()
        self.arm_dialog = dlg
        return dlg

    def _correct_arm(self, dlg: ArmCorrectionDialog, patient_id: int) -> None:
        try:
            self.actions.correct_arm(self.win.actor, patient_id, dlg.arm_id() or "",
                                     dlg.reason_text())
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, nothing changed
            dlg.message.setText(self._refused_text(exc))
            self.win.action_failed.emit(dlg.message.text())
            return
        dlg.accept()
        self.win.statusBar().showMessage(self.tr("Arm corrected; the change and its reason are "
                                                 "in the audit trail."), 8000)
        self.win.reload_patients()
        self.win.select_patient(patient_id)      # header and panes show the stored arm
        self.arm_corrected.emit(patient_id)

    # -- on-demand visits --------------------------------------------------------------------
    def open_add_visit(self) -> AddVisitDialog | None:
        info = self.win.patient_info
        if info is None or self.win.work is None:
            return None
        if not self.win.can("schedule_visit"):
            self._refuse(self.tr("Your role may not add visits; nothing was changed."))
            return None
        codes = {v.code for v in self.win.work.visits.visits}
        dlg = AddVisitDialog(info.subject_id, self.actions.on_demand_kinds(codes), date.today(),
                             self.win)
        dlg.buttons.accepted.disconnect()
        dlg.buttons.accepted.connect(lambda: self._add_visit(dlg, info.id))
        dlg.open()
        self.visit_dialog = dlg
        return dlg

    def _add_visit(self, dlg: AddVisitDialog, patient_id: int) -> None:
        try:
            visit_id = self.actions.add_visit(self.win.actor, patient_id, dlg.kind_value() or "",
                                              dlg.visit_date(), dlg.reason_text())
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, nothing added
            dlg.message.setText(self._refused_text(exc))
            self.win.action_failed.emit(dlg.message.text())
            return
        dlg.accept()
        work, backend = self.win.work, self.win.backend

        def shown(visits: list) -> None:
            if self.win.work is not work or self.win.patient_id != patient_id:
                return                            # another patient was opened meanwhile
            work.visits.set_visits(patient_id, visits)
            work.visits.select_id(visit_id)       # its questionnaires and forms open
            added = next((v for v in visits if v.id == visit_id), None)
            if added is not None:
                self.win.statusBar().showMessage(self.tr("Visit added: %1.").replace(
                    "%1", self.actions.visit_label(added.code)), 8000)
            self.visit_added.emit(visit_id)
        run_task(lambda: backend.patient_visits(patient_id), shown, self.win._fail,
                 receiver=work)
        refresh_patient_panes(self.win)
        self.win.reload_patients()


def attach_patient_actions(win: Any) -> PatientActions:
    """Called after login (the work area exists): the buttons and the visit names."""
    win.patient_actions = PatientActions(win)
    return win.patient_actions
