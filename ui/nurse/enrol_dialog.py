"""Enrol dialog: the raw screening inputs of the study's protocol, a live preview, the override.

The preview is ``forms.enrolment.screen_raw`` (Child-Pugh/MELD from the screening labs through
``forms.liver``, every criterion through ``forms.screening``), the same function storage runs
again on save; the dialog sends only the raw inputs. Criterion texts and arm labels come from the
protocol in the GUI language; no criterion id is shown. In a randomised study there is no arm
picker: storage assigns the arm from the concealed allocation list.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget)

from forms.enrolment import SCREENING_LABS, RawScreening, Screened, screen_raw
from forms.errors import UserError
from forms.protocol import Protocol
from forms.screening import DECOMPENSATION_KINDS
from ui.i18n import current_language
from ui.nurse.clinical_form import LAB_UNITS
from ui.widgets.errors import user_message

MARKS = {True: ("✔", "color:#1b5e20"), False: ("✘", "color:#b00020"), None: ("?", "color:#777")}


class EnrolDialog(QDialog):
    """``result_data()`` after ``accept()``: the arguments of the enrolment service."""

    def __init__(self, protocol: Protocol, verify_investigator: Callable[[str, str], Any],
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrol_dialog")
        self.setWindowTitle(self.tr("Enrol a patient"))
        self.resize(1150, 780)
        self.protocol = protocol
        self.lang = current_language()
        self._verify = verify_investigator
        self._today = today or date.today()
        self.override_actor: Any = None
        self.screened: Screened | None = None
        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(self._patient(), 0, 0)
        grid.addWidget(self._labs(), 1, 0)
        grid.addWidget(self._screening(), 0, 1, 2, 1)
        grid.addWidget(self._override(), 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.status = QLabel()
        self.status.setObjectName("enrol_status")
        self.status.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("enrol_message")
        self.message.setStyleSheet("color:#b00020")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("enrol_ok")
        self.ok_button.setText(self.tr("Enrol"))
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.recompute()

    # -- building blocks -------------------------------------------------------------------
    def _text(self, texts: Any) -> str:
        return texts.get(self.lang) or texts.get("en") or ""

    def _date(self, name: str, d: date) -> QDateEdit:
        w = QDateEdit(QDate(d.year, d.month, d.day))
        w.setObjectName(name)
        w.setCalendarPopup(True)
        w.setDisplayFormat("yyyy-MM-dd")
        w.dateChanged.connect(self.recompute)
        return w

    def _edit(self, name: str, max_len: int) -> QLineEdit:
        e = QLineEdit()
        e.setObjectName(name)
        e.setMaxLength(max_len)
        e.textChanged.connect(self.recompute)
        return e

    def _choice(self, name: str, items: tuple[tuple[str, Any], ...]) -> QComboBox:
        c = QComboBox()
        c.setObjectName(name)
        for shown, data in items:
            c.addItem(shown, data)
        c.currentIndexChanged.connect(self.recompute)
        return c

    def _yes_no(self, name: str) -> QComboBox:
        return self._choice(name, ((self.tr("not known"), None), (self.tr("yes"), True),
                                   (self.tr("no"), False)))

    # -- sections --------------------------------------------------------------------------
    def _patient(self) -> QGroupBox:
        box = QGroupBox(self.tr("Patient"))
        f = QFormLayout(box)
        self.subject_id = self._edit("enrol_subject_id", 32)
        self.screening_number = self._edit("enrol_screening", 32)
        self.full_name = self._edit("enrol_full_name", 100)
        self.initials = self._edit("enrol_initials", 5)
        self.sex = self._choice("enrol_sex", ((self.tr("female"), "F"), (self.tr("male"), "M")))
        self.sex.setCurrentIndex(-1)
        self.sex.setPlaceholderText(self.tr("— choose —"))
        self.birth = self._date("enrol_birth_date", date(self._today.year - 50, 1, 1))
        self.consent = self._date("enrol_consent_date", self._today)
        self.screening_date = self._date("enrol_screening_date", self._today)
        self.day1 = self._date("enrol_day1", self._today)
        f.addRow(self.tr("Subject id"), self.subject_id)
        f.addRow(self.tr("Screening number"), self.screening_number)
        f.addRow(self.tr("Full name"), self.full_name)
        f.addRow(self.tr("Initials"), self.initials)
        f.addRow(self.tr("Sex"), self.sex)
        f.addRow(self.tr("Date of birth"), self.birth)
        f.addRow(self.tr("Consent date"), self.consent)
        f.addRow(self.tr("Screening date"), self.screening_date)
        f.addRow(self.tr("Day 1 (first infusion)"), self.day1)
        self.arm: QComboBox | None = None
        if self.protocol.allocation.method == "none":        # non-randomised: staff choose
            self.arm = self._choice("enrol_arm", tuple((self._text(a.label), a.id)
                                                       for a in self.protocol.arms))
            self.arm.setCurrentIndex(-1)
            self.arm.setPlaceholderText(self.tr("— choose —"))
            f.addRow(self.tr("Arm"), self.arm)
        else:
            note = QLabel(self.tr("Assigned from the concealed allocation list when the patient "
                                  "is enrolled."))
            note.setObjectName("enrol_arm_note")
            note.setWordWrap(True)
            f.addRow(self.tr("Arm"), note)
        return box

    def _labs(self) -> QGroupBox:
        box = QGroupBox(self.tr("Screening labs (Child-Pugh and MELD are computed)"))
        g = QGridLayout(box)
        self.lab_names = names = {
            "bilirubin": self.tr("Total bilirubin"), "albumin": self.tr("Albumin"),
            "inr": self.tr("INR"), "creatinine": self.tr("Creatinine"), "sodium": self.tr("Sodium")}
        self.lab_edits: dict[str, QLineEdit] = {}
        self.unit_combos: dict[str, QComboBox] = {}
        for r, n in enumerate(SCREENING_LABS):
            self.lab_edits[n] = self._edit(f"enrol_lab_{n}", 12)
            c = self._choice(f"enrol_unit_{n}", tuple((shown, uid) for uid, shown in LAB_UNITS[n]))
            c.setEnabled(c.count() > 1)
            self.unit_combos[n] = c
            g.addWidget(QLabel(names[n]), r, 0)
            g.addWidget(self.lab_edits[n], r, 1)
            g.addWidget(c, r, 2)
        self.ascites = self._choice("enrol_ascites", (
            (self.tr("not known"), None), (self.tr("none"), "none"), (self.tr("slight"), "slight"),
            (self.tr("moderate–severe"), "moderate")))
        self.he = self._choice("enrol_he", (
            (self.tr("not known"), None), (self.tr("none"), "none"),
            (self.tr("grade 1–2"), "grade1-2"), (self.tr("grade 3–4"), "grade3-4")))
        n = len(SCREENING_LABS)
        g.addWidget(QLabel(self.tr("Ascites")), n, 0)
        g.addWidget(self.ascites, n, 1, 1, 2)
        g.addWidget(QLabel(self.tr("Hepatic encephalopathy")), n + 1, 0)
        g.addWidget(self.he, n + 1, 1, 1, 2)
        self.scores_label = QLabel()
        self.scores_label.setObjectName("enrol_scores")
        self.scores_label.setWordWrap(True)
        g.addWidget(self.scores_label, n + 2, 0, 1, 3)
        return box

    def _screening(self) -> QGroupBox:
        box = QGroupBox(self.tr("Eligibility (protocol %1, version %2)")
                        .replace("%1", self.protocol.protocol_id)
                        .replace("%2", self.protocol.version))
        v = QVBoxLayout(box)
        inputs = QFormLayout()
        self.decompensated = self._yes_no("enrol_decompensated")
        kinds = {"ascites": self.tr("ascites"), "variceal_bleeding": self.tr("variceal bleeding"),
                 "encephalopathy": self.tr("encephalopathy"), "jaundice": self.tr("jaundice")}
        row = QHBoxLayout()
        self.kind_boxes: dict[str, QCheckBox] = {}
        for k in DECOMPENSATION_KINDS:
            cb = QCheckBox(kinds.get(k, k))
            cb.setObjectName(f"enrol_kind_{k}")
            cb.toggled.connect(self.recompute)
            self.kind_boxes[k] = cb
            row.addWidget(cb)
        self.life = self._yes_no("enrol_life_expectancy")
        self.hbv = self._yes_no("enrol_hbv")
        self.antiviral = self._yes_no("enrol_antiviral")
        inputs.addRow(self.tr("Decompensated cirrhosis"), self.decompensated)
        inputs.addRow(self.tr("Decompensation events"), row)
        inputs.addRow(self.tr("Expected lifetime over 2 months"), self.life)
        inputs.addRow(self.tr("Hepatitis B"), self.hbv)
        inputs.addRow(self.tr("On antiviral therapy"), self.antiviral)
        v.addLayout(inputs)
        self.excl_combos: dict[str, QComboBox] = {}
        self.crit_marks: dict[str, QLabel] = {}
        g = QGridLayout()
        g.setColumnStretch(1, 1)
        r = 0
        for title, crits in ((self.tr("Inclusion criteria (all must be met)"),
                              self.protocol.inclusion),
                             (self.tr("Exclusion criteria (none may apply) — does it apply?"),
                              self.protocol.exclusion)):
            head = QLabel(f"<b>{title}</b>")
            head.setWordWrap(True)
            g.addWidget(head, r, 0, 1, 3)
            r += 1
            for c in crits:
                mark = QLabel()
                mark.setObjectName(f"crit_mark_{c.id}")
                mark.setMinimumWidth(22)
                text = QLabel(self._text(c.text))
                text.setWordWrap(True)
                g.addWidget(mark, r, 0)
                g.addWidget(text, r, 1)
                self.crit_marks[c.id] = mark
                if c.kind == "exclusion":
                    self.excl_combos[c.id] = self._yes_no(f"excl_{c.id}")
                    g.addWidget(self.excl_combos[c.id], r, 2)
                r += 1
        v.addLayout(g)
        return box

    def _override(self) -> QGroupBox:
        box = QGroupBox(self.tr("Investigator override (only when not eligible or undetermined)"))
        box.setObjectName("enrol_override")
        f = QFormLayout(box)
        self.ov_user = QLineEdit()
        self.ov_user.setObjectName("override_user")
        self.ov_password = QLineEdit()
        self.ov_password.setObjectName("override_password")
        self.ov_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ov_reason = QPlainTextEdit()
        self.ov_reason.setObjectName("override_reason")
        self.ov_reason.setMaximumHeight(60)
        self.ov_reason.textChanged.connect(self.recompute)
        f.addRow(self.tr("Investigator user name"), self.ov_user)
        f.addRow(self.tr("Investigator password"), self.ov_password)
        f.addRow(self.tr("Reason for enrolling despite the screening result"), self.ov_reason)
        self.override_box = box
        return box

    # -- logic -------------------------------------------------------------------------------
    def raw_screening(self) -> RawScreening:
        decompensated = self.decompensated.currentData()
        for cb in self.kind_boxes.values():
            cb.setEnabled(decompensated is True)
        return RawScreening(
            screening_date=self.screening_date.date().toPython(),
            birth_date=self.birth.date().toPython(), consent_date=self.consent.date().toPython(),
            decompensated=decompensated,
            decompensation_kinds=tuple(k for k, cb in self.kind_boxes.items()
                                       if cb.isChecked() and decompensated is True),
            labs={n: {"value": e.text().strip(), "unit": self.unit_combos[n].currentData()}
                  for n, e in self.lab_edits.items() if e.text().strip()},
            ascites=self.ascites.currentData(), encephalopathy=self.he.currentData(),
            life_expectancy_over_2_months=self.life.currentData(), hbv=self.hbv.currentData(),
            antiviral=self.antiviral.currentData(),
            exclusions={cid: c.currentData() for cid, c in self.excl_combos.items()})

    def _criterion_texts(self, ids: tuple[str, ...]) -> str:
        texts = {c.id: self._text(c.text).rstrip(".。") for c in self.protocol.criteria}
        return ("；" if self.lang == "zh_CN" else "; ").join(texts[i] for i in ids)

    def recompute(self) -> None:
        if not hasattr(self, "ok_button"):
            return                                     # still building
        self.message.clear()
        try:
            self.screened = screen_raw(self.protocol, self.raw_screening(),
                                       self.sex.currentData())
        except UserError as exc:                       # e.g. birth after screening date
            self.screened = None
            self.message.setText(user_message(str(exc)))
            self.ok_button.setEnabled(False)
            return
        s = self.screened
        cp = "—" if s.child_pugh is None else f"{s.child_pugh} ({s.liver.child_pugh.child_class})"
        problems = "  ".join(f"{self.lab_names.get(p.field, p.field)} {p.value} {p.unit}: "
                             + self.tr("not plausible")
                             for p in s.liver.problems)
        self.scores_label.setText(self.tr("Child-Pugh: %1   MELD: %2").replace("%1", cp)
                                  .replace("%2", "—" if s.meld is None else str(s.meld))
                                  + ("  " + problems if problems else ""))
        for o in s.result.outcomes:
            text, style = MARKS[o.met]
            self.crit_marks[o.id].setText(text)
            self.crit_marks[o.id].setStyleSheet(style)
        res = s.result
        if res.result == "eligible":
            self.status.setText("<b style='color:#1b5e20'>" + self.tr("Eligible.") + "</b>")
        elif res.result == "ineligible":
            self.status.setText("<b style='color:#b00020'>" + self.tr(
                "Not eligible: %1. Enrolment needs an investigator override with a reason.")
                .replace("%1", self._criterion_texts(res.unmet)) + "</b>")
        else:
            self.status.setText(self.tr("Not decided yet (%1 open): %2")
                                .replace("%1", str(len(res.undetermined)))
                                .replace("%2", self._criterion_texts(res.undetermined)))
        needs_override = res.result != "eligible"
        self.override_box.setEnabled(needs_override)
        demo_ok = bool(self.subject_id.text().strip() and self.initials.text().strip()
                       and self.sex.currentData() is not None
                       and (self.arm is None or self.arm.currentData() is not None))
        self.ok_button.setEnabled(demo_ok and (not needs_override or bool(
            self.ov_reason.toPlainText().strip())))

    def _try_accept(self) -> None:
        self.message.clear()
        if self.screened is None:
            return
        if self.screened.result.result != "eligible":
            try:
                self.override_actor = self._verify(self.ov_user.text().strip(),
                                                   self.ov_password.text())
            except Exception:  # noqa: BLE001 - AuthError or wrong role: nothing enrolled
                self.ov_password.clear()
                self.message.setText(self.tr("Override not confirmed: an investigator's user "
                                             "name and password are required."))
                return
            self.ov_password.clear()
        self.accept()

    def result_data(self) -> dict[str, Any]:
        """Keyword arguments of ``storage.services.enrol_patient`` (raw inputs only)."""
        overridden = self.screened is not None and self.screened.result.result != "eligible"
        return {
            "subject_id": self.subject_id.text().strip(),
            "screening_number": self.screening_number.text().strip() or None,
            "full_name": self.full_name.text().strip() or None,
            "initials": self.initials.text().strip().upper(),
            "sex": self.sex.currentData(),
            "day1_date": self.day1.date().toPython(),
            "screening": self.raw_screening(),
            "arm": None if self.arm is None else self.arm.currentData(),
            "override_reason": self.ov_reason.toPlainText().strip() if overridden else None,
        }
