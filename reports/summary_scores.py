"""The questionnaire part of the visit summary, built by looping over the instrument registry.

Each registered instrument submitted at the visit becomes the block its registry ``layout``
names: ``sf36`` (8 scales under the study's primary scoring, T-scores, PCS/MCS), ``symptoms``
(per-symptom table, change categories) or ``scores`` (a plain table of its registry scores).
Scores are the stored Score rows, never recomputed; per-symptom categories come from the stored
answers with the same ``forms`` functions that scored them. The alerts box prints the stored
staff alerts (``summary_loader``). Qt-free.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forms import csc, sf36
from forms.instrument import BASE_LANGUAGE
from forms.instrument_defs import InstrumentEntry
from forms.registry import primary_scoring, registry
from reports.summary_model import (Algorithm, CscBlock, Measure, NotComputable,
                                   ScaleScore, ScoreRow, ScoresBlock, Sf36Block, SymptomRow,
                                   SF36_SCALES)
from storage.services.summary_queries import AdministrationRow, SummaryData, VisitRow


class Patient:
    """Index of one patient's stored facts: submitted administrations by visit and instrument."""

    def __init__(self, data: SummaryData) -> None:
        self.data = data
        self.order = {v.id: i for i, v in enumerate(data.visits)}
        self.submitted: dict[tuple[int, str], AdministrationRow] = {}
        for a in data.administrations:
            if a.status == "submitted":
                self.submitted[(a.visit_id, a.instrument_id)] = a
        base = next((v for v in data.visits if v.kind == "baseline"), None)
        self.baseline_visit: VisitRow = base or data.visits[0]

    def at(self, visit: VisitRow, instrument: str) -> AdministrationRow | None:
        return self.submitted.get((visit.id, instrument))

    def baseline(self, instrument: str) -> AdministrationRow | None:
        if self.data.visit.id == self.baseline_visit.id:
            return None
        return self.at(self.baseline_visit, instrument)

    def previous(self, instrument: str) -> AdministrationRow | None:
        here = self.order[self.data.visit.id]
        for v in reversed(self.data.visits[:here]):
            adm = self.at(v, instrument)
            if adm is not None:
                return adm
        return None


def values(adm: AdministrationRow | None, algorithm: str) -> dict[str, Any]:
    if adm is None or algorithm not in adm.scores:
        return {}
    return adm.scores[algorithm][1]


def codes(adm: AdministrationRow | None) -> dict[str, int | None] | None:
    if adm is None:
        return None
    return {a.item_id: a.code for a in adm.answers if a.status == "answered"}


def measure(key: str, now: dict, base: dict, prev: dict) -> Measure:
    return Measure(now.get(key), base.get(key), prev.get(key))


@dataclass
class InstrumentBlocks:
    sf36: Sf36Block | None = None
    csc: CscBlock | None = None
    scores: list[ScoresBlock] = field(default_factory=list)
    not_computable: list[NotComputable] = field(default_factory=list)


# ------------------------------------------------------------------------------ layout "sf36"
def _sf36(p: Patient, e: InstrumentEntry, primary_setting: str, lang: str,
          out: InstrumentBlocks) -> None:
    adm = p.at(p.data.visit, e.id)
    if adm is None:
        return
    base, prev = p.baseline(e.id), p.previous(e.id)
    primary = primary_scoring(primary_setting)
    rand, ware = sf36.RAND36_ALGORITHM, sf36.SF36V1_ALGORITHM
    primary_alg = primary.algorithm
    other_alg = ware if primary_alg == rand else rand
    now_p, base_p, prev_p = (values(a, primary_alg) for a in (adm, base, prev))
    now_w, base_w, prev_w = (values(a, ware) for a in (adm, base, prev))
    answered_codes = {int(k[1:]): v for k, v in (codes(adm) or {}).items() if k[1:].isdigit()}
    nc = out.not_computable
    scales = []
    for code in SF36_SCALES:
        s = code.lower()
        score = measure(primary.key_prefix + s, now_p, base_p, prev_p)
        t = measure(f"sf36_{s}_t", now_w, base_w, prev_w)
        reason = None
        answered = sum(1 for i in sf36.SCALE_ITEMS[s] if answered_codes.get(i) is not None)
        if score.now is None:
            reason = "too_few_items"
            need = 1 if primary_alg == rand else sf36.WARE_MIN_ANSWERED[s]
            nc.append(NotComputable(e.id, code, reason,
                                    f"{answered} / {len(sf36.SCALE_ITEMS[s])}, \u2265 {need}"))
        elif t.now is None:
            nc.append(NotComputable(e.id, f"{code} T", "too_few_items",
                                    f"{answered} / {len(sf36.SCALE_ITEMS[s])}, \u2265 "
                                    f"{sf36.WARE_MIN_ANSWERED[s]}"))
        scales.append(ScaleScore(code, score, t, reason))
    pcs = measure("sf36_pcs", now_w, base_w, prev_w)
    mcs = measure("sf36_mcs", now_w, base_w, prev_w)
    if pcs.now is None or mcs.now is None:
        nc.append(NotComputable(e.id, "PCS/MCS", "needs_all_scales"))

    def alg(alg_id: str) -> Algorithm:
        version = adm.scores.get(alg_id, ("1.0", {}))[0]
        return Algorithm(alg_id, registry().algorithm_name(alg_id, lang), version)
    out.sf36 = Sf36Block(primary.key_prefix.rstrip("_"), alg(primary_alg), alg(other_alg),
                         tuple(scales), pcs, mcs,
                         instrument_version=f"RAND-36 {adm.instrument_version}")


