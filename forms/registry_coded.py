"""The code half of the instrument registry: instruments whose scoring is code, not data.

RAND-36 / SF-36 v1 (``forms.sf36``, sf36.md) and the Cirrhosis Symptom Checklist (``forms.csc``,
symptoms.md) are scored by their own modules; this table says what those modules store (score
definitions with labels, ranges, MIDs), how exports name them and how screens lay them out.
Everything else about them (items, texts, languages, credit) comes from their instrument files.
A new instrument whose scoring is expressible as data needs no entry here (``forms.itemscore``).
"""
from __future__ import annotations

from typing import Any, Mapping

from forms import csc, sf36
from forms.alerts import AlertFinding
from forms.instrument_defs import (AlgorithmDef, Codes, ExportNames, Headline, PrimaryScoring,
                                   ScoreDef, TrendDef)

SCALE_NAMES = {
    "pf": "Physical functioning", "rp": "Role limitations (physical)", "bp": "Bodily pain",
    "gh": "General health", "vt": "Energy/fatigue (vitality)", "sf": "Social functioning",
    "re": "Role limitations (emotional)", "mh": "Emotional well-being (mental health)",
}
SCALE_NAMES_ZH = {"pf": "生理功能", "rp": "生理职能", "bp": "躯体疼痛", "gh": "总体健康",
                  "vt": "活力", "sf": "社会功能", "re": "情感职能", "mh": "精神健康"}

PRIMARY_SCORINGS = (
    PrimaryScoring("rand36", sf36.RAND36_ALGORITHM, "rand_",
                   {"en": "RAND-36 (RAND 1993, 0–100 scales)",
                    "zh_CN": "RAND-36（RAND 1993，0–100 分量表）"}),
    PrimaryScoring("sf36v1", sf36.SF36V1_ALGORITHM, "sf36_",
                   {"en": "SF-36 v1 (Ware 1993, norm-based PCS/MCS)",
                    "zh_CN": "SF-36 第1版（Ware 1993，常模 PCS/MCS）"}),
)


def _sf36_defs() -> tuple[ScoreDef, ...]:
    """Keys are forms.sf36's own (``score_all`` returns them): RAND_KEYS then SF36_KEYS."""
    out: list[ScoreDef] = []
    for key in sf36.RAND_KEYS + sf36.SF36_KEYS:
        algo = sf36.ALGORITHM_OF_KEY[key]
        prefix, _, rest = key.partition("_")
        scale, _, t = rest.partition("_")
        unit, mid = "0-100", 5.0
        if key == "rand_ht":
            label, lo, hi = "RAND-36 health change, item 2 recoded (0-100)", 0, 100
            zh = "RAND-36 健康变化（条目2，0-100）"
        elif scale in ("pcs", "mcs"):
            kind = "physical" if scale == "pcs" else "mental"
            label, lo, hi = (f"SF-36 {kind} component summary (T-score, 1990 US norms)",
                             None, None)
            zh = f"SF-36 {'生理' if scale == 'pcs' else '心理'}健康总分（T分）"
            unit, mid = "T", 3.0
        elif t == "t":
            label, lo, hi = f"SF-36 {SCALE_NAMES[scale]} T-score (1990 US norms)", None, None
            zh, unit, mid = f"SF-36 {SCALE_NAMES_ZH[scale]}（T分）", "T", 3.0
        elif prefix == "rand":
            label, lo, hi = f"RAND-36 {SCALE_NAMES[scale]} (0-100, RAND scoring)", 0, 100
            zh = f"RAND-36 {SCALE_NAMES_ZH[scale]}（0-100）"
        else:
            label, lo, hi = f"SF-36 v1 {SCALE_NAMES[scale]} (0-100, standard scoring)", 0, 100
            zh = f"SF-36 第1版 {SCALE_NAMES_ZH[scale]}（0-100）"
        out.append(ScoreDef(key, key, label, "float", algo, sf36.INSTRUMENT_ID, lo, hi,
                            labels={"en": label, "zh_CN": zh}, unit=unit, higher_is_better=True,
                            mid=mid))
    return tuple(out)


