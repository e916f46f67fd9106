"""A realistic demo ``VisitSummary`` (subject DEMO-0001, visit W12) for tests, benchmarks and the
nurse UI's preview before real data exist. Nothing here is patient data.

SF-36 0–100 values are chosen by hand; the T-scores and PCS/MCS are derived from them with the
1990 US norms (sf36.md §4.1–4.2) and the CSC sums and Child-Pugh/MELD values from the listed
items and labs (symptoms.md §3, calculators.md), so the page is internally consistent. The
appendix item wording is read from the spec item bank when it is available (``spec_dir``).
"""
from __future__ import annotations

import csv
import math
import re
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

from forms.registry import registry
from reports.summary_model import (Algorithm, Alert, AppendixItem, AppendixSection, CalcScore,
                                   ClinicianBlock, CscBlock, Imaging, LabValue, Measure,
                                   MissingData, ScaleScore, Sf36Block, Signature, SkippedItem,
                                   SymptomRow, TrendPoint, Trends, TrendSeries, VisitSummary,
                                   VitalStatus, CSC_SCORED_ITEMS, SF36_SCALES)

DEFAULT_SPEC = Path(__file__).resolve().parent.parent.parent / "shared" / "spec"
# the demo's two questionnaires, by registry layout (their ids live in the registry)
SF36_ID = registry().with_layout("sf36")[0].id
CSC_ID = registry().with_layout("symptoms")[0].id
SCHEDULE = ("BL", "W1", "W2", "W4", "W8", "W12", "W24", "W36", "W52")   # protocol.md §2
NORMS = {"PF": (84.52404, 22.89490, 0.42402, -0.22999), "RP": (81.19907, 33.79729, 0.35119, -0.12329),
         "BP": (75.49196, 23.55879, 0.31754, -0.09731), "GH": (72.21316, 20.16964, 0.24954, -0.01571),
         "VT": (61.05453, 20.86942, 0.02877, 0.23534), "SF": (83.59753, 22.37642, -0.00753, 0.26876),
         "RE": (81.29467, 33.02717, -0.19206, 0.43407), "MH": (74.84212, 18.01189, -0.22069, 0.48581)}
# 0–100 scores (SF-36 v1 standard scoring) at BL, W4, W8, W12
SF36_HISTORY = {
    "PF": (40.0, 45.0, 50.0, 55.0), "RP": (25.0, 25.0, 50.0, 50.0),
    "BP": (51.111111, 57.777778, 62.222222, 64.444444), "GH": (35.0, 37.0, 40.0, 47.0),
    "VT": (35.0, 40.0, 45.0, 52.5), "SF": (50.0, 62.5, 62.5, 62.5),
    "RE": (33.333333, 66.666667, 66.666667, 66.666667), "MH": (56.0, 60.0, 64.0, 68.0),
}
SF36_VISITS = ("BL", "W4", "W8", "W12")
CSC_BL = {"C1": 3, "C2": 1, "C3": 3, "C4": 2, "S1": 1, "S2": 1, "S3": 2, "S4": 2, "S5": 2, "S6": 1,
          "S7": 0, "S8": 1}
CSC_W8 = {"C1": 2, "C2": 1, "C3": 2, "C4": 2, "S1": 1, "S2": 0, "S3": 2, "S4": 1, "S5": 2, "S6": 1,
          "S7": 0, "S8": 1}
CSC_W12 = {"C1": 1, "C2": 3, "C3": 2, "C4": 1, "S1": 0, "S2": 0, "S3": 2, "S4": 1, "S5": 1, "S6": 1,
           "S7": 0, "S8": 0}
RSS_HISTORY = {"BL": 9, "W4": 8, "W8": 7}     # plus W12 computed
TSB_HISTORY = {"BL": 39.583333, "W4": 35.416667, "W8": 31.25}
MELD_HISTORY = {"BL": 17, "W4": 16, "W8": 15}
CP_HISTORY = {"BL": 9, "W4": 9, "W8": 8}


