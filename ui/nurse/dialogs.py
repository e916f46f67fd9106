"""Correction and signature dialogs (reliability.md §1: reason required; password re-entry)."""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget)

from ui.nurse.view_data import CORRECTION_REASONS, ReviewAnswer
from ui.widgets.timefmt import local_time_text

SIGN_MEANING = "reviewed and approved"


class CorrectDialog(QDialog):
    """Pick a new answer, a reason from the list AND a free-text explanation (both required)."""

    def __init__(self, answer: ReviewAnswer, options: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correct_dialog")
        self.setWindowTitle(self.tr("Correct an answer"))
        self.setMinimumWidth(560)
        self.answer = answer
        labels = {"transcription_error": self.tr("Transcription / entry error"),
                  "patient_clarified": self.tr("Patient clarified the answer"),
                  "wrong_patient_or_visit": self.tr("Entered for the wrong patient or visit"),
                  "source_document": self.tr("Corrected from the source document"),
                  "other": self.tr("Other (explain)")}
        item = QLabel(f"<b>{answer.number}.</b> {answer.text}")
        item.setWordWrap(True)
        current = QLabel(answer.answer or self.tr("(not answered)"))
        self.new_answer = QComboBox()
        self.new_answer.setObjectName("correct_new_answer")
        for code, label in options:
            self.new_answer.addItem(f"{label} ({code})", code)
        self.new_answer.setCurrentIndex(-1)
        self.new_answer.setPlaceholderText(self.tr("— choose —"))
        self.reason = QComboBox()
        self.reason.setObjectName("correct_reason")
        for key in CORRECTION_REASONS:
            self.reason.addItem(labels[key], key)
        self.reason.setCurrentIndex(-1)
        self.reason.setPlaceholderText(self.tr("— choose a reason —"))
        self.details = QPlainTextEdit()
        self.details.setObjectName("correct_details")
        self.details.setPlaceholderText(self.tr("Explain the correction and name the source "
                                                "(required)"))
        self.details.setMaximumHeight(90)
        form = QFormLayout()
        form.addRow(self.tr("Item"), item)
        form.addRow(self.tr("Current answer"), current)
        form.addRow(self.tr("New answer"), self.new_answer)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Details"), self.details)
        note = QLabel(self.tr("The original answer is kept in the audit trail. A signed visit "
                              "will need a new signature."))
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("correct_ok")
        self.ok_button.setText(self.tr("Save correction"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.buttons)
        for sig in (self.new_answer.currentIndexChanged, self.reason.currentIndexChanged,
                    self.details.textChanged):
            sig.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        code = self.new_answer.currentData()
        ok = (code is not None and code != self.answer.code
              and self.reason.currentData() is not None
              and bool(self.details.toPlainText().strip()))
        self.ok_button.setEnabled(ok)

    def new_code(self) -> int | None:
        return self.new_answer.currentData()

    def reason_text(self) -> str:
        """Stored reason: '<pick-list key>: <free text>'."""
        return f"{self.reason.currentData()}: {self.details.toPlainText().strip()}"


class SignDialog(QDialog):
    """The investigator re-enters the password (and, at the first signature since login, the
    user ID: 21 CFR 11.200(a)(1), which storage enforces); the meaning is stated and stored."""

    def __init__(self, signer_name: str, subject_id: str, visit_code: str,
                 parent: QWidget | None = None, *, needs_user_id: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("sign_dialog")
        self.setWindowTitle(self.tr("Sign visit"))
        self.setMinimumWidth(560)
        statement = QLabel(self.tr("I, %1, have reviewed the data of visit %2 for subject %3 and "
                                   "approve them. Meaning of this signature: %4.")
                           .replace("%1", signer_name).replace("%2", visit_code)
                           .replace("%3", subject_id).replace("%4", self.tr(SIGN_MEANING)))
        statement.setObjectName("sign_statement")
        statement.setWordWrap(True)
        self.meaning = QComboBox()
        self.meaning.setObjectName("sign_meaning")
        self.meaning.addItem(self.tr(SIGN_MEANING), SIGN_MEANING)
        self.user_id = QLineEdit()
        self.user_id.setObjectName("sign_user_id")
        self.user_id.setMaxLength(64)
        self.user_id.setAccessibleName(self.tr("User ID"))
        self.password = QLineEdit()
        self.password.setObjectName("sign_password")
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        now = QLabel(local_time_text(datetime.now(timezone.utc), seconds=False))
        form = QFormLayout()
        form.addRow(self.tr("Signer"), QLabel(signer_name))
        form.addRow(self.tr("Time (now)"), now)
        form.addRow(self.tr("Meaning"), self.meaning)
        self.user_id_label = QLabel(self.tr("User ID"))
        form.addRow(self.user_id_label, self.user_id)
        form.addRow(self.tr("Password"), self.password)
        self.first_note = QLabel(self.tr("First signature since you logged in: enter your user "
                                         "ID and password. Later signatures in this session "
                                         "need the password only."))
        self.first_note.setObjectName("sign_first_note")
        self.first_note.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("sign_message")
        self.message.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("sign_ok")
        self.ok_button.setText(self.tr("Sign"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(statement)
        lay.addLayout(form)
        lay.addWidget(self.first_note)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.password.textChanged.connect(self._validate)
        self.user_id.textChanged.connect(self._validate)
        self.set_needs_user_id(needs_user_id)

    def set_needs_user_id(self, needed: bool) -> None:
        """Show the user ID field (first signature of the session) or not (password only)."""
        self.needs_user_id = needed
        for w in (self.user_id_label, self.user_id, self.first_note):
            w.setVisible(needed)
        (self.user_id if needed else self.password).setFocus()
        self._validate()

    def _validate(self) -> None:
        self.ok_button.setEnabled(bool(self.password.text()) and (
            not self.needs_user_id or bool(self.user_id.text().strip())))

    def user_id_value(self) -> str | None:
        return self.user_id.text().strip() or None if self.needs_user_id else None

    def meaning_value(self) -> str:
        return self.meaning.currentData()