def _csc_defs() -> tuple[ScoreDef, ...]:
    a, i = csc.ALGORITHM_ID, csc.INSTRUMENT_ID

    def d(name: str, key: str, label: str, zh: str, typ: str, lo: float | None = None,
          hi: float | None = None, **kw: Any) -> ScoreDef:
        return ScoreDef(name, key, label, typ, a, i, lo, hi, labels={"en": label, "zh_CN": zh},
                        **kw)
    return (
        d("csc_rss", "rss", "CSC registered symptom score C1-C4 (0-16, prorated)",
          "CSC 登记症状评分 C1-C4（0-16）", "float", 0, 16, higher_is_better=False, unit="0-16"),
        d("csc_tsb", "tsb", "CSC total symptom burden (0-100)", "CSC 总症状负担（0-100）",
          "float", 0, 100, higher_is_better=False, unit="0-100"),
        d("csc_nmod", "nmod", "CSC number of scored symptoms moderate or worse",
          "CSC 中度及以上症状数", "integer", 0, 12, higher_is_better=False),
        d("csc_alert", "alert", "CSC alert level (warning signs; core symptom worse by >= 2)",
          "CSC 警报级别", "text", codes=(("red", "Red alert"), ("amber", "Amber alert"))),
        d("csc_rss_change", "rss_change", "CSC RSS change from baseline",
          "CSC RSS 较基线变化", "float", -16, 16, higher_is_better=False),
        d("csc_tsb_change", "tsb_change", "CSC TSB change from baseline",
          "CSC TSB 较基线变化", "float", -100, 100, higher_is_better=False),
        d("csc_responder_exploratory", "responder_exploratory",
          "CSC responder (exploratory): dRSS <= -2 and dTSB <= -10, no core symptom worse "
          "by >= 2", "CSC 应答者（探索性）", "boolean"),
    )


def _score_sf36(codes: Codes, **_: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, value in sf36.score_all(codes).items():
        out.setdefault(sf36.ALGORITHM_OF_KEY[key], {})[key] = value
    return out


def _full_csc(c: Codes | None) -> dict[str, int | None] | None:
    return None if c is None else {i: c.get(i) for i in csc.ITEM_IDS}


def _score_csc(codes: Codes, *, baseline: Codes | None = None,
               previous: Codes | None = None) -> dict[str, dict[str, Any]]:
    result = csc.score_csc(_full_csc(codes) or {}, baseline=_full_csc(baseline),
                           previous=_full_csc(previous))
    return {result.algorithm: result.values()}


def _alerts_csc(codes: Codes, previous: Codes | None = None) -> tuple[AlertFinding, ...]:
    return csc.alert_findings(_full_csc(codes) or {}, _full_csc(previous))


# instrument id -> what its instrument file cannot say (the registry merges both)
CODED: Mapping[str, Mapping[str, Any]] = {
    sf36.INSTRUMENT_ID: dict(
        short_name={"en": "SF-36 (RAND-36)", "zh_CN": "SF-36 (RAND-36)"},
        scores=_sf36_defs(), scorer=_score_sf36, layout="sf36", order=10,
        algorithms=(AlgorithmDef(sf36.RAND36_ALGORITHM, "1.0",
                                 {"en": "RAND-36 scoring (Hays 1993)",
                                  "zh_CN": "RAND-36 计分（Hays 1993）"}),
                    AlgorithmDef(sf36.SF36V1_ALGORITHM, "1.0",
                                 {"en": "SF-36 v1 standard scoring (Ware 1993), 1990 US norms",
                                  "zh_CN": "SF-36 第1版标准计分（Ware 1993），1990年美国常模"})),
        export=ExportNames("rand36", "R36Q", "RAND 36-ITEM HEALTH SURVEY 1.0", evlint="-P4W",
                           sdtm_item_numbers=True),
        headline=(Headline("last_pcs", sf36.SF36V1_ALGORITHM, "sf36_pcs"),
                  Headline("last_mcs", sf36.SF36V1_ALGORITHM, "sf36_mcs")),
        trends=(TrendDef("pcs", sf36.SF36V1_ALGORITHM, "sf36_pcs"),
                TrendDef("mcs", sf36.SF36V1_ALGORITHM, "sf36_mcs")),
        primary_scorings=PRIMARY_SCORINGS, batch_module="forms.sf36"),
    csc.INSTRUMENT_ID: dict(
        short_name={"en": "Cirrhosis symptom checklist", "zh_CN": "肝硬化症状清单"},
        scores=_csc_defs(), scorer=_score_csc, layout="symptoms", order=20, uses_history=True,
        algorithms=(AlgorithmDef(csc.ALGORITHM_ID, "1.0",
                                 {"en": "CSC scoring 1.0 (symptoms.md)",
                                  "zh_CN": "CSC 计分 1.0"}),),
        export=ExportNames("csc", "CSC", "CIRRHOSIS SYMPTOM CHECKLIST 1.0"),
        alert=(csc.ALGORITHM_ID, "alert"), alerter=_alerts_csc,
        headline=(Headline("last_rss", csc.ALGORITHM_ID, "rss"),),
        trends=(TrendDef("rss", csc.ALGORITHM_ID, "rss"), TrendDef("tsb", csc.ALGORITHM_ID, "tsb")),
        trend_items=csc.CORE_ITEMS, no_straightline_blocks=frozenset({"warning"}),
        batch_module="forms.csc"),
}