def t_score(code: str, x: float) -> float:
    mean, sd, _, _ = NORMS[code]
    return 50 + 10 * (x - mean) / sd


def summaries(scores: dict[str, float]) -> tuple[float, float]:
    z = {c: (scores[c] - NORMS[c][0]) / NORMS[c][1] for c in SF36_SCALES}
    return (50 + 10 * sum(z[c] * NORMS[c][2] for c in SF36_SCALES),
            50 + 10 * sum(z[c] * NORMS[c][3] for c in SF36_SCALES))


def _at(visit: str) -> dict[str, float]:
    i = SF36_VISITS.index(visit)
    return {c: SF36_HISTORY[c][i] for c in SF36_SCALES}


def _csc_scores(items: dict[str, int]) -> tuple[float, float, int]:
    rss = sum(items[c] for c in ("C1", "C2", "C3", "C4"))
    vals = [items[i] for i in CSC_SCORED_ITEMS]
    return rss, 100 * sum(vals) / (4 * len(vals)), sum(v >= 2 for v in vals)


def _category(now: int, bl: int) -> str:
    if bl >= 1 and now == 0:
        return "resolved"
    if now > bl:
        return "worsened"
    if bl >= 1 and now <= bl - 1:
        return "improved"
    if bl >= 1 and now == bl:
        return "stable"
    return "absent"


def _meld(bili: float, inr: float, cr: float, na: float, alb: float) -> tuple[int, int, float]:
    b, i, c = max(bili, 1.0), max(inr, 1.0), min(max(cr, 1.0), 4.0)
    meld_i = 0.957 * math.log(c) + 0.378 * math.log(b) + 1.120 * math.log(i) + 0.643
    meld = min(round(10 * meld_i), 40)
    nab = min(max(na, 125), 137)
    meld_na = min(round(meld + 1.32 * (137 - nab) - 0.033 * meld * (137 - nab)), 40) \
        if meld > 11 else meld
    c3, a = min(max(cr, 1.0), 3.0), min(max(alb, 1.5), 3.5)
    m3 = (4.56 * math.log(b) + 0.82 * (137 - nab) - 0.24 * (137 - nab) * math.log(b)
          + 9.09 * math.log(i) + 11.14 * math.log(c3) + 1.85 * (3.5 - a)
          - 1.83 * (3.5 - a) * math.log(c3) + 6)
    return meld, meld_na, m3


def _appendix(spec_dir: Path | None, lang: str) -> tuple[AppendixSection, ...]:
    spec = spec_dir if spec_dir is not None else DEFAULT_SPEC
    rand_csv, sym_md = spec / "rand36_items.csv", spec / "symptoms.md"
    submitted = datetime(2025, 3, 1, 1, 48, tzinfo=timezone.utc)
    sf_items: list[AppendixItem] = []
    if rand_csv.is_file():
        with rand_csv.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                n = int(row["item"])
                options = dict(o.split("=", 1) for o in row["options_precode=label"].split("|"))
                code = sorted(options)[(n * 7) % len(options)]   # a varied, plausible pattern
                if n == 9:   # the skipped item of this visit
                    sf_items.append(AppendixItem(str(n), row["text"], None, "skipped",
                                                 row["stem"] or None))
                    continue
                sf_items.append(AppendixItem(str(n), row["text"], options[code], "answered",
                                             row["stem"] or None, int(code)))
    else:
        sf_items = [AppendixItem(str(n), f"RAND-36 item {n}", "(demo)") for n in range(1, 37)]
    csc_items: list[AppendixItem] = []
    if sym_md.is_file():
        text = re.sub(r"\n {2,}(?=\S)", " ", sym_md.read_text(encoding="utf-8"))  # join wrapped bullets
        sets = {}
        for m in re.finditer(r"^- (\w+): (.+)$", text, re.M):
            opts = {}
            for part in m.group(2).split(" · "):
                pm = re.match(r"(\d+) (.+?) (\S+)$", part.strip())
                if pm:
                    opts[int(pm.group(1))] = {"en": pm.group(2), "zh_CN": pm.group(3)}
            sets[m.group(1)] = opts
        answers = {**CSC_W12, "C2b": 2, "P1": 0, "P2": 0, "G1": 1, "G2": 3, "A1": 0, "A2": 0,
                   "A3": 1, "A4": 0, "A5": 0, "A6": 0, "A7": 0}
        for m in re.finditer(r"^\| (\w+) \| (\w+) \| (.+?) \| (.+?) \|$", text, re.M):
            item, rs, en, zh = m.groups()
            if item == "id":
                continue
            en = re.sub(r"^\*\(.*?\)\* ", "", en)
            code = answers.get(item)
            label = sets.get(rs, {}).get(code, {}).get(lang) if code is not None else None
            csc_items.append(AppendixItem(item, zh if lang == "zh_CN" else en, label,
                                          "answered" if label else "skipped", None, code))
    return (AppendixSection(SF36_ID, "RAND-36", "1.0", "en", tuple(sf_items), submitted),
            AppendixSection(CSC_ID, "CSC", "1.0", lang, tuple(csc_items), submitted))