# ------------------------------------------------------------------------------ layout "symptoms"
def _symptoms(p: Patient, e: InstrumentEntry, primary_setting: str, lang: str,
              out: InstrumentBlocks) -> None:
    adm = p.at(p.data.visit, e.id)
    if adm is None:
        return
    base, prev = p.baseline(e.id), p.previous(e.id)
    now_c, base_c = codes(adm) or {}, codes(base)
    symptoms = tuple(SymptomRow(i, now_c.get(i), None if base_c is None else base_c.get(i),
                                None if base_c is None
                                else csc.symptom_category(base_c.get(i), now_c.get(i)))
                     for i in csc.SCORED_ITEMS)
    alg = e.algorithms[0].id
    now_v, base_v, prev_v = (values(a, alg) for a in (adm, base, prev))
    responder = now_v.get("responder_exploratory")
    out.csc = CscBlock(e.id, adm.instrument_version, symptoms,
                       measure("rss", now_v, base_v, prev_v), measure("tsb", now_v, base_v, prev_v),
                       measure("nmod", now_v, base_v, prev_v),
                       responder=responder if isinstance(responder, bool) else None)
    scores = csc.score_visit(now_c)      # alerts: the stored staff alerts (summary_loader)
    if now_v.get("rss") is None:
        out.not_computable.append(NotComputable(
            e.id, "RSS", "too_few_items", f"{scores.rss_answered} / {len(csc.CORE_ITEMS)}, "
                                          f"\u2265 {csc.RSS_MIN_ANSWERED}"))
    if now_v.get("tsb") is None:
        out.not_computable.append(NotComputable(
            e.id, "TSB", "too_few_items", f"{scores.tsb_answered} / {len(csc.SCORED_ITEMS)}, "
                                          f"\u2265 {csc.TSB_MIN_ANSWERED}"))


# ------------------------------------------------------------------------------ layout "scores"
def _scores(p: Patient, e: InstrumentEntry, primary_setting: str, lang: str,
            out: InstrumentBlocks) -> None:
    adm = p.at(p.data.visit, e.id)
    if adm is None:
        return
    base, prev = p.baseline(e.id), p.previous(e.id)
    rows = []
    for d in e.scores:
        if not d.shown:
            continue
        m = measure(d.key, *(values(a, d.algorithm) for a in (adm, base, prev)))
        rows.append(ScoreRow(d.key, d.text(lang), m, d.unit, d.mid, d.higher_is_better,
                             integer=d.type == "integer"))
        if m.now is None:
            out.not_computable.append(NotComputable(e.id, d.text(lang), "too_few_items"))
    title = e.title.get(lang) or e.title.get(BASE_LANGUAGE) or e.id
    out.scores.append(ScoresBlock(e.id, title, adm.instrument_version, tuple(rows),
                                  e.credit.get(lang) or e.credit.get(BASE_LANGUAGE, "")))


_LAYOUTS = {"sf36": _sf36, "symptoms": _symptoms, "scores": _scores}


def instrument_blocks(p: Patient, primary_setting: str, lang: str) -> InstrumentBlocks:
    """Every registered instrument submitted at this visit, as its layout's block."""
    out = InstrumentBlocks()
    for e in sorted(registry(), key=lambda e: (e.order, e.id)):
        _LAYOUTS[e.layout](p, e, primary_setting, lang, out)
    return out


def trend_keys() -> tuple[str, ...]:
    """Trend series of the registered instruments, in the default battery order."""
    return tuple(t.series for e in sorted(registry(), key=lambda e: (e.order, e.id))
                 for t in e.trends)


def trend_values(p: Patient, visit: VisitRow) -> list[tuple[str, Any]]:
    """(series key, stored value or None) of every registered trend at one visit."""
    return [(t.series, values(p.at(visit, e.id), t.algorithm).get(t.key))
            for e in sorted(registry(), key=lambda e: (e.order, e.id)) for t in e.trends]
