"""Patient-level dialogs: correct the arm (investigator, with a reason) and add an
early-termination or unscheduled visit (date and reason). Both only collect input; the window
(ui/nurse/patient_actions.py) sends it to storage, which checks the role and audits the change."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel, QPlainTextEdit, QVBoxLayout, QWidget)

from ui.nurse.visit_actions import ArmChoice, VisitKindChoice


def _reason_edit(name: str, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMaximumHeight(90)
    return edit


class InputDialog(QDialog):
    """OK only when every input is given; a message line for what storage refused."""

    def _finish(self, form: QFormLayout, note: str) -> None:
        info = QLabel(note)
        info.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName(self.objectName() + "_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        if note:
            lay.addWidget(info)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self._update()

    def ok_button(self):  # noqa: ANN201
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _update(self) -> None:
        self.ok_button().setEnabled(self._complete())

    def _complete(self) -> bool:
        raise NotImplementedError


class ArmCorrectionDialog(InputDialog):
    """Pick the arm the patient belongs to and say why (both required)."""

    def __init__(self, subject_id: str, current: ArmChoice | None, arms: list[ArmChoice],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arm_dialog")
        self.setWindowTitle(self.tr("Correct the patient's arm"))
        self.setMinimumWidth(520)
        self.arm = QComboBox()
        self.arm.setObjectName("arm_dialog_arm")
        for a in arms:
            if current is None or a.id != current.id:
                self.arm.addItem(a.label, a.id)
        self.arm.setCurrentIndex(-1)
        self.arm.setPlaceholderText(self.tr("— choose the arm —"))
        self.reason = _reason_edit("arm_dialog_reason", self.tr(
            "Why the arm is corrected, e.g. the allocation slot used in error (required)"))
        form = QFormLayout()
        form.addRow(self.tr("Patient"), QLabel(subject_id))
        form.addRow(self.tr("Current arm"), QLabel(current.label if current else "–"))
        form.addRow(self.tr("Correct arm"), self.arm)
        form.addRow(self.tr("Reason"), self.reason)
        self.arm.currentIndexChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self._finish(form, self.tr("The allocation record stays as drawn; the change and its "
                                   "reason are kept in the audit trail."))

    def _complete(self) -> bool:
        return self.arm.currentIndex() >= 0 and bool(self.reason_text())

    def arm_id(self) -> str | None:
        return self.arm.currentData()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()


class AddVisitDialog(InputDialog):
    """Kind (unscheduled / early termination, as the protocol names them), date and reason."""

    def __init__(self, subject_id: str, kinds: list[VisitKindChoice], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("add_visit_dialog")
        self.setWindowTitle(self.tr("Add a visit"))
        self.setMinimumWidth(520)
        self.kind = QComboBox()
        self.kind.setObjectName("add_visit_kind")
        for k in kinds:
            self.kind.addItem(k.label, k.kind)
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setObjectName("add_visit_date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.reason = _reason_edit("add_visit_reason", self.tr(
            "Why the visit takes place, e.g. a new symptom or the patient withdrew (required)"))
        form = QFormLayout()
        form.addRow(self.tr("Patient"), QLabel(subject_id))
        form.addRow(self.tr("Visit"), self.kind)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Reason"), self.reason)
        self.kind.currentIndexChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self._finish(form, self.tr("The visit gets the protocol's questionnaires and staff "
                                   "forms; the reason is kept in the audit trail."))

    def _complete(self) -> bool:
        return self.kind.currentIndex() >= 0 and bool(self.reason_text())

    def kind_value(self) -> str | None:
        return self.kind.currentData()

    def visit_date(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()