def demo_visit_summary(lang: str = "en", *, spec_dir: Path | None = None,
                       **overrides) -> VisitSummary:
    """The W12 visit of DEMO-0001 (baseline, previous visit W8, one skipped item, two alerts)."""
    now, bl, prev = _at("W12"), _at("BL"), _at("W8")
    scales = tuple(ScaleScore(c, Measure(now[c], bl[c], prev[c]),
                              Measure(t_score(c, now[c]), t_score(c, bl[c]), t_score(c, prev[c])))
                   for c in SF36_SCALES)
    (pcs, mcs), (pcs_bl, mcs_bl), (pcs_prev, mcs_prev) = summaries(now), summaries(bl), summaries(prev)
    sf36 = Sf36Block(
        "sf36",
        Algorithm("sf36v1-ware1993-norms1990", "SF-36 v1 standard scoring", "Ware 1993, 1990 norms"),
        Algorithm("rand36-1.0", "RAND-36 scoring", "1.0"),
        scales, Measure(pcs, pcs_bl, pcs_prev), Measure(mcs, mcs_bl, mcs_prev))
    rss, tsb, nmod = _csc_scores(CSC_W12)
    rss_bl, tsb_bl, nmod_bl = _csc_scores(CSC_BL)
    rss_p, tsb_p, nmod_p = _csc_scores(CSC_W8)
    csc = CscBlock(CSC_ID, "1.0", tuple(SymptomRow(i, CSC_W12[i], CSC_BL[i],
                                                  _category(CSC_W12[i], CSC_BL[i]))
                                       for i in CSC_SCORED_ITEMS),
                   Measure(rss, rss_bl, rss_p), Measure(tsb, tsb_bl, tsb_p),
                   Measure(nmod, nmod_bl, nmod_p), responder=False)
    labs = (LabValue("bilirubin", 2.4, "mg/dL", date(2025, 2, 27)),
            LabValue("albumin", 3.1, "g/dL", date(2025, 2, 27)),
            LabValue("inr", 1.45, "", date(2025, 2, 27)),
            LabValue("creatinine", 1.12, "mg/dL", date(2025, 2, 27)),
            LabValue("sodium", 134, "mmol/L", date(2025, 2, 27)),
            LabValue("afp", 6.2, "ng/mL", date(2025, 2, 27)),
            LabValue("platelets", 88, "10^9/L", date(2025, 2, 27)))
    meld, meld_na, meld3 = _meld(2.4, 1.45, 1.12, 134, 3.1)
    clinician = ClinicianBlock(
        labs=labs, dialysis=False, ascites="slight", encephalopathy="none",
        clinician_symptoms=(("appetite", 1), ("debilitation", 2), ("distension", 1), ("edema", 1)),
        # bilirubin 2–3 mg/dL: 2, albumin 2.8–3.5: 2, INR < 1.7: 1, slight ascites: 2, no HE: 1
        child_pugh=CalcScore(8, "CTP-Pugh1973-INR", grade="B"),
        meld=CalcScore(meld, "MELD-UNOS-2002"), meld_na=CalcScore(meld_na, "MELD-Na-OPTN-2016"),
        meld3=CalcScore(min(round(meld3), 40), "MELD-3.0-OPTN-2023", uncapped=meld3),
        imaging=Imaging(13.5, 13.0, 14.2, "no", date(2025, 2, 20)),
        vital_status=VitalStatus("alive"))
    pcs_series, mcs_series = [], []
    for v in SCHEDULE:
        if v in SF36_VISITS:
            p, m = summaries(_at(v))
            pcs_series.append(TrendPoint(v, p))
            mcs_series.append(TrendPoint(v, m))
    trends = Trends(SCHEDULE, (
        TrendSeries("pcs", tuple(pcs_series)), TrendSeries("mcs", tuple(mcs_series)),
        TrendSeries("rss", tuple(TrendPoint(v, x) for v, x in {**RSS_HISTORY, "W12": rss}.items())),
        TrendSeries("tsb", tuple(TrendPoint(v, x) for v, x in {**TSB_HISTORY, "W12": tsb}.items())),
        TrendSeries("meld", tuple(TrendPoint(v, x) for v, x in {**MELD_HISTORY, "W12": meld}.items())),
        TrendSeries("child_pugh", tuple(TrendPoint(v, x) for v, x in {**CP_HISTORY, "W12": 8}.items())),
    ))
    appendix = _appendix(spec_dir, lang)
    skipped_text = next((it.text for it in appendix[0].items if it.label == "9"), "item 9")
    summary = VisitSummary(
        study="HEPA-CHN-2025", site="01 Shanghai Ruijin", subject_id="DEMO-0001", initials="ZW",
        arm="A", visit_code="W12", visit_date=date(2025, 3, 1), study_day=85,
        window_status="in_window",
        generated_at=datetime(2025, 3, 1, 2, 15, tzinfo=timezone.utc), app_version="0.1.0",
        report_language=lang, full_name="张伟", show_full_name=False,
        sf36=sf36, csc=csc,
        alerts=(Alert("red", "warning_sign_yes", "A3"),
                Alert("amber", "core_worsened", "C2", previous=CSC_W8["C2"], now=CSC_W12["C2"])),
        clinician=clinician, trends=trends,
        missing=MissingData(skipped=(SkippedItem(SF36_ID, "9", skipped_text,
                                                 "prefer_not_to_answer"),)),
        signature=Signature("Dr. Li Na", "review", datetime(2025, 3, 1, 3, 5, tzinfo=timezone.utc),
                            audit_head="9f2c4e1ab37d55e0c1d2"),
        appendix=appendix, display_tz="Asia/Shanghai")
    return replace(summary, **overrides) if overrides else summary


def empty_visit_summary(lang: str = "en", **overrides) -> VisitSummary:
    """A visit where nothing has been submitted yet (no questionnaires, no clinician form)."""
    base = VisitSummary(
        study="HEPA-CHN-2025", site="01 Shanghai Ruijin", subject_id="DEMO-0002", initials="LM",
        arm="B", visit_code="W4", visit_date=date(2025, 3, 3), study_day=None,
        window_status="unscheduled",
        generated_at=datetime(2025, 3, 3, 6, 0, tzinfo=timezone.utc), app_version="0.1.0",
        report_language=lang, display_tz="Asia/Shanghai")
    return replace(base, **overrides) if overrides else base
