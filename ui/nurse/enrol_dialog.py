"""Enrol dialog: demographics, labs -> Child-Pugh/MELD, eligibility checklist, investigator override."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget)

from forms import eligibility as el
from forms.liver import LiverInputs, derive_liver_scores
from ui.nurse.clinical_form import LAB_UNITS

ENROL_LABS = ("bilirubin", "albumin", "inr", "creatinine", "sodium")


class EnrolDialog(QDialog):
    """``result_data()`` after ``accept()``: demographics + eligibility + optional override."""

    def __init__(self, arms: tuple[str, ...], verify_investigator: Callable[[str, str], Any],
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrol_dialog")
        self.setWindowTitle(self.tr("Enrol a patient"))
        self.resize(1100, 760)
        self._verify = verify_investigator
        self._today = today or date.today()
        self.override_actor: Any = None
        self.eligibility = el.evaluate(el.ScreeningInput())

        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(self._demographics(arms), 0, 0)
        grid.addWidget(self._labs(), 1, 0)
        grid.addWidget(self._checklist(), 0, 1, 2, 1)
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

    # -- sections --------------------------------------------------------------------------
    def _date(self, name: str, d: date) -> QDateEdit:
        w = QDateEdit(QDate(d.year, d.month, d.day))
        w.setObjectName(name)
        w.setCalendarPopup(True)
        w.setDisplayFormat("yyyy-MM-dd")
        w.dateChanged.connect(self.recompute)
        return w

    def _demographics(self, arms: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(self.tr("Patient"))
        f = QFormLayout(box)
        self.subject_id = QLineEdit()
        self.subject_id.setObjectName("enrol_subject_id")
        self.subject_id.setMaxLength(32)
        self.screening = QLineEdit()
        self.screening.setObjectName("enrol_screening")
        self.screening.setMaxLength(32)
        self.full_name = QLineEdit()
        self.full_name.setObjectName("enrol_full_name")
        self.full_name.setMaxLength(100)
        self.initials = QLineEdit()
        self.initials.setObjectName("enrol_initials")
        self.initials.setMaxLength(5)
        self.sex = QComboBox()
        self.sex.setObjectName("enrol_sex")
        self.sex.addItem(self.tr("female"), "F")
        self.sex.addItem(self.tr("male"), "M")
        self.sex.setCurrentIndex(-1)
        self.sex.setPlaceholderText(self.tr("— choose —"))
        self.sex.currentIndexChanged.connect(self.recompute)
        self.birth = self._date("enrol_birth_date", date(self._today.year - 50, 1, 1))
        self.arm = QComboBox()
        self.arm.setObjectName("enrol_arm")
        for a in arms:
            self.arm.addItem(a, a)
        self.arm.setCurrentIndex(-1)
        self.arm.setPlaceholderText(self.tr("— choose —"))
        self.consent = self._date("enrol_consent_date", self._today)
        self.day1 = self._date("enrol_day1", self._today)
        for w in (self.subject_id, self.initials, self.full_name):
            w.textChanged.connect(self.recompute)
        self.arm.currentIndexChanged.connect(self.recompute)
        f.addRow(self.tr("Subject id"), self.subject_id)
        f.addRow(self.tr("Screening number"), self.screening)
        f.addRow(self.tr("Full name"), self.full_name)
        f.addRow(self.tr("Initials"), self.initials)
        f.addRow(self.tr("Sex"), self.sex)
        f.addRow(self.tr("Date of birth"), self.birth)
        f.addRow(self.tr("Arm"), self.arm)
        f.addRow(self.tr("Consent date"), self.consent)
        f.addRow(self.tr("Day 1 (first infusion)"), self.day1)
        return box

    def _labs(self) -> QGroupBox:
        box = QGroupBox(self.tr("Screening labs"))
        g = QGridLayout(box)
        names = {"bilirubin": self.tr("Total bilirubin"), "albumin": self.tr("Albumin"),
                 "inr": self.tr("INR"), "creatinine": self.tr("Creatinine"),
                 "sodium": self.tr("Sodium")}
        self.lab_edits: dict[str, QLineEdit] = {}
        self.unit_combos: dict[str, QComboBox] = {}
        for r, n in enumerate(ENROL_LABS):
            e = QLineEdit()
            e.setObjectName(f"enrol_lab_{n}")
            e.setMaxLength(12)
            e.textChanged.connect(self.recompute)
            c = QComboBox()
            c.setObjectName(f"enrol_unit_{n}")
            for uid, shown in LAB_UNITS[n]:
                c.addItem(shown, uid)
            c.setEnabled(c.count() > 1)
            c.currentIndexChanged.connect(self.recompute)
            self.lab_edits[n], self.unit_combos[n] = e, c
            g.addWidget(QLabel(names[n]), r, 0)
            g.addWidget(e, r, 1)
            g.addWidget(c, r, 2)
        self.ascites = QComboBox()
        self.ascites.setObjectName("enrol_ascites")
        for t, d in ((self.tr("none"), "none"), (self.tr("slight"), "slight"),
                     (self.tr("moderate–severe"), "moderate")):
            self.ascites.addItem(t, d)
        self.he = QComboBox()
        self.he.setObjectName("enrol_he")
        for t, d in ((self.tr("none"), "none"), (self.tr("grade 1–2"), "grade1-2"),
                     (self.tr("grade 3–4"), "grade3-4")):
            self.he.addItem(t, d)
        for c in (self.ascites, self.he):
            c.setCurrentIndex(-1)
            c.setPlaceholderText(self.tr("— choose —"))
            c.currentIndexChanged.connect(self.recompute)
        n = len(ENROL_LABS)
        g.addWidget(QLabel(self.tr("Ascites")), n, 0)
        g.addWidget(self.ascites, n, 1, 1, 2)
        g.addWidget(QLabel(self.tr("Hepatic encephalopathy")), n + 1, 0)
        g.addWidget(self.he, n + 1, 1, 1, 2)
        self.scores_label = QLabel()
        self.scores_label.setObjectName("enrol_scores")
        self.scores_label.setWordWrap(True)
        g.addWidget(self.scores_label, n + 2, 0, 1, 3)
        return box

    def criterion_text(self, c: el.Criterion) -> str:
        texts = {
            "I1_age": self.tr("Age 18 to 70 years at screening"),
            "I2_liver": self.tr("Decompensated cirrhosis: Child-Pugh 7–12 points or MELD ≤ 21 "
                                "(computed from the labs)"),
            "I3_life": self.tr("Life expectancy more than 2 months"),
            "I4_hbv": self.tr("Chronic hepatitis B, on antiviral treatment"),
            "E1": self.tr("Hepatocellular carcinoma or other active malignancy, or a liver lesion "
                          "suspicious for HCC on imaging"),
            "E2": self.tr("Gastrointestinal (variceal) bleeding within the past 2 months"),
            "E3": self.tr("Uncontrolled infection, including spontaneous bacterial peritonitis or "
                          "sepsis"),
            "E4": self.tr("Hepatorenal syndrome or severe renal impairment (e.g. on dialysis)"),
            "E5": self.tr("Severe heart, lung or other organ failure (e.g. heart failure NYHA "
                          "III–IV)"),
            "E6": self.tr("Hepatic encephalopathy grade 3–4 at screening"),
            "E7": self.tr("Co-infection with HCV, HDV or HIV, or another primary liver disease "
                          "(autoimmune, alcoholic with current drinking, Wilson, etc.)"),
            "E8": self.tr("Pregnancy, breast-feeding, or not willing to use contraception during "
                          "the study"),
            "E9": self.tr("Previous liver transplantation, previous stem-cell therapy, or another "
                          "interventional trial within the past 3 months"),
        }
        return texts.get(c.id, c.text)

    def _checklist(self) -> QGroupBox:
        box = QGroupBox(self.tr("Eligibility checklist"))
        g = QGridLayout(box)
        g.setColumnStretch(1, 1)
        self.crit_combos: dict[str, QComboBox] = {}
        self.crit_marks: dict[str, QLabel] = {}
        row = 0
        for title, crits in ((self.tr("Inclusion criteria (all must be met)"), el.INCLUSIONS),
                             (self.tr("Exclusion criteria (none may apply) — placeholder texts, "
                                      "to be confirmed against the protocol"), el.EXCLUSIONS)):
            head = QLabel(f"<b>{title}</b>")
            head.setWordWrap(True)
            g.addWidget(head, row, 0, 1, 3)
            row += 1
            for c in crits:
                mark = QLabel()
                mark.setObjectName(f"crit_mark_{c.id}")
                mark.setMinimumWidth(22)
                text = QLabel(self.criterion_text(c))
                text.setWordWrap(True)
                g.addWidget(mark, row, 0)
                g.addWidget(text, row, 1)
                self.crit_marks[c.id] = mark
                if not c.computed:
                    combo = QComboBox()
                    combo.setObjectName(f"crit_{c.id}")
                    combo.addItem(self.tr("yes"), True)
                    combo.addItem(self.tr("no"), False)
                    combo.setCurrentIndex(-1)
                    combo.setPlaceholderText(self.tr("—"))
                    combo.currentIndexChanged.connect(self.recompute)
                    g.addWidget(combo, row, 2)
                    self.crit_combos[c.id] = combo
                else:
                    g.addWidget(QLabel(self.tr("computed")), row, 2)
                row += 1
        return box

    def _override(self) -> QGroupBox:
        box = QGroupBox(self.tr("Investigator override (only when not eligible)"))
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
        f.addRow(self.tr("Reason for enrolling despite the checklist"), self.ov_reason)
        self.override_box = box
        return box

    # -- logic -------------------------------------------------------------------------------
    def age(self) -> int:
        return el.age_on(self.birth.date().toPython(), self.consent.date().toPython())

    def recompute(self) -> None:
        labs = {n: {"value": e.text(), "unit": self.unit_combos[n].currentData() or ""}
                for n, e in self.lab_edits.items()}
        self.scores = derive_liver_scores(LiverInputs(
            labs=labs, ascites=self.ascites.currentData(), encephalopathy=self.he.currentData(),
            sex=self.sex.currentData(), age=self.age(), dialysis=False))
        cp = self.scores.child_pugh.score if self.scores.child_pugh else None
        meld = self.scores.meld.score if self.scores.meld else None
        problems = " ".join(f"{p.field} {p.value} {p.unit}: " + self.tr("not plausible")
                            for p in self.scores.problems)
        self.scores_label.setText(
            self.tr("Child-Pugh: %1   MELD: %2").replace("%1", "—" if cp is None else str(cp))
            .replace("%2", "—" if meld is None else str(meld)) + ("  " + problems if problems else ""))
        ans = {k: c.currentData() for k, c in self.crit_combos.items()}
        # exclusion combos ask "applies?": yes = applies
        self.eligibility = el.evaluate(el.ScreeningInput(
            age=self.age(), child_pugh=cp, meld=meld,
            life_expectancy_over_2_months=ans.get("I3_life"), hbv_on_antivirals=ans.get("I4_hbv"),
            exclusions={c.id: ans.get(c.id) for c in el.EXCLUSIONS}))
        for r in self.eligibility.results:
            mark = self.crit_marks[r.criterion.id]
            mark.setText({True: "✔", False: "✘", None: "?"}[r.ok])
            mark.setStyleSheet({True: "color:#1b5e20", False: "color:#b00020",
                                None: "color:#777"}[r.ok])
        e = self.eligibility
        if e.eligible:
            self.status.setText("<b style='color:#1b5e20'>" + self.tr("Eligible.") + "</b>")
        elif e.failed:
            self.status.setText("<b style='color:#b00020'>" + self.tr(
                "Not eligible (%1). Enrolment needs an investigator override with a reason.")
                .replace("%1", ", ".join(e.failed)) + "</b>")
        else:
            self.status.setText(self.tr("Checklist incomplete: %1 open.")
                                .replace("%1", str(len(e.undecided))))
        self.override_box.setEnabled(bool(e.failed))
        demo_ok = bool(self.subject_id.text().strip() and self.initials.text().strip()
                       and sex is not None and self.arm.currentData() is not None)
        needs_override = bool(e.failed)
        ok = demo_ok and e.complete and (e.eligible or (
            needs_override and bool(self.ov_reason.toPlainText().strip())))
        self.ok_button.setEnabled(ok)

    def _try_accept(self) -> None:
        self.message.clear()
        if not self.eligibility.eligible:
            try:
                self.override_actor = self._verify(self.ov_user.text().strip(),
                                                   self.ov_password.text())
            except Exception:  # AuthError or wrong role: one message, nothing enrolled
                self.ov_password.clear()
                self.message.setText(self.tr("Override not confirmed: an investigator's user "
                                             "name and password are required."))
                return
            self.ov_password.clear()
        self.accept()

    def result_data(self) -> dict[str, Any]:
        e = self.eligibility
        override = None
        if not e.eligible and self.override_actor is not None:
            override = {"investigator": getattr(self.override_actor, "username", None),
                        "reason": self.ov_reason.toPlainText().strip(), "failed": list(e.failed)}
        return {
            "subject_id": self.subject_id.text().strip(),
            "screening_number": self.screening.text().strip() or None,
            "full_name": self.full_name.text().strip() or None,
            "initials": self.initials.text().strip().upper(),
            "sex": self.sex.currentData(),
            "birth_year": self.birth.date().year(),
            "arm": self.arm.currentData(),
            "consent_date": self.consent.date().toPython(),
            "day1_date": self.day1.date().toPython(),
            "eligibility": {r.criterion.id: r.ok for r in e.results} | {
                "child_pugh": self.scores.child_pugh.score if self.scores.child_pugh else None,
                "meld": self.scores.meld.score if self.scores.meld else None,
                "age": self.age()},
            "override": override,
        }
