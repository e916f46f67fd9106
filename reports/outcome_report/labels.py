"""Words of the outcome report, en and zh_CN (codes are never printed: each has a label)."""
from __future__ import annotations

_T: dict[str, tuple[str, str]] = {
    "title": ("Outcome report", "结局报告"),
    "as_of": ("Data as of {when}", "数据截至 {when}"),
    "protocol": ("Protocol {pid} version {version}", "方案 {pid} 版本 {version}"),
    "page": ("Page {n}", "第 {n} 页"),
    "s_consort": ("Participant flow (CONSORT)", "受试者流程（CONSORT）"),
    "s_survival": ("Overall survival to 1 year (Kaplan–Meier)", "1 年总生存（Kaplan–Meier）"),
    "s_change": ("Change from baseline by visit", "各访视较基线的变化"),
    "s_imaging": ("Liver size and portal vein width: baseline vs 1 year",
                  "肝脏大小与门静脉内径：基线与 1 年"),
    "s_hcc": ("HCC incidence within 1 year", "1 年内肝细胞癌发生率"),
    "s_symptoms": ("Symptom improvement (CSC vs baseline)", "症状改善（CSC 与基线比较）"),
    "s_ae": ("Adverse events by grade, seriousness and relatedness",
             "不良事件（按分级、严重性与相关性）"),
    "s_serious": ("Deaths, serious and grade ≥ 3 adverse events", "死亡、严重及 3 级以上不良事件"),
    "s_alerts": ("Staff alerts from outcome forms", "结局表单产生的警报"),
    "overall": ("Overall", "合计"),
    "group": ("Group", "组别"), "screened": ("Screened", "筛选"), "eligible": ("Eligible", "合格"),
    "allocated": ("Allocated", "分配"), "completed": ("Completed", "完成"),
    "terminated": ("Terminated early", "提前终止"), "died": ("Died", "死亡"),
    "ongoing": ("Ongoing", "进行中"), "day": ("Day", "天"), "at_risk": ("At risk", "风险人数"),
    "survival": ("Survival", "生存率"), "measure": ("Measure", "指标"), "visit": ("Visit", "访视"),
    "statistic": ("Statistic", "统计量"), "value": ("value", "数值"), "change": ("change", "变化"),
    "n": ("n", "n"), "mean": ("Mean", "均值"), "sd": ("SD", "标准差"), "median": ("Median", "中位数"),
    "iqr": ("IQR", "四分位距"), "q1": ("Q1", "下四分位数"), "q3": ("Q3", "上四分位数"), "timepoint": ("Time point", "时间点"), "baseline": ("baseline", "基线"),
    "1 year": ("1 year", "1 年"), "hcc_within_1_year": ("HCC", "肝细胞癌"),
    "percent": ("%", "%"), "improved": ("Improved", "改善"), "same": ("Same", "不变"),
    "worse": ("Worse", "加重"), "improved_percent": ("Improved %", "改善 %"),
    "by": ("By", "分类"), "category": ("Category", "类别"), "events": ("Events", "事件数"),
    "subjects": ("Subjects", "受试者数"), "grade": ("Grade", "分级"), "serious": ("Serious", "严重"),
    "relatedness": ("Relatedness", "相关性"), "subject_id": ("Subject", "受试者"),
    "arm": ("Arm", "组别"), "event": ("Event", "事件"), "date": ("Date", "日期"),
    "outcome": ("Outcome", "转归"), "death": ("death", "死亡"), "yes": ("yes", "是"), "no": ("no", "否"),
    "none": ("None.", "无。"),
    "alert_line": ("{subject} {visit}: {reason} ({level})", "{subject} {visit}：{reason}（{level}）"),
    "child_pugh": ("Child-Pugh", "Child-Pugh"), "meld": ("MELD", "MELD"),
    "bilirubin": ("Bilirubin (mg/dL)", "胆红素 (mg/dL)"), "albumin": ("Albumin (g/dL)", "白蛋白 (g/dL)"),
    "inr": ("INR", "INR"), "creatinine": ("Creatinine (mg/dL)", "肌酐 (mg/dL)"),
    "sodium": ("Sodium (mmol/L)", "血钠 (mmol/L)"), "sf36_pcs": ("SF-36 PCS", "SF-36 PCS"),
    "sf36_mcs": ("SF-36 MCS", "SF-36 MCS"), "csc_tsb": ("CSC symptom burden", "CSC 症状负担"),
    "liver_size_cm": ("Liver size (cm)", "肝脏大小 (cm)"),
    "portal_vein_mm": ("Portal vein (mm)", "门静脉内径 (mm)"),
    "km_x_axis": ("Days since day 1 (first infusion)", "首次输注（第 1 天）后天数"),
    "km_y_axis": ("Overall survival probability", "总生存率"),
    "km_at_risk": ("Number at risk", "风险人数"),
    "km_censored": ("censored", "删失"),
    "km_note": ("Censored at the last known alive date or day 365.",
                "在最后确认存活日期或第 365 天删失。"),
    "sym_note": ("Improved: CSC symptom burden down by ≥ 10 points; worse: up by ≥ 10.",
                 "改善：CSC 症状负担下降 ≥ 10 分；加重：上升 ≥ 10 分。"),
}
_SCALES = {"pf": ("physical functioning", "生理功能"), "rp": ("role physical", "生理职能"),
           "bp": ("bodily pain", "躯体疼痛"), "gh": ("general health", "一般健康"),
           "vt": ("vitality", "活力"), "sf": ("social functioning", "社会功能"),
           "re": ("role emotional", "情感职能"), "mh": ("mental health", "精神健康")}


def t(key: str, lang: str, **fields: object) -> str:
    """The label of ``key`` (an SF-36 scale key of either scoring too); unknown keys as given."""
    pair = _T.get(key)
    if pair is None and key[-3:-2] == "_" and key[-2:] in _SCALES:
        en, zh = _SCALES[key[-2:]]
        pair = (f"SF-36 {en}", f"SF-36 {zh}")
    if pair is None:
        return key
    text = pair[1] if lang == "zh_CN" else pair[0]
    return text.format(**fields) if fields else text
