"""Load a stored clinician assessment into the form, and ask the reason when it is re-saved.

Storage refuses to change a saved assessment without a reason (``enter_clinical_assessment``
with ``data["reason"]``) and with a stale version (``expected_version``); the form keeps the
version it showed so a concurrent edit is caught.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from ui.nurse.view_data import CORRECTION_REASONS


def _pick(combo: QComboBox, value: Any) -> None:
    combo.setCurrentIndex(combo.findData(value) if value is not None else -1)


def clear_form(form: Any) -> None:
    """An empty form with the default units: nothing of the visit shown before stays (a unit
    chosen for another visit is never carried over)."""
    form.existing_version = None
    for name in form.lab_edits:
        form.lab_edits[name].clear()
        form.unit_combos[name].setCurrentIndex(0)
    for combo in (form.ascites, form.encephalopathy, form.vital, form.new_lesion,
                  *form.symptom_combos.values()):
        combo.setCurrentIndex(-1)
    for e in form.imaging_edits.values():
        e.clear()
    form.dialysis.setChecked(False)
    form.child_pugh_variant = "standard"
    form.sample_date.setDate(QDate.currentDate())
    form.death_date.setDate(QDate.currentDate())
    form.show_stored(None)
    form.recompute()


def fill_form(form: Any, stored: dict | None) -> None:
    """Show ``storage.services.clinical_assessment(...)`` (None → an empty form)."""
    clear_form(form)
    form.loaded_values = form.values()
    form.show_legacy_outcomes(bool(stored and (stored.get("imaging")
                                               or stored.get("vital_status"))))
    if not stored:
        return
    d = stored.get("sample_date")
    if d:
        form.sample_date.setDate(QDate(d.year, d.month, d.day))
    for name, entry in (stored.get("labs") or {}).items():
        if name in form.lab_edits:
            unit = entry.get("unit")
            form.set_lab(name, str(entry.get("value", "")),
                         unit if form.unit_combos[name].findData(unit) >= 0 else None)
    _pick(form.ascites, stored.get("ascites"))
    _pick(form.encephalopathy, stored.get("encephalopathy"))
    for key, combo in form.symptom_combos.items():
        _pick(combo, (stored.get("symptom_grades") or {}).get(key))
    _pick(form.vital, stored.get("vital_status"))       # typed: code + death_date (storage)
    death = stored.get("death_date")
    if death:
        form.death_date.setDate(QDate(death.year, death.month, death.day))
    imaging = stored.get("imaging") or {}
    for key, edit in form.imaging_edits.items():
        if imaging.get(key) is not None:
            edit.setText(str(imaging[key]))
    _pick(form.new_lesion, imaging.get("new_lesion_hcc"))
    form.dialysis.setChecked(stored.get("dialysis") is True)   # None: not recorded (pre-0004)
    form.child_pugh_variant = stored.get("child_pugh_variant") or "standard"
    form.existing_version = stored.get("version")
    form.show_stored(stored.get("derived") or {})      # what storage stored, not the preview
    form.recompute()
    form.loaded_values = form.values()   # a save with exactly these values changes nothing


class ChangeReasonDialog(QDialog):
    """A reason from the pick list AND a free-text explanation, both required."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clinical_reason_dialog")
        self.setWindowTitle(self.tr("Reason for changing the assessment"))
        self.setMinimumWidth(520)
        labels = {"transcription_error": self.tr("Transcription / entry error"),
                  "patient_clarified": self.tr("Patient clarified the answer"),
                  "wrong_patient_or_visit": self.tr("Entered for the wrong patient or visit"),
                  "source_document": self.tr("Corrected from the source document"),
                  "other": self.tr("Other (explain)")}
        self.reason = QComboBox()
        self.reason.setObjectName("clinical_reason")
        for key in CORRECTION_REASONS:
            self.reason.addItem(labels.get(key, key), key)
        self.reason.setCurrentIndex(-1)
        self.reason.setPlaceholderText(self.tr("— choose a reason —"))
        self.details = QPlainTextEdit()
        self.details.setObjectName("clinical_reason_details")
        self.details.setMaximumHeight(90)
        self.details.setPlaceholderText(self.tr("What changed and from which source (required)"))
        note = QLabel(self.tr("This assessment was saved before. The old values stay in the "
                              "audit trail; a signed visit will need a new signature."))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Details"), self.details)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("clinical_reason_ok")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.reason.currentIndexChanged.connect(self._validate)
        self.details.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        self.ok_button.setEnabled(self.reason.currentData() is not None
                                  and bool(self.details.toPlainText().strip()))

    def reason_text(self) -> str:
        return f"{self.reason.currentData()}: {self.details.toPlainText().strip()}"
