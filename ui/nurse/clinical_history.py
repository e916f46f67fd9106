"""The clinician assessment's values in the Review tab: one row per stored input (labs with
units, grades, imaging, vital status) with its current value and number of corrections; the
history pane shows each one's story (``storage.services.value_history``).

Field names and value labels are the clinical form's own (its translation context), so the
Review says what the form says."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from storage.services import ValueHistory

_FORM = "ClinicalAssessmentForm"
LABS = ("bilirubin", "albumin", "inr", "creatinine", "sodium", "afp", "alt", "ast", "platelets")
_LAB_LABELS = {"bilirubin": "Total bilirubin", "albumin": "Albumin", "inr": "INR",
               "creatinine": "Creatinine", "sodium": "Sodium", "afp": "AFP (optional)",
               "alt": "ALT (optional)", "ast": "AST (optional)",
               "platelets": "Platelets (optional)"}
_UNITS = {"umol/L": "µmol/L", "10^9/L": "×10⁹/L", "": ""}
_FIELD_LABELS = {
    "sample_date": "Sample date", "ascites": "Ascites",
    "encephalopathy": "Hepatic encephalopathy (West Haven)", "vital_status": "Vital status",
    "symptom_grades.appetite": "Appetite loss", "symptom_grades.debilitation": "Debilitation",
    "symptom_grades.abdominal_distension": "Abdominal distension",
    "symptom_grades.lower_limb_edema": "Lower-limb edema",
    "imaging.liver_size_cm": "Liver size (cm)", "imaging.portal_vein_mm": "Portal vein width (mm)",
    "imaging.spleen_size_cm": "Spleen size (cm)",
    "imaging.new_lesion_hcc": "New lesion suspicious for HCC",
}
_CODES = {
    "ascites": {"none": "none", "slight": "slight (diuretic-responsive)",
                "moderate": "moderate–severe (tense / refractory)"},
    "encephalopathy": {"none": "none", "grade1-2": "grade 1–2", "grade3-4": "grade 3–4"},
    "imaging.new_lesion_hcc": {"no": "no", "yes": "yes", "not_done": "not done"},
}
_GRADES = {0: "0 none", 1: "1 mild", 2: "2 moderate", 3: "3 severe"}
ORDER = ("sample_date", *(f"labs.{n}" for n in LABS), "dialysis", "child_pugh_variant",
         "ascites", "encephalopathy", *(k for k in _FIELD_LABELS if k.startswith("symptom")),
         *(k for k in _FIELD_LABELS if k.startswith("imaging")), "vital_status")


def _form(text: str) -> str:
    return QCoreApplication.translate(_FORM, text)


def _own(text: str) -> str:
    return QCoreApplication.translate("ClinicalHistory", text)


def field_label(key: str) -> str:
    if key.startswith("labs."):
        return _form(_LAB_LABELS.get(key[5:], key[5:]))
    if key == "dialysis":
        return _own("Dialysis in the past week")
    if key == "child_pugh_variant":
        return _own("Child-Pugh variant")
    return _form(_FIELD_LABELS[key]) if key in _FIELD_LABELS else key


def value_text(key: str, value: Any) -> str:
    """A stored clinical value as the form shows it (labels, not codes)."""
    if value is None:
        return _own("not recorded")
    if key.startswith("labs."):
        return f"{value.get('value')} {_UNITS.get(value.get('unit') or '', value.get('unit'))}" \
            .strip()
    if key.startswith("symptom_grades."):
        return _form(_GRADES[value]) if value in _GRADES else str(value)
    if key in _CODES:
        return _form(_CODES[key][value]) if value in _CODES[key] else str(value)
    if key == "dialysis":
        return _form("yes") if value else _form("no")
    if key == "child_pugh_variant":
        return _own("PBC") if value == "pbc" else _own("standard")
    if key == "vital_status":
        status, death = value
        text = _form("died") if status == "died" else _form("alive")
        return f"{text} {death}" if death else text
    return str(value)


def ordered(clinical: dict[str, ValueHistory]) -> list[ValueHistory]:
    """The assessment's values in the form's order (anything else after)."""
    rank = {k: i for i, k in enumerate(ORDER)}
    return sorted(clinical.values(), key=lambda h: (rank.get(h.key, len(rank)), h.key))
