"""The visit's outcome forms (issue 15): imaging, focal lesion / HCC, vital status, early
termination, adverse events, infusion — rendered generically from ``forms.outcome_defs``.

Which forms a visit shows comes from the protocol's ``staff_forms`` of that visit
(``forms.outcomes.visit_outcome_kinds``). Messages while typing come from the same check storage
runs on save (``forms.outcomes.check_outcome``); alerts are decided by storage, never here. A
stored record is corrected with a reason (audited). Field labels, units and codes are shown in
the GUI language; no internal code reaches the screen.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from forms.errors import UserError
from forms.outcome_defs import FORMS, FieldDef, choice_label, field_label
from forms.outcomes import check_outcome, describe_outcome, problem_message
from ui.i18n import current_language
from ui.widgets.errors import user_message

RECORD_ROLE = 0x0100 + 7          # Qt.UserRole + 7: the record shown by a list row


def _placeholders() -> dict[str, str]:     # translated when a form is built
    tr = QCoreApplication.translate
    return {"date": tr("OutcomeFormsWidget", "YYYY-MM-DD"),
            "time": tr("OutcomeFormsWidget", "HH:MM")}


class _Field:
    """One input built from a field definition; ``value()`` gives what the user typed (text,
    a code, a list of codes, or None) for ``check_outcome`` to judge."""

    def __init__(self, fdef: FieldDef, lang: str, changed: Callable[[], None]) -> None:
        self.fdef = fdef
        self.boxes: list[QCheckBox] = []
        if fdef.type == "choice":
            w = QComboBox()
            w.addItem("", None)
            for code in fdef.choices:
                w.addItem(choice_label(fdef, code, lang), code)
            w.currentIndexChanged.connect(changed)
            self.widget: QWidget = w
        elif fdef.type == "choices":
            w = QWidget()
            lay = QHBoxLayout(w)
            lay.setContentsMargins(0, 0, 0, 0)
            for code in fdef.choices:
                box = QCheckBox(choice_label(fdef, code, lang))
                box.setProperty("code", code)
                box.toggled.connect(changed)
                lay.addWidget(box)
                self.boxes.append(box)
            lay.addStretch(1)
            self.widget = w
        else:
            w = QLineEdit()
            w.setPlaceholderText(_placeholders().get(fdef.type, ""))
            w.setMaxLength(fdef.max_len if fdef.type == "text" else 32)
            w.textChanged.connect(changed)
            self.widget = w
        self.widget.setObjectName(f"outcome_{fdef.key}")
        self.widget.setAccessibleName(field_label(fdef, lang))

    def value(self) -> Any:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if self.boxes:
            return [b.property("code") for b in self.boxes if b.isChecked()]
        assert isinstance(w, QLineEdit)
        return w.text().strip() or None

    def set_value(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)) if value is not None else 0)
        elif self.boxes:
            for b in self.boxes:
                b.setChecked(b.property("code") in (value or ()))
        else:
            assert isinstance(w, QLineEdit)
            w.setText("" if value is None else str(value))


class OutcomeFormsWidget(QWidget):
    """The outcome-forms tab of the patient pane."""
    saved = Signal(int)                   # record id after a save or correction
    failed = Signal(str)                  # storage refused: its message, shown under the form

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("outcome_forms")
        self.backend: Any = None
        self.actor: Any = None
        self.patient_id: int | None = None
        self.visit_id: int | None = None
        self.consent: date | None = None
        self.editing: Any = None           # the stored record being corrected, or None
        self.fields: list[_Field] = []
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("outcome_kind")
        self.new_button = QPushButton(self.tr("New entry"))
        self.new_button.setObjectName("outcome_new")
        self.records = QListWidget()
        self.records.setObjectName("outcome_records")
        self.records.setMaximumHeight(140)
        self.records.setWordWrap(True)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.problems = QLabel()
        self.problems.setObjectName("outcome_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #a00000;")
        self.reason = QLineEdit()
        self.reason.setObjectName("outcome_reason")
        self.reason.setPlaceholderText(self.tr("Reason for the change (required)"))
        self.reason.hide()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("outcome_save")
        self.empty = QLabel(self.tr("This visit has no outcome forms in the protocol."))
        self.empty.setObjectName("outcome_empty")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Form")))
        top.addWidget(self.kind_box, 1)
        top.addWidget(self.new_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.empty)
        lay.addWidget(QLabel(self.tr("Entered at this visit")))
        lay.addWidget(self.records)
        lay.addWidget(self.form_host, 1)
        lay.addWidget(self.problems)
        lay.addWidget(self.reason)
        lay.addWidget(self.save_button)
        self.kind_box.currentIndexChanged.connect(lambda: self._show_form(None))
        self.new_button.clicked.connect(lambda: self._show_form(None))
        self.records.itemActivated.connect(self._edit_item)
        self.records.itemClicked.connect(self._edit_item)
        self.save_button.clicked.connect(self.save)

    # -- context -------------------------------------------------------------------------------
    def set_visit(self, backend: Any, actor: Any, patient: Any, visit: Any, *,
                  read_only: bool) -> None:
        """Show the outcome forms of ``visit`` (the protocol's staff forms) and its records."""
        self.backend, self.actor = backend, actor
        self.patient_id, self.visit_id = patient.id, visit.id
        self.consent = getattr(patient, "consent_date", None)
        kinds = backend.visit_outcome_kinds(visit.code)
        lang = current_language()
        was = self.kind_box.blockSignals(True)
        self.kind_box.clear()
        for kind in kinds:
            self.kind_box.addItem(FORMS[kind].label.get(lang) or FORMS[kind].label["en"], kind)
        self.kind_box.blockSignals(was)
        for w in (self.kind_box, self.new_button, self.records, self.form_host):
            w.setVisible(bool(kinds))
        self.empty.setVisible(not kinds)
        self.save_button.setVisible(bool(kinds) and not read_only)
        self._reload()
        self._show_form(None)

    def _reload(self) -> None:
        lang = current_language()
        self.records.clear()
        for rec in self.backend.outcome_records(self.patient_id, self.visit_id):
            label, text = describe_outcome(rec.kind, rec.fields, lang)
            item = QListWidgetItem(f"{label}: {text}")
            item.setToolTip(text)
            item.setData(RECORD_ROLE, rec)
            self.records.addItem(item)

    # -- the form ------------------------------------------------------------------------------
    def _show_form(self, record: Any) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = []
        self.editing = record
        kind = record.kind if record is not None else self.kind_box.currentData()
        if record is not None:                 # the form chooser names what is corrected
            was = self.kind_box.blockSignals(True)
            self.kind_box.setCurrentIndex(self.kind_box.findData(record.kind))
            self.kind_box.blockSignals(was)
        self.reason.setVisible(record is not None)
        self.reason.clear()
        if kind is None:
            self.problems.clear()
            return
        lang = current_language()
        for fdef in FORMS[kind].fields:
            if fdef.key == "arm":              # the patient's arm: storage fills it
                continue
            f = _Field(fdef, lang, self._check)
            if record is not None:
                f.set_value(record.fields.get(fdef.key))
            self.fields.append(f)
            self.form.addRow(field_label(fdef, lang), f.widget)
        self._check()

    def _edit_item(self, item: QListWidgetItem) -> None:
        self._show_form(item.data(RECORD_ROLE))

    def kind(self) -> str | None:
        return self.editing.kind if self.editing is not None else self.kind_box.currentData()

    def values(self) -> dict[str, Any]:
        return {f.fdef.key: f.value() for f in self.fields}

    def _check(self) -> None:
        """Live messages: the same check storage runs on save (dates, ranges, orders)."""
        kind = self.kind()
        if kind is None:
            return
        _out, problems = check_outcome(kind, self.values(), consent_date=self.consent,
                                       today=date.today())
        lang = current_language()
        self.problems.setText("\n".join(problem_message(kind, p, lang) for p in problems))

    def field(self, key: str) -> _Field:
        return next(f for f in self.fields if f.fdef.key == key)

    def save(self) -> None:
        kind = self.kind()
        if kind is None or self.backend is None:
            return
        lang = current_language()
        try:
            if self.editing is None:
                rid = self.backend.record_outcome(self.actor, self.patient_id, kind,
                                                  self.values(), visit_id=self.visit_id,
                                                  lang=lang)
            else:
                rid = self.editing.id
                self.backend.correct_outcome(self.actor, rid, self.values(),
                                             self.reason.text(), lang=lang)
        except UserError as exc:          # storage refused: its message, in words
            self.problems.setText(user_message(str(exc)))
            self.failed.emit(user_message(str(exc)))
            return
        self._reload()
        self._show_form(None)
        self.saved.emit(rid)

