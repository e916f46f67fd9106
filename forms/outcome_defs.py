"""The outcome forms as data (protocol.md §5): fields, units, ranges, codes, en/zh_CN labels.

Checked by ``forms.outcomes.check_outcome``; rendered generically by the nurse screen. A field
is ``required``, or required ``when`` another field holds one of some codes (``only_when``: and
empty otherwise). ``order`` pairs (later, earlier) must not run backwards.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

L = Mapping[str, str]


@dataclass(frozen=True)
class FieldDef:
    key: str
    type: str                          # date | time | number | integer | choice | choices | text
    label: L
    unit: str = ""                     # printed after numbers: cm, mm, ×10^6 cells
    choices: tuple[str, ...] = ()
    choice_labels: Mapping[str, L] | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    required: bool = False
    when: tuple[str, tuple[str, ...]] | None = None
    only_when: bool = True
    max_len: int = 200
    value_labels: Mapping[str, L] | None = None   # labels of an integer scale's values (exports)


@dataclass(frozen=True)
class OutcomeForm:
    kind: str
    label: L
    fields: tuple[FieldDef, ...]
    date_field: str
    order: tuple[tuple[str, str], ...] = ()
    repeating: bool = False            # several per visit (adverse events)


def _l(en: str, zh: str) -> L:
    return {"en": en, "zh_CN": zh}


def _codes(**pairs: tuple[str, str]) -> Mapping[str, L]:
    return {k.replace("__", "-"): _l(*v) for k, v in pairs.items()}


def field_label(fdef: FieldDef, lang: str) -> str:
    text = fdef.label.get(lang) or fdef.label["en"]
    return f"{text} ({fdef.unit})" if fdef.unit else text


def choice_label(fdef: FieldDef, code: str, lang: str) -> str:
    labels = (fdef.choice_labels or {}).get(code)
    return (labels.get(lang) or labels["en"]) if labels else code


def _choice(key: str, label: L, labels: Mapping[str, L], **kw: object) -> FieldDef:
    kind = str(kw.pop("type", "choice"))
    return FieldDef(key, kind, label, choices=tuple(labels),  # type: ignore[arg-type]
                    choice_labels=labels, **kw)


YES_NO = _codes(yes=("yes", "是"), no=("no", "否"))
#: CTCAE v5 grades (the general definitions), as coded values in the REDCap and ODM exports
CTCAE_GRADES = {"1": _l("Grade 1 mild", "1 级 轻度"), "2": _l("Grade 2 moderate", "2 级 中度"),
                "3": _l("Grade 3 severe or medically significant", "3 级 重度或具有重要医学意义"),
                "4": _l("Grade 4 life-threatening", "4 级 危及生命"),
                "5": _l("Grade 5 death related to the AE", "5 级 与不良事件相关的死亡")}
D = Decimal

IMAGING = OutcomeForm("imaging", _l("Imaging", "影像学检查"), (
    FieldDef("date", "date", _l("Imaging date", "检查日期"), required=True),
    _choice("modality", _l("Modality", "检查方式"),
            _codes(ultrasound=("ultrasound", "超声"), ct=("CT", "CT"), mri=("MRI", "MRI")),
            required=True),
    FieldDef("liver_size_cm", "number", _l("Liver size", "肝脏大小"), "cm", low=D(5), high=D(35)),
    FieldDef("portal_vein_mm", "number", _l("Portal vein diameter", "门静脉内径"), "mm",
             low=D(3), high=D(40)),
    FieldDef("spleen_thickness_mm", "number", _l("Spleen thickness", "脾脏厚度"), "mm",
             low=D(10), high=D(150)),
    _choice("ascites", _l("Ascites on imaging", "影像学腹水"),
            _codes(none=("none", "无"), slight=("slight", "少量"), moderate=("moderate", "中量"),
                   severe=("severe", "大量"))),
), date_field="date")

HCC = OutcomeForm("hcc", _l("Focal lesion / HCC", "肝内占位 / 肝细胞癌"), (
    FieldDef("date_found", "date", _l("Date lesion found", "发现日期"), required=True),
    FieldDef("size_mm", "number", _l("Lesion size", "病灶大小"), "mm", low=D(1), high=D(300)),
    _choice("hcc_diagnosis", _l("HCC diagnosis", "诊断肝细胞癌"), YES_NO, required=True),
    FieldDef("diagnosis_date", "date", _l("Diagnosis date", "诊断日期"),
             when=("hcc_diagnosis", ("yes",))),
    _choice("basis", _l("Basis of diagnosis", "诊断依据"),
            _codes(imaging=("imaging", "影像学"), afp=("AFP", "甲胎蛋白"),
                   pathology=("pathology", "病理")),
            type="choices", when=("hcc_diagnosis", ("yes",))),
), date_field="date_found", order=(("diagnosis_date", "date_found"),))

VITAL = OutcomeForm("vital_status", _l("Vital status", "生存状态"), (
    FieldDef("contact_date", "date", _l("Contact date", "联系日期"), required=True),
    _choice("status", _l("Status", "状态"),
            _codes(alive=("alive", "存活"), dead=("dead", "死亡"), unknown=("unknown", "不详")),
            required=True),
    FieldDef("death_date", "date", _l("Date of death", "死亡日期"), when=("status", ("dead",))),
    FieldDef("death_cause", "text", _l("Cause of death", "死亡原因"), when=("status", ("dead",))),
    FieldDef("last_known_alive", "date", _l("Last known alive", "最后确认存活日期"),
             when=("status", ("alive", "unknown")), only_when=False),
), date_field="contact_date",
    order=(("contact_date", "death_date"), ("death_date", "last_known_alive"),
           ("contact_date", "last_known_alive")))

TERMINATION = OutcomeForm("early_termination", _l("Early termination", "提前终止"), (
    FieldDef("date", "date", _l("Termination date", "终止日期"), required=True),
    _choice("reason", _l("Reason", "原因"),
            _codes(adverse_event=("adverse event", "不良事件"), death=("death", "死亡"),
                   withdrew_consent=("consent withdrawn", "撤回知情同意"),
                   lost_to_follow_up=("lost to follow-up", "失访"),
                   investigator_decision=("investigator decision", "研究者决定"),
                   transplant=("liver transplantation", "肝移植"),
                   other=("other", "其他")), required=True),
    FieldDef("reason_text", "text", _l("Reason details", "原因说明"),
             when=("reason", ("other",)), only_when=False, max_len=1000),
), date_field="date")

AE = OutcomeForm("adverse_event", _l("Adverse event", "不良事件"), (
    FieldDef("term", "text", _l("Event term", "事件名称"), required=True),
    FieldDef("onset", "date", _l("Onset date", "发生日期"), required=True),
    FieldDef("end", "date", _l("End date", "结束日期")),
    FieldDef("grade", "integer", _l("CTCAE grade", "CTCAE 分级"), "1–5", low=D(1), high=D(5),
             required=True, value_labels=CTCAE_GRADES),
    _choice("serious", _l("Serious", "严重"), YES_NO, required=True),
    _choice("serious_criteria", _l("Seriousness criteria", "严重性标准"),
            _codes(death=("death", "死亡"), life_threatening=("life-threatening", "危及生命"),
                   hospitalisation=("hospitalisation", "住院或延长住院"),
                   disability=("disability", "残疾"), congenital=("congenital anomaly", "先天异常"),
                   other_important=("other important medical event", "其他重要医学事件")),
            type="choices", when=("serious", ("yes",))),
    _choice("relatedness", _l("Relatedness", "相关性"),
            _codes(**{"not": ("not related", "无关"), "unlikely": ("unlikely", "可能无关"),
                      "possible": ("possible", "可能有关"), "probable": ("probable", "很可能有关"),
                      "definite": ("definite", "肯定有关")}), required=True),
    _choice("action", _l("Action taken", "采取措施"),
            _codes(none=("none", "无"), dose__changed=("dose changed", "调整剂量"),
                   withdrawn=("withdrawn", "停药"), other=("other", "其他")), required=True),
    _choice("outcome", _l("Outcome", "转归"),
            _codes(recovered=("recovered", "痊愈"), recovering=("recovering", "好转"),
                   not__recovered=("not recovered", "未好转"),
                   recovered__with__sequelae=("recovered with sequelae", "痊愈伴后遗症"),
                   fatal=("fatal", "死亡"), unknown=("unknown", "不详")), required=True),
), date_field="onset", order=(("end", "onset"),), repeating=True)

INFUSION = OutcomeForm("infusion", _l("Infusion record", "输注记录"), (
    FieldDef("date", "date", _l("Infusion date", "输注日期"), required=True),
    FieldDef("arm", "text", _l("Arm dose", "剂量组"), max_len=64),
    FieldDef("cell_count_e6", "number", _l("Cells infused", "输注细胞数"), "×10^6",
             low=D(1), high=D(100000), required=True),
    FieldDef("lot", "text", _l("Lot number", "批号"), required=True, max_len=64),
    FieldDef("start_time", "time", _l("Start time", "开始时间"), required=True),
    FieldDef("stop_time", "time", _l("Stop time", "结束时间")),
    FieldDef("reactions", "text", _l("Infusion reactions", "输注反应"), max_len=1000),
), date_field="date", order=(("stop_time", "start_time"),))

FORMS: Mapping[str, OutcomeForm] = {f.kind: f for f in (IMAGING, HCC, VITAL, TERMINATION, AE,
                                                         INFUSION)}
