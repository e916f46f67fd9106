"""Database -> ``VisitSummary`` (the plain model the PDF builder reads). Qt-free.

Public API:
    load_visit_summary(db, subject_id, visit_code, *, lang="en", now=None) -> VisitSummary
    load_visits_on(db, day, *, tz=None) -> list[tuple[str, str]]     # (subject id, visit code)

All stored facts come from ONE read transaction (``storage.services.summary_queries``). Scores are
the stored Score rows (never recomputed here), so the paper equals what the nurse screens show;
per-symptom categories and alerts are derived from the stored answers with ``forms.csc`` (the
same functions that scored them). Baseline = the visit coded ``baseline`` (as the CSC scoring
does; else the first visit); previous = the latest earlier visit where that instrument was
submitted.

Study settings not (yet) stored in the database take the model defaults: minimal important
differences 5 / 3 points (``MidSettings``), full name never printed (``show_full_name=False``).
"""
from __future__ import annotations

import importlib.metadata
from dataclasses import replace
from datetime import date, datetime, time, timezone, tzinfo
from typing import Any

from forms import schedule as sched
from forms.clinical_fields import VitalStatus as StoredVitalStatus
from forms.instrument import Instrument, load_instrument, localize
from forms.liver import SCORE_INPUTS, stored_score
from forms.outcomes import describe_outcome
from forms.protocol import Protocol, site_name
from forms.translation import text_version_label
from reports.i18n import tr
from reports.summary_model import (Alert, AppendixItem, AppendixSection, CalcScore,
                                   ClinicianBlock, Imaging, LabValue, MissingData,
                                   NotComputable, NotDoneQuestionnaire, Signature, SkippedItem,
                                   TrendPoint, Trends, TrendSeries, VisitSummary, VitalStatus)
from reports.summary_scores import (Patient as _Patient, instrument_blocks, trend_keys,
                                    trend_values)
from storage.db import Database
from storage.services.alerts import list_alerts
from storage.services.history import AnswerValue
from storage.services.not_done import visit_not_done
from storage.services.outcomes import list_outcomes
from storage.services.translations import administration_instrument
from storage.services.summary_queries import (ClinicalRow, SignatureRow, SummaryData,
                                              summary_data, visits_on)

LAB_ORDER = ("bilirubin", "albumin", "inr", "creatinine", "sodium", "afp", "alt", "ast",
             "platelets")



def app_version() -> str:
    try:
        return importlib.metadata.version("epro-desk")
    except importlib.metadata.PackageNotFoundError:
        return "dev"


def load_visits_on(db: Database, day: date, *, tz: tzinfo | None = None
                   ) -> list[tuple[str, str]]:
    """Visits that took place or had data captured on ``day`` (local calendar day)."""
    return visits_on(db, day, tz=tz)


# ------------------------------------------------------------------------------ helpers
def _alerts(db: Database, d: SummaryData, until: datetime) -> tuple[Alert, ...]:
    """The staff alerts storage raised for the visit (the instrument's alert rules at
    submission; staff data: death, SAE, grade >= 3 AE, new HCC, Child-Pugh rise), and the
    patient's staff-data alerts entered without a visit up to ``until``, with their
    acknowledgement."""
    rows = [a for a in list_alerts(db, patient_id=d.patient_id)
            if a.visit_id == d.visit.id or (a.visit_id is None and a.raised_at <= until)]
    return tuple(Alert(a.severity, a.reason, a.item_id or a.field or "",
                       previous=a.params.get("previous"), now=a.params.get("now"),
                       params=a.params, acknowledged_by=a.acknowledged_by,
                       acknowledged_at=a.acknowledged_at)
                 for a in rows)


def as_of_visit(d: SummaryData) -> tuple[SummaryData, datetime | None]:
    """The data as of the printed visit: the patient's visits up to it in schedule order (an
    unscheduled visit takes its place by date) and, for a signed visit, no questionnaire
    submitted and no clinician assessment entered after its signature; with the signature time
    (None when not signed). A reprint of an old visit never shows data that did not exist when
    it was signed (a later correction of a value that existed shows its current value)."""
    visits = tuple(v for v in d.visits if v.sequence <= d.visit.sequence)
    keep = {v.id for v in visits}
    signed = max((r.signed_at for r in d.signatures if r.status == "valid"), default=None)
    adms = tuple(a for a in d.administrations if a.visit_id in keep and (
        signed is None or a.submitted_at is None or a.submitted_at <= signed))
    clinical = {k: c for k, c in d.clinical.items() if k in keep and (
        signed is None or c.entered_at is None or c.entered_at <= signed)}
    return replace(d, visits=visits, administrations=adms, clinical=clinical), signed


