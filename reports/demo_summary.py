"""A realistic demo ``VisitSummary`` (subject DEMO-0001, visit W12) for tests, benchmarks and the
nurse UI's preview before real data exist. Nothing here is patient data.

The SF-36 0–100 values are chosen by hand; everything derived from them or from the listed
answers and labs comes from the one implementation in ``forms/``: T-scores and PCS/MCS
(``forms.sf36``, 1990 US norms), the CSC sums and symptom categories (``forms.csc``),
Child-Pugh and the MELD family (``forms.liver``), so the page is internally consistent. The
instruments (ids, titles, versions, item wording and option labels in both languages) come from
the instrument registry; nothing outside the repository is read.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from forms import csc as csc_scoring
from forms import sf36 as sf36_scoring
from forms.instrument import BASE_LANGUAGE, localize
from forms.instrument_defs import InstrumentEntry
from forms.liver import LiverInputs, LiverScores, derive_liver_scores
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol
from forms.registry import PRIMARY_SCORINGS, primary_scoring, registry
from forms.schedule import visit_label
from reports.summary_model import (Algorithm, Alert, AppendixItem, AppendixSection, CalcScore,
                                   ClinicianBlock, CscBlock, Imaging, LabValue, Measure,
                                   MissingData, ScaleScore, Sf36Block, Signature, SkippedItem,
                                   SymptomRow, TrendPoint, Trends, TrendSeries, VisitSummary,
                                   VitalStatus, CSC_SCORED_ITEMS, SF36_SCALES)

# the demo's two questionnaires, by registry layout (their ids live in the registry)
SF36 = registry().with_layout("sf36")[0]
CSC = registry().with_layout("symptoms")[0]
SF36_ID, CSC_ID = SF36.id, CSC.id
SCHEDULE = ("BL", "W1", "W2", "W4", "W8", "W12", "W24", "W36", "W52")   # protocol.md §2
PROTOCOL = load_protocol(DEFAULT_PROTOCOL_PATH)     # names the visits on the trend axes
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
# every answer of the W12 checklist (A3 = 1: the red warning sign of the alerts box)
CSC_W12_ANSWERS = {**CSC_W12, "C2b": 2, "P1": 0, "P2": 0, "G1": 1, "G2": 3, "A1": 0, "A2": 0,
                   "A3": 1, "A4": 0, "A5": 0, "A6": 0, "A7": 0}
SF36_SKIPPED_ITEM = 9                          # the one SF-36 item skipped at this visit
RSS_HISTORY = {"BL": 9, "W4": 8, "W8": 7}     # plus W12 computed
TSB_HISTORY = {"BL": 39.583333, "W4": 35.416667, "W8": 31.25}
MELD_HISTORY = {"BL": 17, "W4": 16, "W8": 15}
CP_HISTORY = {"BL": 9, "W4": 9, "W8": 8}
SAMPLE_DATE = date(2025, 2, 27)
# the W12 labs as entered: (analyte, value, unit); the scores are derived from them
LABS = (("bilirubin", 2.4, "mg/dL"), ("albumin", 3.1, "g/dL"), ("inr", 1.45, ""),
        ("creatinine", 1.12, "mg/dL"), ("sodium", 134, "mmol/L"), ("afp", 6.2, "ng/mL"),
        ("platelets", 88, "10^9/L"))
PATIENT_SEX, PATIENT_AGE = "M", 52


def t_score(code: str, x: float) -> float:
    """T-score of a scale (summary-model code ``PF`` …) by ``forms.sf36``."""
    return sf36_scoring.t_score(code.lower(), x)


def summaries(scores: dict[str, float]) -> tuple[float, float]:
    """PCS and MCS of eight 0–100 scales (summary-model codes) by ``forms.sf36``."""
    pcs, mcs = sf36_scoring.summary_scores({c.lower(): v for c, v in scores.items()})
    assert pcs is not None and mcs is not None
    return pcs, mcs


def _at(visit: str) -> dict[str, float]:
    i = SF36_VISITS.index(visit)
    return {c: SF36_HISTORY[c][i] for c in SF36_SCALES}


def _csc_scores(items: dict[str, int]) -> tuple[float, float, int]:
    scores = csc_scoring.score_visit(items)
    assert scores.rss is not None and scores.tsb is not None and scores.nmod is not None
    return scores.rss, scores.tsb, scores.nmod


def _algorithm(alg_id: str) -> Algorithm:
    return Algorithm(alg_id, registry().algorithm_name(alg_id, BASE_LANGUAGE),
                     registry().algorithm_version(alg_id))


def _liver() -> LiverScores:
    return derive_liver_scores(LiverInputs(
        labs={name: {"value": str(value), "unit": unit} for name, value, unit in LABS
              if name in ("bilirubin", "albumin", "inr", "creatinine", "sodium")},
        ascites="slight", encephalopathy="none", sex=PATIENT_SEX, age=PATIENT_AGE,
        dialysis=False))


def _item_label(item) -> str:  # noqa: ANN001
    return str(item.number) if item.id == f"q{item.number}" else item.id


def _section(entry: InstrumentEntry, answers: dict[str, int], skipped: tuple[str, ...],
             lang: str, submitted: datetime) -> AppendixSection:
    """The instrument's items as the patient read them (``lang``), answered with ``answers``
    (an item in ``skipped``: skipped with a reason; any other unanswered: not applicable)."""
    inst = entry.instrument()
    shown = localize(inst, lang)
    items = []
    for item in inst.items:
        code = answers.get(item.id)
        label, stem = _item_label(item), shown.stem(item) or None
        if code is None:
            status = "skipped" if item.id in skipped else "not_applicable"
            reason = "prefer_not_to_answer" if status == "skipped" else None
            items.append(AppendixItem(label, shown.text(item), None, status, stem,
                                      skip_reason=reason))
        else:
            items.append(AppendixItem(label, shown.text(item), dict(shown.options(item))[code],
                                      "answered", stem, code))
    return AppendixSection(inst.id, shown.title() or inst.id, inst.version,
                           shown.shown_language, tuple(items), submitted)


def _sf36_answers() -> dict[str, int]:
    """A varied, plausible answer pattern over every SF-36 item but the skipped one."""
    inst = SF36.instrument()
    out = {}
    for n, item in enumerate(inst.items, start=1):
        codes = sorted(inst.options_for(item).codes)
        if n != SF36_SKIPPED_ITEM:
            out[item.id] = codes[(n * 7) % len(codes)]
    return out


def _appendix(lang: str) -> tuple[AppendixSection, ...]:
    submitted = datetime(2025, 3, 1, 1, 48, tzinfo=timezone.utc)
    skipped = SF36.instrument().items[SF36_SKIPPED_ITEM - 1].id
    return (_section(SF36, _sf36_answers(), (skipped,), lang, submitted),
            _section(CSC, CSC_W12_ANSWERS, (), lang, submitted))


def demo_visit_summary(lang: str = "en", **overrides) -> VisitSummary:
    """The W12 visit of DEMO-0001 (baseline, previous visit W8, one skipped item, two alerts)."""
    now, bl, prev = _at("W12"), _at("BL"), _at("W8")
    scales = tuple(ScaleScore(c, Measure(now[c], bl[c], prev[c]),
                              Measure(t_score(c, now[c]), t_score(c, bl[c]), t_score(c, prev[c])))
                   for c in SF36_SCALES)
    (pcs, mcs), (pcs_bl, mcs_bl) = summaries(now), summaries(bl)
    pcs_prev, mcs_prev = summaries(prev)
    primary = primary_scoring("sf36v1")           # the study default (SF-36 v1 scoring)
    other = next(p for p in PRIMARY_SCORINGS if p.id != primary.id)
    sf36 = Sf36Block(primary.key_prefix.rstrip("_"), _algorithm(primary.algorithm),
                     _algorithm(other.algorithm), scales, Measure(pcs, pcs_bl, pcs_prev),
                     Measure(mcs, mcs_bl, mcs_prev), instrument_version=f"RAND-36 {SF36.version}")
    rss, tsb, nmod = _csc_scores(CSC_W12)
    rss_bl, tsb_bl, nmod_bl = _csc_scores(CSC_BL)
    rss_p, tsb_p, nmod_p = _csc_scores(CSC_W8)
    csc = CscBlock(CSC_ID, CSC.version,
                   tuple(SymptomRow(i, CSC_W12[i], CSC_BL[i],
                                    csc_scoring.symptom_category(CSC_BL[i], CSC_W12[i]))
                         for i in CSC_SCORED_ITEMS),
                   Measure(rss, rss_bl, rss_p), Measure(tsb, tsb_bl, tsb_p),
                   Measure(nmod, nmod_bl, nmod_p), responder=False)
    liver = _liver()
    cp, m, mn, m3 = liver.child_pugh, liver.meld, liver.meld_na, liver.meld3
    assert cp is not None and m is not None and mn is not None and m3 is not None
    meld = m.score
    clinician = ClinicianBlock(
        labs=tuple(LabValue(name, value, unit, SAMPLE_DATE) for name, value, unit in LABS),
        dialysis=False, ascites="slight", encephalopathy="none",
        clinician_symptoms=(("appetite", 1), ("debilitation", 2), ("distension", 1), ("edema", 1)),
        child_pugh=CalcScore(cp.score, cp.formula_id, grade=cp.child_class),
        meld=CalcScore(m.score, m.formula_id), meld_na=CalcScore(mn.score, mn.formula_id),
        meld3=CalcScore(m3.score, m3.formula_id, uncapped=m3.uncapped),
        imaging=Imaging(13.5, 13.0, 14.2, "no", date(2025, 2, 20)),
        vital_status=VitalStatus("alive"))
    pcs_series, mcs_series = [], []
    for v in SCHEDULE:
        if v in SF36_VISITS:
            pcs_v, mcs_v = summaries(_at(v))
            pcs_series.append(TrendPoint(v, pcs_v))
            mcs_series.append(TrendPoint(v, mcs_v))
    trends = Trends(SCHEDULE, (
        TrendSeries("pcs", tuple(pcs_series)), TrendSeries("mcs", tuple(mcs_series)),
        TrendSeries("rss", tuple(TrendPoint(v, x) for v, x in {**RSS_HISTORY, "W12": rss}.items())),
        TrendSeries("tsb", tuple(TrendPoint(v, x) for v, x in {**TSB_HISTORY, "W12": tsb}.items())),
        TrendSeries("meld",
                    tuple(TrendPoint(v, x) for v, x in {**MELD_HISTORY, "W12": meld}.items())),
        TrendSeries("child_pugh",
                    tuple(TrendPoint(v, x) for v, x in {**CP_HISTORY, "W12": cp.score}.items())),
    ), tuple(visit_label(PROTOCOL, v, lang, short=True) for v in SCHEDULE))
    appendix = _appendix(lang)
    skipped_text = appendix[0].items[SF36_SKIPPED_ITEM - 1].text
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
        missing=MissingData(skipped=(SkippedItem(SF36_ID, str(SF36_SKIPPED_ITEM), skipped_text,
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
