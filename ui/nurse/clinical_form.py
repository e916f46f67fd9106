"""Clinician assessment form (symptoms.md §4) with live Child-Pugh / MELD / MELD-Na / MELD 3.0.

The live preview comes from ``forms.liver.derive_liver_scores``, the function storage calls on
save; once saved, the scores storage stored are shown beside it (``show_stored``), never the
preview. Imaging and vital status are sent typed (``forms.clinical_fields`` checks both)."""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from forms.clinical_fields import FieldProblem, check_imaging
from forms.liver import (LabProblem, LiverInputs, LiverScores, age_on, derive_liver_scores,
                         stored_score)

LAB_UNITS: dict[str, tuple[tuple[str, str], ...]] = {  # name -> ((unit id, shown), ...); first = default
    "bilirubin": (("umol/L", "µmol/L"), ("mg/dL", "mg/dL")),
    "albumin": (("g/L", "g/L"), ("g/dL", "g/dL")),
    "inr": (("", "—"),),
    "creatinine": (("umol/L", "µmol/L"), ("mg/dL", "mg/dL")),
    "sodium": (("mmol/L", "mmol/L"),),
    "afp": (("ng/mL", "ng/mL"),),
    "alt": (("U/L", "U/L"),),
    "ast": (("U/L", "U/L"),),
    "platelets": (("10^9/L", "×10⁹/L"),),   # stored spelling of forms.labs, shown as ×10⁹/L
}
SYMPTOMS = ("appetite", "debilitation", "abdominal_distension", "lower_limb_edema")


