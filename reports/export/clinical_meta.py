"""Fixed variables of the enrolment (subject) form and the clinician assessment form, for the
formats that need metadata up front (ODM, REDCap). ``clinical.csv`` is long and carries every
stored field whatever its name; these lists name the ones the storage writes today
(``storage.services.clinical``: the five core labs and the optional AFP, ALT, AST, platelets,
dialysis and the Child-Pugh variant (migration 0004), grades, derived Child-Pugh/MELD family)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from forms.calculators import ASCITES, ENCEPHALOPATHY
from forms.clinical_fields import IMAGING_NUMBERS, NEW_LESION_CODES, VITAL_STATUSES
from forms.labs import CORE_LABS, OPTIONAL_LABS, UNIT_CHOICES
from storage.models import PATIENT_STATUSES
from storage.services.clinical import read_imaging, read_vital_status

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
    minimum: float | None = None        # plausible range (REDCap validation, ODM RangeCheck)
    maximum: float | None = None
    identifier: bool = False            # a date or birth year: identifying (REDCap "y")
    unit: str = ""                      # UCUM unit of a number in a fixed unit
    read: Callable[[Any], Any] | None = None   # stored column -> value (JSON columns)

    def get(self, obj: Any) -> Any:
        value = getattr(obj, self.path[0], None)
        if self.read is not None:
            return self.read(value)
        for key in self.path[1:]:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value


def _labelled(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((c, c.replace("_", " ").replace("grade", "grade ").capitalize()) for c in codes)


def _vital(part: str) -> Callable[[Any], Any]:
    def read(text: Any) -> Any:
        vs = read_vital_status(text)
        return None if vs is None else getattr(vs, part)
    return read


def _imaging(key: str) -> Callable[[Any], Any]:
    def read(text: Any) -> Any:
        return read_imaging(text).get(key) if text else None
    return read


GRADE_CODES = (("0", "None"), ("1", "Mild"), ("2", "Moderate"), ("3", "Severe"))  # symptoms.md §4
#: derived score -> (min, max) of the calculators' results (Child-Pugh 5-15; MELD family 6-40)
_DERIVED_RANGE = {"child_pugh": (5, 15), "meld": (6, 40), "meld_na": (6, 40), "meld3": (6, 40)}


SUBJECT_VARS: tuple[FieldVar, ...] = (
    FieldVar("arm", "Treatment arm", "text", ("arm",)),   # codes: the protocol's arms
    FieldVar("sex", "Sex", "text", ("sex",), (("F", "Female"), ("M", "Male"))),
    FieldVar("birth_year", "Year of birth", "integer", ("birth_year",), minimum=1900,
             maximum=2100, identifier=True),
    FieldVar("consent_date", "Informed consent date", "date", ("consent_date",),
             identifier=True),
    FieldVar("day1_date", "Day 1 (first infusion) date", "date", ("day1_date",),
             identifier=True),
    FieldVar("subject_status", "Subject status", "text", ("status",),
             _labelled(PATIENT_STATUSES)),
)

CLINICAL_VARS: tuple[FieldVar, ...] = (
    FieldVar("lab_sample_date", "Lab sample date", "date", ("sample_date",), identifier=True),
    *[v for k in LABS for v in (
        FieldVar(f"lab_{k}", f"{k} (value as entered)", "float", ("labs", k, "value")),
        FieldVar(f"lab_{k}_unit", f"{k} unit as entered", "text", ("labs", k, "unit"),
                 tuple((u, u) for u in UNIT_CHOICES[k] if u)))],
    FieldVar("dialysis", "Dialysis >= 2 times or >= 24 h CVVHD in the week before the "
             "creatinine sample (blank = not recorded)", "boolean", ("dialysis",)),
    FieldVar("child_pugh_variant", "Child-Pugh bilirubin bands used", "text",
             ("child_pugh_variant",),
             (("standard", "Standard"), ("pbc", "PBC/PSC (cholestatic bilirubin bands)"))),
    FieldVar("ascites", "Ascites grade", "text", ("ascites",),
             tuple(zip(ASCITES, ("None", "Slight", "Moderate to severe")))),
    FieldVar("encephalopathy", "Hepatic encephalopathy (West Haven)", "text",
             ("encephalopathy",), _labelled(ENCEPHALOPATHY)),
    *[FieldVar(f"clin_{s}", f"Clinician-rated {s.replace('_', ' ')} (0-3)", "integer",
               ("symptom_grades", s), GRADE_CODES, 0, 3) for s in SYMPTOMS],
    # imaging and vital status: typed values read from their canonical JSON columns
    *[FieldVar(f"img_{k}", f"Imaging: {k.rsplit('_', 1)[0].replace('_', ' ')}", "float",
               ("imaging",), (), float(lo), float(hi), unit=k.rsplit("_", 1)[1],
               read=_imaging(k)) for k, (lo, hi) in IMAGING_NUMBERS.items()],
    FieldVar("img_new_lesion_hcc", "Imaging: new liver lesion suspicious for HCC", "text",
             ("imaging",), _labelled(NEW_LESION_CODES), read=_imaging("new_lesion_hcc")),
    FieldVar("vital_status", "Vital status", "text", ("vital_status",),
             _labelled(VITAL_STATUSES), read=_vital("status")),
    FieldVar("death_date", "Date of death", "date", ("vital_status",), identifier=True,
             read=_vital("death_date")),
    *[FieldVar(f"{calc}_{part}" if part != "score" else calc,
               f"{calc.replace('_', ' ')} {part} (derived)", typ, ("derived", calc, part),
               (("A", "Class A"), ("B", "Class B"), ("C", "Class C")) if typ == "text" else (),
               *(_DERIVED_RANGE.get(calc, (None, None)) if typ != "text" else (None, None)))
      for calc, part, typ in DERIVED],
)

_LAB_ZH = {"bilirubin": "总胆红素", "albumin": "白蛋白", "inr": "国际标准化比值 INR",
           "creatinine": "肌酐", "sodium": "血钠", "afp": "甲胎蛋白 AFP",
           "alt": "丙氨酸氨基转移酶 ALT", "ast": "天门冬氨酸氨基转移酶 AST", "platelets": "血小板"}
_SYMPTOM_ZH = {"appetite": "食欲", "debilitation": "乏力", "abdominal_distension": "腹胀",
               "lower_limb_edema": "下肢水肿"}
#: Chinese (zh_CN) field labels, worded as the nurse screens' translations
ZH_LABELS: dict[str, str] = {
    "arm": "治疗组", "sex": "性别", "birth_year": "出生年份", "consent_date": "知情同意日期",
    "day1_date": "第 1 天（首次输注）日期", "subject_status": "受试者状态",
    "lab_sample_date": "采样日期",
    **{f"lab_{k}": f"{z}（录入值）" for k, z in _LAB_ZH.items()},
    **{f"lab_{k}_unit": f"{z} 录入单位" for k, z in _LAB_ZH.items()},
    "dialysis": "过去一周透析 ≥ 2 次（或 CVVHD ≥ 24 小时）（空 = 未记录）",
    "child_pugh_variant": "Child-Pugh 胆红素分段", "ascites": "腹水分级",
    "encephalopathy": "肝性脑病（West Haven）",
    **{f"clin_{k}": f"医生评定{z}（0-3）" for k, z in _SYMPTOM_ZH.items()},
    "img_liver_size_cm": "影像：肝脏大小（cm）", "img_portal_vein_mm": "影像：门静脉宽度（mm）",
    "img_spleen_size_cm": "影像：脾脏大小（cm）",
    "img_new_lesion_hcc": "影像：可疑肝癌的新发肝脏病灶", "vital_status": "生存状态",
    "death_date": "死亡日期", "child_pugh": "Child-Pugh 评分（推导）",
    "child_pugh_class": "Child-Pugh 分级（推导）", "meld": "MELD 评分（推导）",
    "meld_na": "MELD-Na 评分（推导）", "meld3": "MELD 3.0 评分（推导）",
}


def field_labels(v: FieldVar) -> dict[str, str]:
    """The field's label per language (``en``, ``zh_CN``)."""
    return {"en": v.label, "zh_CN": ZH_LABELS[v.name]}