def _window_status(d: SummaryData, today: date) -> str:
    v = d.visit
    if v.unscheduled_reason:
        return "unscheduled"
    vdef = sched.VisitDef(v.code, v.target_day, v.target_day - v.window_before,
                          v.target_day + v.window_after)
    pv = sched.plan(vdef, d.day1_date)
    if v.actual_date is not None:
        dev = sched.window_deviation(pv, v.actual_date)
        return "in_window" if dev == 0 else ("early" if dev < 0 else "late")
    return sched.window_status(pv, today)     # not_yet_due | due | overdue


# ------------------------------------------------------------------------------ clinician
def _num(x: Any) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _imaging(img: dict[str, Any]) -> Imaging | None:
    """Imaging as storage returns it (typed; ``{"note": text}`` for an old unreadable row)."""
    if not img:
        return None
    if "note" in img:
        return Imaging(note=str(img["note"]))
    return Imaging(_num(img.get("liver_size_cm")), _num(img.get("portal_vein_mm")),
                   _num(img.get("spleen_size_cm")), img.get("new_lesion_hcc"))


def _vital(vital: StoredVitalStatus | None) -> VitalStatus | None:
    return None if vital is None else VitalStatus(vital.status, vital.death_date)


def _calc(derived: dict, key: str) -> CalcScore | None:
    entry = stored_score(derived, key)
    if entry is None or entry["score"] is None:
        return None
    return CalcScore(float(entry["score"]), str(entry["formula_id"] or ""),
                     grade=entry["class"] if key == "child_pugh" else None,
                     uncapped=_num(entry["uncapped"]))


def _input_label(name: str, lang: str) -> str:
    return tr("lab_" + name, lang) if ("lab_" + name) in _labels() else tr(name, lang)


def _clinician(ca: ClinicalRow | None, lang: str) -> ClinicianBlock | None:
    if ca is None:
        return None
    labs = []
    for key in sorted(ca.labs, key=lambda k: (LAB_ORDER.index(k) if k in LAB_ORDER else 99, k)):
        value = _num(ca.labs[key].get("value"))
        if value is not None:
            labs.append(LabValue(key, value, ca.labs[key].get("unit") or "", ca.sample_date))
    d = ca.derived
    # why a score is missing: as stored with it (forms.liver); a row stored before that has no
    # entry for it and names the absent inputs of SCORE_INPUTS (an input list, no formula)
    have = set(ca.labs) | {k for k in ("ascites", "encephalopathy") if getattr(ca, k)}
    not_computed = []
    for name, inputs in SCORE_INPUTS.items():
        entry = stored_score(d, name)
        if entry is not None and entry["score"] is not None:
            continue
        missing = entry["missing"] if entry is not None else \
            tuple(i for i in inputs if i not in have and i != "sex")
        if missing:
            not_computed.append((name, tr("missing_inputs", lang, what=tr("list_sep", lang).join(
                _input_label(i, lang) for i in missing))))
    grades = tuple((k, int(v)) for k, v in ca.symptom_grades.items()
                   if isinstance(v, (int, float)) and not isinstance(v, bool))
    return ClinicianBlock(labs=tuple(labs), dialysis=ca.dialysis, ascites=ca.ascites,
                          encephalopathy=ca.encephalopathy,
                          clinician_symptoms=grades, child_pugh=_calc(d, "child_pugh"),
                          meld=_calc(d, "meld"), meld_na=_calc(d, "meld_na"),
                          meld3=_calc(d, "meld3"), imaging=_imaging(ca.imaging),
                          vital_status=_vital(ca.vital_status), not_computed=tuple(not_computed))


def _labels() -> dict:
    from reports.i18n import LABELS
    return LABELS


