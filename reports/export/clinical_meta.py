"""Fixed variables of the enrolment (subject) form and the clinician assessment form, for the
formats that need metadata up front (ODM, REDCap). ``clinical.csv`` is long and carries every
stored field whatever its name; these lists name the ones the storage writes today
(``storage.services.clinical``: the five core labs and the optional AFP, ALT, AST, platelets,
dialysis and the Child-Pugh variant (migration 0004), grades, derived Child-Pugh/MELD family)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forms.labs import CORE_LABS, OPTIONAL_LABS

LABS = CORE_LABS + OPTIONAL_LABS
SYMPTOMS = ("appetite", "debilitation", "abdominal_distension", "lower_limb_edema")
DERIVED = (("child_pugh", "score", "integer"), ("child_pugh", "class", "text"),
           ("meld", "score", "integer"), ("meld_na", "score", "integer"),
           ("meld3", "score", "integer"))


@dataclass(frozen=True)
class FieldVar:
    name: str
    label: str
    type: str                       # integer | float | text | date | boolean
    path: tuple[str, ...]           # attribute, then keys into its JSON value
    codes: tuple[tuple[str, str], ...] = ()

    def get(self, obj: Any) -> Any:
        value = getattr(obj, self.path[0], None)
        for key in self.path[1:]:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value


SUBJECT_VARS: tuple[FieldVar, ...] = (
    FieldVar("arm", "Treatment arm", "text", ("arm",)),
    FieldVar("sex", "Sex", "text", ("sex",), (("F", "Female"), ("M", "Male"))),
    FieldVar("birth_year", "Year of birth", "integer", ("birth_year",)),
    FieldVar("consent_date", "Informed consent date", "date", ("consent_date",)),
    FieldVar("day1_date", "Day 1 (first infusion) date", "date", ("day1_date",)),
    FieldVar("subject_status", "Subject status", "text", ("status",)),
)

CLINICAL_VARS: tuple[FieldVar, ...] = (
    FieldVar("lab_sample_date", "Lab sample date", "date", ("sample_date",)),
    *[v for k in LABS for v in (
        FieldVar(f"lab_{k}", f"{k} (value as entered)", "float", ("labs", k, "value")),
        FieldVar(f"lab_{k}_unit", f"{k} unit as entered", "text", ("labs", k, "unit")))],
    FieldVar("dialysis", "Dialysis >= 2 times or >= 24 h CVVHD in the week before the "
             "creatinine sample (blank = not recorded)", "boolean", ("dialysis",)),
    FieldVar("child_pugh_variant", "Child-Pugh bilirubin bands used", "text",
             ("child_pugh_variant",),
             (("standard", "Standard"), ("pbc", "PBC/PSC (cholestatic bilirubin bands)"))),
    FieldVar("ascites", "Ascites grade", "text", ("ascites",)),
    FieldVar("encephalopathy", "Hepatic encephalopathy (West Haven)", "text",
             ("encephalopathy",)),
    *[FieldVar(f"clin_{s}", f"Clinician-rated {s.replace('_', ' ')} (0-3)", "integer",
               ("symptom_grades", s)) for s in SYMPTOMS],
    # typed values kept as canonical JSON until the outcome forms of issue 15 (older rows: text)
    FieldVar("imaging", "Imaging as JSON: liver_size_cm, portal_vein_mm, spleen_size_cm "
             "(numbers), new_lesion_hcc (no/yes/not_done)", "text", ("imaging",)),
    FieldVar("vital_status", "Vital status as JSON [status alive/died, death date YYYY-MM-DD "
             "or null]", "text", ("vital_status",)),
    *[FieldVar(f"{calc}_{part}" if part != "score" else calc,
               f"{calc.replace('_', ' ')} {part} (derived)", typ, ("derived", calc, part))
      for calc, part, typ in DERIVED],
)
