"""Labels printed on PDFs, in English and Simplified Chinese (plain dict; reports/ has no Qt).

Questionnaire wording is instrument data and comes with the summary; only the report's own
labels live here. ``tr(key, lang, **fields)`` falls back to English, then to the key itself, so a
missing translation never breaks printing.
"""
from __future__ import annotations

from forms.registry import item_label

RAND_CREDIT = {
    "en": "The RAND 36-Item Health Survey 1.0 was developed at RAND as part of the Medical "
          "Outcomes Study.",
    "zh_CN": "RAND 36 项健康调查 1.0 由 RAND 作为医疗结局研究（Medical Outcomes Study）的一部分开发。"
             "The RAND 36-Item Health Survey 1.0 was developed at RAND as part of the Medical "
             "Outcomes Study.",
}

LABELS: dict[str, dict[str, str]] = {
    # header / footer
    "title": {"en": "Visit summary", "zh_CN": "访视小结"},
    "study": {"en": "Study", "zh_CN": "研究"},
    "site": {"en": "Site", "zh_CN": "中心"},
    "subject": {"en": "Subject", "zh_CN": "受试者"},
    "initials": {"en": "Initials", "zh_CN": "缩写"},
    "name": {"en": "Name", "zh_CN": "姓名"},
    "arm": {"en": "Arm", "zh_CN": "组别"},
    "visit": {"en": "Visit", "zh_CN": "访视"},
    "visit_date": {"en": "Date", "zh_CN": "日期"},
    "study_day": {"en": "Study day", "zh_CN": "研究日"},
    "window": {"en": "Window", "zh_CN": "窗口期"},
    "page_x_of_y": {"en": "Page {x} of {y}", "zh_CN": "第 {x} 页，共 {y} 页"},
    "generated": {"en": "Generated {when}", "zh_CN": "生成时间 {when}"},
    "outcome_forms": {"en": "Outcome forms", "zh_CN": "结局表单"},
    "data_as_of": {"en": "Data as of the signature, {when}", "zh_CN": "数据截至签名时间 {when}"},
    "app_version": {"en": "ePRO Desk {version}", "zh_CN": "ePRO Desk {version}"},
    "win_in_window": {"en": "in window", "zh_CN": "窗口期内"},
    "win_early": {"en": "early (out of window)", "zh_CN": "提前（超出窗口期）"},
    "win_late": {"en": "late (out of window)", "zh_CN": "延迟（超出窗口期）"},
    "win_out_of_window": {"en": "out of window", "zh_CN": "超出窗口期"},
    "win_unscheduled": {"en": "unscheduled", "zh_CN": "计划外"},
    "win_not_yet_due": {"en": "not yet due", "zh_CN": "未到期"},
    "win_due": {"en": "due (not yet done)", "zh_CN": "到期（尚未完成）"},
    "win_overdue": {"en": "overdue (not done)", "zh_CN": "逾期（未完成）"},
    # alerts
    "alerts": {"en": "Alerts", "zh_CN": "警示"},
    "no_alerts": {"en": "No alerts", "zh_CN": "无警示"},
    "alert_red": {"en": "RED", "zh_CN": "红色"},
    "alert_amber": {"en": "AMBER", "zh_CN": "黄色"},
    "alert_warning_sign_yes": {"en": "{label}: patient answered Yes",
                               "zh_CN": "{label}：患者回答“是”"},
    "alert_warning_sign_unsure": {"en": "{label}: patient answered Not sure",
                                  "zh_CN": "{label}：患者回答“不确定”"},
    "alert_core_worsened": {"en": "{label} worsened by {delta} since the previous visit "
                                  "({previous} \u2192 {now})",
                            "zh_CN": "{label}较上次访视加重 {delta} 分（{previous} \u2192 {now}）"},
    "alert_answer_threshold": {"en": "{label}: answer {answer} ({op} {value})",
                               "zh_CN": "{label}：回答 {answer}（{op} {value}）"},
    "alert_death": {"en": "Death reported (date of death {date})",
                    "zh_CN": "报告死亡（死亡日期 {date}）"},
    "alert_serious_ae": {"en": "Serious adverse event: {term} (onset {onset})",
                         "zh_CN": "严重不良事件：{term}（发生日期 {onset}）"},
    "alert_ae_grade_3plus": {"en": "Adverse event of grade {grade}: {term} (onset {onset})",
                             "zh_CN": "{grade} 级不良事件：{term}（发生日期 {onset}）"},
    "alert_new_hcc": {"en": "New diagnosis of hepatocellular carcinoma ({date})",
                      "zh_CN": "新诊断肝细胞癌（{date}）"},
    "alert_child_pugh_rise": {"en": "Child-Pugh rose from {baseline} at baseline to {now} points",
                              "zh_CN": "Child-Pugh 评分由基线 {baseline} 分升至 {now} 分"},
    "alert_acknowledged": {"en": "acknowledged by {who}, {when}",
                           "zh_CN": "已由 {who} 于 {when} 确认"},
    "alert_unacknowledged": {"en": "not yet acknowledged", "zh_CN": "尚未确认"},
    # SF-36
    "sf36_title": {"en": "SF-36 (RAND-36 items)", "zh_CN": "SF-36（RAND-36 条目）"},
    "no_questionnaire": {"en": "No questionnaire submitted", "zh_CN": "未提交问卷"},
    "not_done_reason": {"en": "Not done: {reason}", "zh_CN": "未完成：{reason}"},
    "scale": {"en": "Scale", "zh_CN": "维度"},
    "score_0_100": {"en": "Score 0\u2013100", "zh_CN": "得分 0\u2013100"},
    "t_score": {"en": "T-score", "zh_CN": "T 分"},
    "d_baseline": {"en": "\u0394 baseline", "zh_CN": "较基线 \u0394"},
    "d_previous": {"en": "\u0394 previous", "zh_CN": "较上次 \u0394"},
    "scale_PF": {"en": "Physical functioning", "zh_CN": "生理功能"},
    "scale_RP": {"en": "Role – physical", "zh_CN": "生理职能"},
    "scale_BP": {"en": "Bodily pain", "zh_CN": "躯体疼痛"},
    "scale_GH": {"en": "General health", "zh_CN": "总体健康"},
    "scale_VT": {"en": "Energy/fatigue (vitality)", "zh_CN": "精力"},
    "scale_SF": {"en": "Social functioning", "zh_CN": "社会功能"},
    "scale_RE": {"en": "Role – emotional", "zh_CN": "情感职能"},
    "scale_MH": {"en": "Emotional well-being", "zh_CN": "精神健康"},
    "scale_PCS": {"en": "Physical summary", "zh_CN": "生理健康总分"},
    "scale_MCS": {"en": "Mental summary", "zh_CN": "心理健康总分"},
    "primary_scoring": {"en": "Scores shown: {name} ({id}, version {version}); also stored: "
                               "{other_name} ({other_id}, version {other_version}). T-scores, PCS "
                               "and MCS: SF-36 v1 norm-based scoring, 1990 US norms.",
                        "zh_CN": "所示得分：{name}（{id}，版本 {version}）；同时保存：{other_name}"
                                 "（{other_id}，版本 {other_version}）。T 分、PCS 和 MCS：SF-36 v1 "
                                 "常模计分，1990 年美国常模。"},
    "mid_legend": {"en": "\u25b2 / \u25bc change of at least the minimal important difference "
                         "(better / worse): {scale} points on 0\u2013100 scales, {t} points on "
                         "T-scores (set by the study). Higher scores are better.",
                   "zh_CN": "\u25b2 / \u25bc 变化达到最小重要差异（改善 / 恶化）：0\u2013100 "
                            "维度 {scale} 分，T 分 {t} 分（由研究设定）。得分越高越好。"},
    "csc_mid_legend": {"en": "Symptom severity 0 none \u2013 4 very severe (higher is worse).",
                       "zh_CN": "症状严重程度 0 无 \u2013 4 极重度（越高越差）。"},
    "not_computable": {"en": "not computable", "zh_CN": "无法计算"},
    # CSC
    "csc_title": {"en": "Cirrhosis Symptom Checklist (CSC {version})",
                  "zh_CN": "肝硬化症状清单（CSC {version}）"},
    "csc_not_validated": {"en": "Study-specific checklist, not yet validated.",
                          "zh_CN": "本研究专用清单，尚未经过验证。"},
    "symptom": {"en": "Symptom", "zh_CN": "症状"},
    "now": {"en": "Now", "zh_CN": "本次"},
    "baseline": {"en": "Baseline", "zh_CN": "基线"},
    "previous": {"en": "Previous", "zh_CN": "上次"},
    "category": {"en": "Category", "zh_CN": "类别"},
    "cat_resolved": {"en": "resolved", "zh_CN": "消失"},
    "cat_improved": {"en": "improved", "zh_CN": "改善"},
    "cat_stable": {"en": "stable", "zh_CN": "稳定"},
    "cat_worsened": {"en": "worsened", "zh_CN": "加重"},
    "cat_absent": {"en": "absent", "zh_CN": "无"},
    "rss": {"en": "RSS (registered symptom score, 0\u201316)", "zh_CN": "RSS（登记症状评分，0\u201316）"},
    "tsb": {"en": "TSB (total symptom burden, 0\u2013100)", "zh_CN": "TSB（总症状负担，0\u2013100）"},
    "nmod": {"en": "NMOD (symptoms moderate or worse)", "zh_CN": "NMOD（中度及以上症状数）"},
    "responder": {"en": "Responder (exploratory): {value}", "zh_CN": "应答者（探索性）：{value}"},
    "yes": {"en": "yes", "zh_CN": "是"},
    "no": {"en": "no", "zh_CN": "否"},
    # clinician
    "clin_title": {"en": "Clinician assessment", "zh_CN": "临床评估"},
    "no_clinician": {"en": "No clinician assessment entered", "zh_CN": "未录入临床评估"},
    "lab": {"en": "Lab", "zh_CN": "检验"},
    "value": {"en": "Value", "zh_CN": "数值"},
    "unit": {"en": "Unit", "zh_CN": "单位"},
    "sample_date": {"en": "Sample date", "zh_CN": "采样日期"},
    "lab_bilirubin": {"en": "Total bilirubin", "zh_CN": "总胆红素"},
    "lab_albumin": {"en": "Albumin", "zh_CN": "白蛋白"},
    "lab_inr": {"en": "INR", "zh_CN": "INR"},
    "lab_creatinine": {"en": "Creatinine", "zh_CN": "肌酐"},
    "lab_sodium": {"en": "Sodium", "zh_CN": "钠"},
    "lab_afp": {"en": "AFP", "zh_CN": "甲胎蛋白"},
    "lab_alt": {"en": "ALT", "zh_CN": "ALT"},
    "lab_ast": {"en": "AST", "zh_CN": "AST"},
    "lab_platelets": {"en": "Platelets", "zh_CN": "血小板"},
    "dialysis": {"en": "Dialysis in the past week", "zh_CN": "过去一周透析"},
    "ascites": {"en": "Ascites", "zh_CN": "腹水"},
    "encephalopathy": {"en": "Encephalopathy (West Haven)", "zh_CN": "肝性脑病（West Haven）"},
    "asc_none": {"en": "none", "zh_CN": "无"},
    "asc_slight": {"en": "slight", "zh_CN": "少量"},
    "asc_moderate": {"en": "moderate\u2013severe", "zh_CN": "中至大量"},
    "he_none": {"en": "none", "zh_CN": "无"},
    "he_grade1-2": {"en": "grade 1\u20132", "zh_CN": "1\u20132 级"},
    "he_grade3-4": {"en": "grade 3\u20134", "zh_CN": "3\u20134 级"},
    "child_pugh": {"en": "Child-Pugh", "zh_CN": "Child-Pugh"},
    "child_pugh_value": {"en": "{points} points, class {grade}", "zh_CN": "{points} 分，{grade} 级"},
    "meld": {"en": "MELD", "zh_CN": "MELD"},
    "meld_na": {"en": "MELD-Na", "zh_CN": "MELD-Na"},
    "meld3": {"en": "MELD 3.0", "zh_CN": "MELD 3.0"},
    "meld3_uncapped": {"en": "{value} (uncapped {uncapped})", "zh_CN": "{value}（未封顶 {uncapped}）"},
    "formula": {"en": "formula", "zh_CN": "公式"},
    "not_computed": {"en": "not computed: {reason}", "zh_CN": "未计算：{reason}"},
    "missing_inputs": {"en": "missing {what}", "zh_CN": "缺少{what}"},
    "sex": {"en": "sex", "zh_CN": "性别"},          # inputs a stored score may name as missing
    "age": {"en": "age (12\u2013120 years)", "zh_CN": "年龄（12\u2013120 岁）"},
    "clin_symptoms": {"en": "Clinician-rated core symptoms (0\u20133)", "zh_CN": "医生评定核心症状（0\u20133）"},
    "cs_appetite": {"en": "appetite", "zh_CN": "食欲"},
    "cs_debilitation": {"en": "debilitation", "zh_CN": "乏力"},
    "cs_distension": {"en": "abdominal distension", "zh_CN": "腹胀"},
    "cs_edema": {"en": "lower-limb edema", "zh_CN": "下肢水肿"},
    # keys stored by the nurse clinical form (ui/nurse/clinical_form.py SYMPTOMS)
    "cs_abdominal_distension": {"en": "abdominal distension", "zh_CN": "腹胀"},
    "cs_lower_limb_edema": {"en": "lower-limb edema", "zh_CN": "下肢水肿"},
    "cs_fatigue": {"en": "fatigue", "zh_CN": "疲乏"},
    "imaging": {"en": "Imaging", "zh_CN": "影像"},
    "imaging_value": {"en": "liver {liver} cm, portal vein {portal} mm, spleen {spleen} cm, "
                            "new lesion suspicious for HCC: {lesion}",
                      "zh_CN": "肝脏 {liver} cm，门静脉 {portal} mm，脾脏 {spleen} cm，"
                               "可疑 HCC 新病灶：{lesion}"},
    "lesion_yes": {"en": "yes", "zh_CN": "是"},
    "lesion_no": {"en": "no", "zh_CN": "否"},
    "lesion_not_done": {"en": "not done", "zh_CN": "未做"},
    "vital_status": {"en": "Vital status", "zh_CN": "生存状态"},
    "vs_alive": {"en": "alive", "zh_CN": "存活"},
    "vs_died": {"en": "died {date}", "zh_CN": "死亡 {date}"},
    # trends
    "trends_title": {"en": "Trends over visits (same axes at every visit)",
                     "zh_CN": "各访视趋势（每次访视坐标轴相同）"},
    "trend_pcs_mcs": {"en": "PCS / MCS (T-score; 50 = US population mean)",
                      "zh_CN": "PCS / MCS（T 分；50 = 美国人群均值）"},
    "trend_rss": {"en": "RSS (0\u201316)", "zh_CN": "RSS（0\u201316）"},
    "trend_tsb": {"en": "TSB (0\u2013100)", "zh_CN": "TSB（0\u2013100）"},
    "trend_meld": {"en": "MELD (6\u201340)", "zh_CN": "MELD（6\u201340）"},
    "trend_child_pugh": {"en": "Child-Pugh points (5\u201315)", "zh_CN": "Child-Pugh 分（5\u201315）"},
    "no_trend": {"en": "No trend data yet", "zh_CN": "暂无趋势数据"},
    # missing data
    "missing_title": {"en": "Missing data", "zh_CN": "缺失数据"},
    "no_missing": {"en": "No skipped items; all scores computable.",
                   "zh_CN": "无跳过条目；所有得分均可计算。"},
    "skipped_items": {"en": "Skipped items", "zh_CN": "跳过的条目"},
    "not_done_title": {"en": "Questionnaires not done", "zh_CN": "未完成的问卷"},
    "reason": {"en": "Reason", "zh_CN": "原因"},
    "item": {"en": "Item", "zh_CN": "条目"},
    "instrument": {"en": "Instrument", "zh_CN": "量表"},
    "skip_prefer_not_to_answer": {"en": "prefers not to answer", "zh_CN": "不愿回答"},
    "skip_dont_understand": {"en": "does not understand the question", "zh_CN": "不理解问题"},
    "skip_not_applicable": {"en": "does not apply to me", "zh_CN": "不适用"},
    "skip_not_answered": {"en": "not answered", "zh_CN": "未作答"},
    "not_computable_title": {"en": "Scores not computable", "zh_CN": "无法计算的得分"},
    "nc_too_few_items": {"en": "too few items answered", "zh_CN": "回答条目过少"},
    "nc_needs_all_scales": {"en": "needs all 8 scales", "zh_CN": "需要全部 8 个维度"},
    "nc_not_submitted": {"en": "questionnaire not submitted", "zh_CN": "问卷未提交"},
    # signature
    "signature_title": {"en": "Signature", "zh_CN": "签名"},
    "not_signed": {"en": "Not signed", "zh_CN": "未签名"},
    "resign_required": {"en": "Not signed – re-signature required (data changed after "
                               "signing)", "zh_CN": "未签名 – 需要重新签名（签名后数据有更改）"},
    "invalidated_sig": {"en": "Signature of {name} at {when} is no longer valid: {reason}",
                        "zh_CN": "{name} 于 {when} 的签名已失效：{reason}"},
    "signed_by": {"en": "Signed by", "zh_CN": "签名人"},
    "meaning": {"en": "Meaning", "zh_CN": "签名含义"},
    "signed_at": {"en": "Time", "zh_CN": "时间"},
    "audit_head": {"en": "Audit chain head", "zh_CN": "稽查链头"},
    "meaning_review": {"en": "Reviewed by investigator", "zh_CN": "研究者已审阅"},
    "meaning_approval": {"en": "Approved", "zh_CN": "已批准"},
    "meaning_responsibility": {"en": "Responsibility", "zh_CN": "负责"},
    # storage.services.signing.MEANINGS
    "meaning_reviewed and approved": {"en": "Reviewed and approved", "zh_CN": "已审阅并批准"},
    "meaning_reviewed": {"en": "Reviewed", "zh_CN": "已审阅"},
    # appendix
    "appendix_title": {"en": "Answers as entered", "zh_CN": "原始作答"},
    "list_sep": {"en": ", ", "zh_CN": "\u3001"},        # between the items of a list: 、
    "sig_content_changed": {"en": "signed content changed", "zh_CN": "签名后内容已更改"},
    "appendix_section": {"en": "{name}{version} \u2013 shown in {language}{submitted}",
                         "zh_CN": "{name}{version} \u2013 显示语言 {language}{submitted}"},
    "submitted_at": {"en": ", submitted {when}", "zh_CN": "，提交于 {when}"},
    "text_version": {"en": "Text version shown: {version}", "zh_CN": "所示文本版本：{version}"},
    "answer": {"en": "Answer", "zh_CN": "回答"},
    "ans_skipped": {"en": "(skipped)", "zh_CN": "（跳过）"},
    "ans_not_applicable": {"en": "(not applicable)", "zh_CN": "（不适用）"},
    "ans_skipped_reason": {"en": "(skipped: {reason})", "zh_CN": "（跳过：{reason}）"},
    "ans_not_answered": {"en": "(not answered)", "zh_CN": "（未作答）"},
    "corrected_to": {"en": "Corrected to: {value}. Reason: {reason}",
                     "zh_CN": "已更正为：{value}。理由：{reason}"},
    "appendix_note": {"en": "The patient's original answers; corrections are marked below "
                            "the answer they changed.",
                      "zh_CN": "患者原始作答；更正标注于被更正的回答下方。"},
    # correction reasons (pick list of the correction dialogs; free text follows)
    "reason_transcription_error": {"en": "Transcription / entry error",
                                   "zh_CN": "转录/录入错误"},
    "reason_patient_clarified": {"en": "Patient clarified the answer", "zh_CN": "患者澄清了回答"},
    "reason_wrong_patient_or_visit": {"en": "Entered for the wrong patient or visit",
                                      "zh_CN": "录入到错误的患者或访视"},
    "reason_source_document": {"en": "Corrected from the source document",
                               "zh_CN": "依据源文件更正"},
    "reason_other": {"en": "Other", "zh_CN": "其他"},
    "lang_en": {"en": "English", "zh_CN": "英文"},
    "lang_zh_CN": {"en": "Simplified Chinese", "zh_CN": "简体中文"},
    "no_answers": {"en": "No answers entered", "zh_CN": "无作答记录"},
    "name_unprintable": {"en": "[name contains characters not printable]",
                         "zh_CN": "[姓名含无法打印的字符]"},
}

def tr(key: str, lang: str, **fields: object) -> str:
    entry = LABELS.get(key)
    text = key if entry is None else (entry.get(lang) or entry["en"])
    return text.format(**fields) if fields else text


def language_name(code: str, lang: str) -> str:
    """The name of a questionnaire language (``en``, ``zh_CN``) in ``lang``; an unknown code
    as given."""
    return tr(f"lang_{code}", lang) if f"lang_{code}" in LABELS else code


def tr_opt(prefix: str, code: str | None, lang: str) -> str:
    """Translate a code such as ``asc_`` + ``slight``; unknown codes print as given."""
    if code is None:
        return "\u2013"
    key = prefix + code
    return tr(key, lang) if key in LABELS else code


def symptom_label(item_id: str, lang: str, instrument_id: str | None = None) -> str:
    """A question's short label from the instrument data (``forms.registry.item_label``)."""
    return item_label(item_id, lang, instrument_id)


def credit_line(lang: str) -> str:
    return RAND_CREDIT.get(lang) or RAND_CREDIT["en"]