# ------------------------------------------------------------------------------ trends
def _trends(p: _Patient, axis: tuple[str, ...], labels: tuple[str, ...]) -> Trends:
    """Points of the visits up to the printed one (``as_of_visit``) on the fixed schedule
    ``axis`` (named by ``labels``)."""
    d = p.data
    series: dict[str, list[TrendPoint]] = {k: [] for k in
                                           (*trend_keys(), "meld", "child_pugh")}
    for v in d.visits:
        ca = d.clinical.get(v.id)
        der = ca.derived if ca is not None else {}
        for key, value in (*trend_values(p, v),
                           ("meld", (stored_score(der, "meld") or {}).get("score")),
                           ("child_pugh", (stored_score(der, "child_pugh") or {}).get("score"))):
            if value is not None:
                series[key].append(TrendPoint(v.code, float(value)))
    return Trends(axis,
                  tuple(TrendSeries(k, tuple(pts)) for k, pts in series.items()), labels)


# ------------------------------------------------------------------------------ answers
def _item_label(item) -> str:  # noqa: ANN001
    return str(item.number) if item.id == f"q{item.number}" else item.id


def _appendix_and_skips(d: SummaryData, lang: str, instruments: dict[str, Instrument],
                        texts: dict[int, Instrument] | None = None
                        ) -> tuple[tuple[AppendixSection, ...], list[SkippedItem],
                                   list[NotComputable]]:
    """``texts``: administration id -> the instrument with the exact text that patient read
    (an installed translation); default the shipped texts."""
    sections, skipped, nc = [], [], []
    for adm in d.administrations:
        if adm.visit_id != d.visit.id:
            continue
        inst = instruments.get(adm.instrument_id)
        if inst is None:
            inst = instruments[adm.instrument_id] = load_instrument(adm.instrument_id)
        if adm.status != "submitted":
            if adm.status != "entered_in_error":
                nc.append(NotComputable(adm.instrument_id, "", "not_submitted"))
            continue
        shown = localize((texts or {}).get(adm.id, inst), adm.language)  # what the patient read
        reader = localize(inst, lang)                     # item text for the clinician
        rows = {a.item_id: a for a in adm.answers}
        items = []
        for item in inst.items:
            a = rows.get(item.id)
            label = _item_label(item)
            # the patient's ORIGINAL answer (storage's value history), each correction after it
            h = d.history.answer(adm.id, item.id)
            first = h.entered if h is not None else (
                AnswerValue(a.status, a.code, a.skip_reason) if a is not None else None)
            corrections = tuple((_value_text(c.new, shown, item, lang), c.reason or "")
                                for c in (h.changes if h is not None else ()))
            if first is not None and first.status == "answered" and first.code is not None:
                items.append(AppendixItem(label, shown.text(item),
                                          dict(shown.options(item)).get(first.code,
                                                                        str(first.code)),
                                          "answered", shown.stem(item) or None, first.code,
                                          corrections=corrections))
            else:
                status = first.status if first is not None else "not_answered"
                items.append(AppendixItem(label, shown.text(item), None, status,
                                          shown.stem(item) or None,
                                          skip_reason=first.skip_reason if first else None,
                                          corrections=corrections))
            if a is None or a.status == "skipped":        # missing now (scores lack it)
                skipped.append(SkippedItem(adm.instrument_id, label, reader.text(item),
                                           a.skip_reason or "" if a else "not_answered"))
        sections.append(AppendixSection(inst.id, shown.title() or inst.id, adm.instrument_version,
                                        shown.shown_language, tuple(items), adm.submitted_at,
                                        text_version_label(adm.text_version, adm.text_sha256)))
    return tuple(sections), skipped, nc


def _value_text(v: AnswerValue, shown, item, lang: str) -> str:  # noqa: ANN001
    """A corrected value as the appendix prints it: the option label shown to the patient,
    or what the correction made of the item (skipped with its reason, not applicable)."""
    if v.status == "answered" and v.code is not None:
        return dict(shown.options(item)).get(v.code, str(v.code))
    if v.status == "skipped":
        reason = tr("skip_" + (v.skip_reason or ""), lang) if v.skip_reason else ""
        return tr("ans_skipped_reason", lang, reason=reason)
    return tr("ans_" + (v.status or "not_answered"), lang)


# ------------------------------------------------------------------------------ signature
def _signature(row: SignatureRow) -> Signature:
    return Signature(row.signer_name, row.meaning, row.signed_at, audit_head=row.audit_hash,
                     invalidated_reason=row.invalidated_reason)