class ClinicalAssessmentForm(QWidget):
    """Emits ``scores_changed(LiverScores)`` on every edit and ``save_requested(dict)`` on Save."""

    scores_changed = Signal(object)
    save_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clinical_form")
        self._sex: str | None = None
        self._birth_year: int | None = None
        # no picker on this form: kept from the stored assessment so a re-save keeps it
        self.child_pugh_variant = "standard"
        # the stored assessment shown (ui/nurse/clinical_load.py): its version
        self.existing_version: int | None = None
        self.scores = LiverScores()
        self.lab_edits: dict[str, QLineEdit] = {}
        self.unit_combos: dict[str, QComboBox] = {}

        body = QWidget()
        col = QVBoxLayout(body)          # one column: fits the 700 px tab, scrolls vertically
        col.addWidget(self._labs_box())
        col.addWidget(self._clinical_box())
        self.imaging_box = self._imaging_box()
        col.addWidget(self.imaging_box)
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        scores = self._scores_box()      # always visible above the inputs

        self.save_button = QPushButton(self.tr("Save assessment"))
        self.save_button.setObjectName("clinical_save")
        self.save_button.setMinimumHeight(36)
        self.save_button.clicked.connect(self._save)
        self.status_label = QLabel()
        self.status_label.setObjectName("clinical_status")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.save_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scores)
        lay.addWidget(scroll, 1)
        lay.addLayout(bottom)
        self.recompute()
        self.loaded_values = self.values()     # what the form showed when loaded (fill_form)
        self.show_legacy_outcomes(False)

    def show_legacy_outcomes(self, shown: bool) -> None:
        """Imaging and vital status moved to the Outcome forms tab (issue 15, typed with dates):
        shown here only for an assessment that holds them from before, so it stays readable."""
        self.imaging_box.setVisible(shown)
        self._clinical_form.setRowVisible(self.vital, shown)
        self._clinical_form.setRowVisible(self.death_date, shown)

    # -- construction ----------------------------------------------------------------------
    def _lab_label(self, name: str) -> str:
        return {"bilirubin": self.tr("Total bilirubin"), "albumin": self.tr("Albumin"),
                "inr": self.tr("INR"), "creatinine": self.tr("Creatinine"),
                "sodium": self.tr("Sodium"), "afp": self.tr("AFP (optional)"),
                "alt": self.tr("ALT (optional)"), "ast": self.tr("AST (optional)"),
                "platelets": self.tr("Platelets (optional)")}[name]

    def _input_name(self, name: str) -> str:
        """An input a score needs (``forms.liver.SCORE_INPUTS``), as shown to the user."""
        if name in LAB_UNITS:
            return self._lab_label(name)
        return {"ascites": self.tr("Ascites"),
                "encephalopathy": self.tr("Hepatic encephalopathy (West Haven)"),
                "sex": self.tr("sex of the patient"),
                "age": self.tr("age of 12 years or more")}.get(name, name)

    def _labs_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Laboratory"))
        grid = QGridLayout(box)
        grid.addWidget(QLabel(self.tr("Sample date")), 0, 0)
        self.sample_date = QDateEdit()
        self.sample_date.setObjectName("clinical_sample_date")
        self.sample_date.setCalendarPopup(True)
        self.sample_date.setDisplayFormat("yyyy-MM-dd")
        self.sample_date.setDate(QDate.currentDate())
        self.sample_date.setMaximumDate(QDate.currentDate())
        self.sample_date.dateChanged.connect(self.recompute)     # the age is taken on this date
        grid.addWidget(self.sample_date, 0, 1, 1, 2)
        for row, name in enumerate(LAB_UNITS, start=1):
            edit = QLineEdit()
            edit.setObjectName(f"lab_{name}")
            edit.setAccessibleName(self._lab_label(name))
            edit.setMaxLength(12)
            edit.setMaximumWidth(110)
            edit.textChanged.connect(self.recompute)
            combo = QComboBox()
            combo.setObjectName(f"unit_{name}")
            for unit_id, shown in LAB_UNITS[name]:
                combo.addItem(shown, unit_id)
            combo.setEnabled(combo.count() > 1)
            combo.currentIndexChanged.connect(self.recompute)
            self.lab_edits[name], self.unit_combos[name] = edit, combo
            grid.addWidget(QLabel(self._lab_label(name)), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(combo, row, 2)
        self.dialysis = QCheckBox(self.tr("Dialysis ≥ 2 times (or ≥ 24 h CVVHD) in the past week"))
        self.dialysis.setObjectName("clinical_dialysis")
        self.dialysis.toggled.connect(self.recompute)
        grid.addWidget(self.dialysis, len(LAB_UNITS) + 1, 0, 1, 3)
        return box

    def _combo(self, name: str, items: list[tuple[str, Any]]) -> QComboBox:
        c = QComboBox()
        c.setObjectName(name)
        c.setPlaceholderText(self.tr("— not assessed —"))
        for text, data in items:
            c.addItem(text, data)
        c.setCurrentIndex(-1)   # nothing pre-selected: missing is not "none"
        c.currentIndexChanged.connect(self.recompute)
        return c

    def _clinical_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Clinical assessment"))
        form = self._clinical_form = QFormLayout(box)
        self.ascites = self._combo("clinical_ascites", [
            (self.tr("none"), "none"), (self.tr("slight (diuretic-responsive)"), "slight"),
            (self.tr("moderate–severe (tense / refractory)"), "moderate")])
        self.encephalopathy = self._combo("clinical_he", [
            (self.tr("none"), "none"), (self.tr("grade 1–2"), "grade1-2"),
            (self.tr("grade 3–4"), "grade3-4")])
        form.addRow(self.tr("Ascites"), self.ascites)
        form.addRow(self.tr("Hepatic encephalopathy (West Haven)"), self.encephalopathy)
        grades = [(self.tr("0 none"), 0), (self.tr("1 mild"), 1), (self.tr("2 moderate"), 2),
                  (self.tr("3 severe"), 3)]
        labels = {"appetite": self.tr("Appetite loss"), "debilitation": self.tr("Debilitation"),
                  "abdominal_distension": self.tr("Abdominal distension"),
                  "lower_limb_edema": self.tr("Lower-limb edema")}
        self.symptom_combos = {s: self._combo(f"grade_{s}", grades) for s in SYMPTOMS}
        for s in SYMPTOMS:
            form.addRow(labels[s], self.symptom_combos[s])
        self.vital = self._combo("clinical_vital", [(self.tr("alive"), "alive"),
                                                    (self.tr("died"), "died")])
        self.death_date = QDateEdit()
        self.death_date.setObjectName("clinical_death_date")
        self.death_date.setCalendarPopup(True)
        self.death_date.setDisplayFormat("yyyy-MM-dd")
        self.death_date.setDate(QDate.currentDate())
        self.death_date.setMaximumDate(QDate.currentDate())
        self.death_date.setEnabled(False)
        self.vital.currentIndexChanged.connect(
            lambda: self.death_date.setEnabled(self.vital.currentData() == "died"))
        form.addRow(self.tr("Vital status"), self.vital)
        form.addRow(self.tr("Date of death"), self.death_date)
        return box

    def _imaging_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Imaging (optional)"))
        form = QFormLayout(box)
        self.imaging_edits: dict[str, QLineEdit] = {}
        for key, label in (("liver_size_cm", self.tr("Liver size (cm)")),
                           ("portal_vein_mm", self.tr("Portal vein width (mm)")),
                           ("spleen_size_cm", self.tr("Spleen size (cm)"))):
            e = QLineEdit()
            e.setObjectName(f"imaging_{key}")
            e.setMaxLength(8)
            e.setMaximumWidth(110)
            e.textChanged.connect(self.recompute)
            self.imaging_edits[key] = e
            form.addRow(label, e)
        self.new_lesion = self._combo("imaging_new_lesion", [
            (self.tr("no"), "no"), (self.tr("yes"), "yes"), (self.tr("not done"), "not_done")])
        form.addRow(self.tr("New lesion suspicious for HCC"), self.new_lesion)
        return box

    def _scores_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Liver scores (live)"))
        lay = QVBoxLayout(box)
        row = QHBoxLayout()
        self.score_labels: dict[str, QLabel] = {}
        for key in ("child_pugh", "meld", "meld_na", "meld3"):
            lab = QLabel()
            lab.setObjectName(f"score_{key}")
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setMinimumWidth(120)
            self.score_labels[key] = lab
            row.addWidget(lab)
        lay.addLayout(row)
        self.stored_label = QLabel()
        self.stored_label.setObjectName("clinical_stored_scores")
        self.stored_label.setTextFormat(Qt.TextFormat.RichText)
        self.stored_label.setWordWrap(True)
        lay.addWidget(self.stored_label)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("clinical_problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b00020;")
        lay.addWidget(self.problems_label)
        return box

    # -- behaviour ---------------------------------------------------------------------------
    def set_patient(self, *, sex: str | None, birth_year: int | None) -> None:
        """Sex ("F"/"M") and birth year as stored: MELD 3.0 takes the age on the sample date."""
        self._sex, self._birth_year = sex, birth_year
        self.recompute()

    def score_texts(self, entries: dict[str, dict | None]) -> dict[str, str]:
        """Rich text per score from {"score", "class", "uncapped"} entries (None = no value)."""
        dash = "<span style='color:#777'>—</span>"
        out = {}
        for key, name in (("child_pugh", self.tr("Child-Pugh")), ("meld", "MELD"),
                          ("meld_na", "MELD-Na"), ("meld3", "MELD 3.0")):
            e = entries.get(key)
            if e is None or e.get("score") is None:
                out[key] = f"{name}: {dash}"
                continue
            text = f"{name}: <b>{e['score']}</b>"
            if e.get("class"):
                text += " (" + self.tr("class %1").replace("%1", str(e["class"])) + ")"
            if e.get("uncapped") not in (None, e["score"]) and key == "meld3":
                text += f" <small>({self.tr('uncapped')} {e['uncapped']})</small>"
            out[key] = text
        return out

    def show_stored(self, derived: dict | None) -> None:
        """The scores stored with the saved assessment (None: nothing saved for this visit)."""
        if derived is None:
            self.stored_label.setText("")
            return
        texts = self.score_texts({k: stored_score(derived, k)
                                  for k in ("child_pugh", "meld", "meld_na", "meld3")})
        self.stored_label.setText(self.tr("Saved") + ": " + " &nbsp; ".join(texts.values()))

    def set_read_only(self, read_only: bool) -> None:
        for cls in (QLineEdit, QComboBox, QCheckBox, QDateEdit):
            for w in self.findChildren(cls):
                w.setEnabled(not read_only)
        self.save_button.setEnabled(not read_only and not self.scores.problems)
        self.death_date.setEnabled(not read_only and self.vital.currentData() == "died")
        for name, combo in self.unit_combos.items():
            combo.setEnabled(not read_only and combo.count() > 1)

    def set_lab(self, name: str, text: str, unit: str | None = None) -> None:
        if unit is not None:
            i = self.unit_combos[name].findData(unit)
            if i < 0:
                raise ValueError(f"unit {unit!r} not offered for {name}")
            self.unit_combos[name].setCurrentIndex(i)
        self.lab_edits[name].setText(text)

    def _lab_inputs(self) -> dict[str, dict[str, str]]:
        return {n: {"value": e.text(), "unit": self.unit_combos[n].currentData() or ""}
                for n, e in self.lab_edits.items()}

    def problem_text(self, p: LabProblem) -> str:
        name = self._lab_label(p.field) if p.field in self.lab_edits else p.field
        unit = dict(LAB_UNITS.get(p.field, ())).get(p.unit, p.unit)
        if p.kind == "not_a_number":
            return self.tr("%1: “%2” is not a number.").replace("%1", name).replace("%2", p.value)
        if p.kind == "unit":
            return self.tr("%1: unknown unit “%2”.").replace("%1", name).replace("%2", unit)
        return (self.tr("%1: %2 %3 is not plausible (plausible range %4–%5 %3). "
                        "Check the value and its unit.")
                .replace("%1", name).replace("%2", p.value).replace("%3", unit)
                .replace("%4", p.low).replace("%5", p.high))

    def _imaging_raw(self) -> dict[str, str]:
        raw = {k: e.text() for k, e in self.imaging_edits.items()}
        raw["new_lesion_hcc"] = self.new_lesion.currentData()
        return raw

    def imaging_problem_text(self, p: FieldProblem) -> str:
        if p.kind == "not_a_number":
            return self.tr("Imaging: “%1” is not a number.").replace("%1", p.value)
        return (self.tr("Imaging: %1 is outside %2–%3.").replace("%1", p.value)
                .replace("%2", p.low).replace("%3", p.high))

    def _imaging_problems(self) -> list[str]:
        return [self.imaging_problem_text(p) for p in check_imaging(self._imaging_raw())[1]]

    def recompute(self) -> None:
        self.scores = derive_liver_scores(LiverInputs(
            labs=self._lab_inputs(), ascites=self.ascites.currentData(),
            encephalopathy=self.encephalopathy.currentData(), sex=self._sex,
            age=age_on(self._birth_year, self.sample_date.date().toPython()),
            dialysis=self.dialysis.isChecked(), variant=self.child_pugh_variant))
        s = self.scores
        for key, text in self.score_texts(s.derived()).items():
            self.score_labels[key].setText(text)
            missing = s.missing.get(key, ())
            self.score_labels[key].setToolTip(
                self.tr("Needs: %1").replace("%1", ", ".join(map(self._input_name, missing)))
                if missing else "")
        problems = [self.problem_text(p) for p in s.problems] + self._imaging_problems()
        self.problems_label.setText("\n".join(problems))
        self.save_button.setEnabled(not problems)
        self.scores_changed.emit(s)

    def values(self) -> dict[str, Any]:
        """What is sent to storage: raw labs with units, grades, typed imaging and vital status.
        No scores: storage derives them itself."""
        labs = {n: {"value": v.raw, "unit": v.raw_unit} for n, v in self.scores.labs.items()}
        return {
            "sample_date": self.sample_date.date().toPython().isoformat(),
            "labs": labs,
            "dialysis": self.dialysis.isChecked(),
            "child_pugh_variant": self.child_pugh_variant,
            "ascites": self.ascites.currentData(),
            "encephalopathy": self.encephalopathy.currentData(),
            "symptom_grades": {k: c.currentData() for k, c in self.symptom_combos.items()
                               if c.currentData() is not None},
            "imaging": check_imaging(self._imaging_raw())[0],
            "vital_status": self.vital.currentData(),
            "death_date": (self.death_date.date().toPython().isoformat()
                           if self.vital.currentData() == "died" else None),
        }

    def _save(self) -> None:
        if self.scores.problems or self._imaging_problems():
            return
        self.save_requested.emit(self.values())

    def has_unsaved_input(self) -> bool:
        """True when the form differs from what it showed when it was loaded."""
        return self.values() != self.loaded_values

    def sample_date_value(self) -> date:
        return self.sample_date.date().toPython()
