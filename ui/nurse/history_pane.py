"""The Review tab's history pane: the whole story of the selected value, in the GUI language.

What it shows comes from ONE storage read (``storage.services.value_history``): as entered (by
the patient at the kiosk, or by staff for the clinician assessment) with the time, each
correction (who, role, when, reason, old → new) and the current value. Values are shown as the
screen's labels (option labels, grade names), never as stored codes; the caller passes the
function that turns a stored value into its label.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from storage.services import ValueHistory
from ui.nurse.view_data import CORRECTION_REASONS
from ui.widgets.timefmt import local_time_text

#: the correction dialog's pick-list labels (its translation context, one set of strings)
_REASON_LABELS = {"transcription_error": "Transcription / entry error",
                  "patient_clarified": "Patient clarified the answer",
                  "wrong_patient_or_visit": "Entered for the wrong patient or visit",
                  "source_document": "Corrected from the source document",
                  "other": "Other (explain)"}


def reason_text(stored: str | None) -> str:
    """A stored reason ``"<pick-list key>: <free text>"`` as the user reads it: the pick-list
    label in the GUI language, then the free text (never the key)."""
    if not stored:
        return ""
    key, sep, rest = stored.partition(":")
    if sep and key in CORRECTION_REASONS:
        label = QCoreApplication.translate("CorrectDialog", _REASON_LABELS[key])
        return f"{label}: {rest.strip()}" if rest.strip() else label
    return stored


def role_text(role: str | None) -> str:
    return {"nurse": QCoreApplication.translate("ValueHistoryPane", "study nurse"),
            "investigator": QCoreApplication.translate("ValueHistoryPane", "investigator"),
            "admin": QCoreApplication.translate("ValueHistoryPane", "administrator"),
            }.get(role or "", role or "")


class ValueHistoryPane(QListWidget):
    """One line per step of the selected value's story (word-wrapped, selectable text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_history")
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setAlternatingRowColors(True)

    def lines(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def show_history(self, h: ValueHistory | None, label: Callable[[Any], str],
                     *, by_patient_text: bool = True) -> None:
        """``label``: stored value -> its text on screen."""
        self.clear()
        if h is None:
            self._add(self.tr("Nothing stored for this value."))
            return
        when = local_time_text(h.entered_at)
        if h.entered_by is None and by_patient_text:
            first = self.tr("As entered by the patient: %1 — %2").replace(
                "%1", label(h.entered)).replace("%2", when)
        else:
            first = (self.tr("As entered by %1 (%2): %3 — %4")
                     .replace("%1", h.entered_by or "").replace("%2", role_text(h.entered_role))
                     .replace("%3", label(h.entered)).replace("%4", when))
        self._add(first)
        for c in h.changes:
            self._add(self.tr("Corrected by %1 (%2) on %3: %4 → %5. Reason: %6")
                      .replace("%1", c.actor_username or "").replace("%2", role_text(c.actor_role))
                      .replace("%3", local_time_text(c.at)).replace("%4", label(c.old))
                      .replace("%5", label(c.new)).replace("%6", reason_text(c.reason)),
                      red=True)
        if not h.changes:
            self._add(self.tr("No changes after submission."))
        self._add(self.tr("Current: %1").replace("%1", label(h.current)), bold=True)

    def _add(self, text: str, *, bold: bool = False, red: bool = False) -> None:
        it = QListWidgetItem(text)
        if bold:
            f = it.font()
            f.setBold(True)
            it.setFont(f)
        if red:
            it.setForeground(Qt.GlobalColor.darkRed)
        self.addItem(it)