def _signatures(d: SummaryData, lang: str) -> tuple[Signature | None, bool, Signature | None]:
    valid = [r for r in d.signatures if r.status == "valid"]
    current = valid[-1] if valid else None
    stale = [r for r in d.signatures if r.status != "valid"]
    resign = (d.visit.status == "resign_required" and current is None) or \
        (current is not None and not current.content_matches)
    invalidated = None
    if current is not None and not current.content_matches:
        invalidated = Signature(current.signer_name, current.meaning, current.signed_at,
                                audit_head=current.audit_hash,
                                invalidated_reason=tr("sig_content_changed", lang))
        return None, True, invalidated
    if resign and stale:
        invalidated = _signature(stale[-1])
    return (_signature(current) if current else None), resign, invalidated


def _protocol_site(protocol: Protocol | None, lang: str) -> str:
    """The site of a subject stored without one (demo, imported): the protocol's only site,
    as the SDTM export's SITEID (``Protocol.only_site``); a dash when the protocol has several."""
    only = protocol.only_site if protocol is not None else None
    return site_name(only, lang) if only is not None else "\u2013"


def _not_done(db: Database, visit_id: int) -> tuple[NotDoneQuestionnaire, ...]:
    """The visit's questionnaires recorded not done. A signed visit needs no "as of": a record
    or its withdrawal after the signature invalidates it (``storage.services.not_done``)."""
    return tuple(NotDoneQuestionnaire(r.instrument_id, r.reason, r.text)
                 for r in visit_not_done(db, visit_id))


# ------------------------------------------------------------------------------ main entry
def load_visit_summary(db: Database, subject_id: str, visit_code: str, *, lang: str = "en",
                       now: datetime | None = None,
                       instruments: dict[str, Instrument] | None = None) -> VisitSummary:
    """Everything one visit's PDF shows, from the database (one read transaction).

    Raises ``storage.errors.NotFound`` (a UserError: CLI exit 2) for an unknown subject or
    visit. ``now`` (aware) is the generated-at time; default the current time.
    """
    generated = now or datetime.now(timezone.utc)
    stored = summary_data(db, subject_id, visit_code)
    d, signed_at = as_of_visit(stored)
    day = d.visit.actual_date or d.visit.planned_date
    until = signed_at or min(generated, datetime.combine(day, time.max, timezone.utc))
    p = _Patient(d)
    insts = instruments if instruments is not None else {}
    for inst_id in {a.instrument_id for a in d.administrations}:
        if inst_id not in insts:
            insts[inst_id] = load_instrument(inst_id, db.instrument_dir)
    blocks = instrument_blocks(p, d.primary_sf36_scoring, lang)
    texts = {a.id: administration_instrument(db, a.id) for a in d.administrations
             if a.visit_id == d.visit.id and a.status == "submitted" and a.text_sha256}
    appendix, skipped, nc_open = _appendix_and_skips(d, lang, insts, texts)
    signature, resign, invalidated = _signatures(d, lang)
    v = d.visit
    return VisitSummary(
        study=d.protocol_id, site=d.site or _protocol_site(stored.protocol, lang),
        subject_id=d.subject_id,
        initials=d.initials, arm=d.arm_label.get(lang) or d.arm_label.get("en") or d.arm,
        visit_code=v.code, visit_label=sched.visit_label(stored.protocol, v.code, lang),
        visit_date=v.actual_date or v.planned_date,
        study_day=(sched.study_day(d.day1_date, v.actual_date) if v.actual_date else None),
        window_status=_window_status(d, generated.astimezone().date()),
        generated_at=generated, app_version=app_version(), report_language=lang,
        full_name=d.full_name, show_full_name=False,
        is_baseline=v.id == p.baseline_visit.id,
        sf36=blocks.sf36, csc=blocks.csc, scores=tuple(blocks.scores),
        alerts=_alerts(db, d, until),
        clinician=_clinician(d.clinical.get(v.id), lang),
        trends=_trends(p, tuple(x.code for x in stored.visits),
                       tuple(sched.visit_label(stored.protocol, x.code, lang, short=True)
                             for x in stored.visits)),
        missing=MissingData(tuple(skipped), tuple(nc_open + blocks.not_computable),
                            _not_done(db, v.id)),
        signature=signature, resign_required=resign, invalidated_signature=invalidated,
        appendix=appendix, data_as_of=signed_at,
        outcomes=tuple(describe_outcome(r.kind, r.fields, lang)
                       for r in list_outcomes(db, None, d.patient_id, visit_id=v.id)))
