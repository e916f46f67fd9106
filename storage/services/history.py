"""Read-only views for review screens and reports: scores of a visit, a patient's trend data,
audit history, and the whole story of every value of a visit (``value_history``)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import (Administration, Answer, AuditEvent, ClinicalAssessment, Score,
                            Visit)
from storage.services.clinical import read_imaging, read_vital_status


def visit_scores(db: Database, visit_id: int) -> dict[str, dict[str, Any]]:
    """instrument id -> algorithm id -> {"version", "values", "computed_at"} (submitted only)."""
    out: dict[str, dict[str, Any]] = {}
    with db.read_session() as s:
        rows = s.execute(select(Administration.instrument_id, Score)
                         .join(Score, Score.administration_id == Administration.id)
                         .where(Administration.visit_id == visit_id,
                                Administration.status == "submitted"))
        for inst, sc in rows:
            out.setdefault(inst, {})[sc.algorithm_id] = {
                "version": sc.algorithm_version, "values": sc.values,
                "computed_at": sc.computed_at}
    return out


@dataclass(frozen=True)
class VisitTrendData:
    """What the trend charts need of one visit (submitted questionnaires only)."""
    visit_id: int
    code: str
    scores: dict[str, dict[str, dict[str, Any]]]     # instrument -> algorithm -> values
    # (instrument, {item: code answered}) per submitted administration, in the order given
    answers: tuple[tuple[str, dict[str, int | None]], ...]
    clinical_derived: dict[str, Any] | None     # stored derived scores; None: no assessment


def patient_trend_data(db: Database, patient_id: int) -> list[VisitTrendData]:
    """Every visit of the patient in visit order with its scores, submitted answers and stored
    liver scores: ONE read transaction, four indexed queries, whatever the number of visits
    (opening a patient: ``bench/bench_reads.py`` ``open_patient_10k_ms``)."""
    with db.read_session() as s:
        visits = s.execute(select(Visit.id, Visit.code).where(Visit.patient_id == patient_id)
                           .order_by(Visit.sequence, Visit.id)).all()
        vids = [v for v, _c in visits]
        adms = {a: (v, inst) for a, v, inst in s.execute(
            select(Administration.id, Administration.visit_id, Administration.instrument_id)
            .where(Administration.visit_id.in_(vids), Administration.status == "submitted")
            .order_by(Administration.id))}
        scores: dict[int, dict[str, dict[str, dict[str, Any]]]] = {}
        for adm_id, alg, values in s.execute(
                select(Score.administration_id, Score.algorithm_id, Score.values)
                .where(Score.administration_id.in_(list(adms)))):
            v, inst = adms[adm_id]
            scores.setdefault(v, {}).setdefault(inst, {})[alg] = values or {}
        codes: dict[int, dict[str, int | None]] = {a: {} for a in adms}
        for adm_id, item, code in s.execute(
                select(Answer.administration_id, Answer.item_id, Answer.code)
                .where(Answer.administration_id.in_(list(adms)), Answer.status == "answered")):
            codes[adm_id][item] = code
        answers: dict[int, list[tuple[str, dict[str, int | None]]]] = {}
        for adm_id, (v, inst) in adms.items():          # administration order
            answers.setdefault(v, []).append((inst, codes[adm_id]))
        derived = {v: d or {} for v, d in s.execute(
            select(ClinicalAssessment.visit_id, ClinicalAssessment.derived)
            .where(ClinicalAssessment.visit_id.in_(vids)))}
    return [VisitTrendData(v, code, scores.get(v, {}), tuple(answers.get(v, ())), derived.get(v))
            for v, code in visits]


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    action: str
    operation: str
    entity: str | None
    entity_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None
    actor_kind: str
    actor_username: str | None
    actor_role: str | None
    station_id: str | None
    patient_id: int | None


def audit_history(db: Database, *, patient_id: int | None = None, entity: str | None = None,
                  entity_id: int | None = None, limit: int | None = None) -> list[AuditRow]:
    """Audit rows (oldest first), filtered by patient and/or entity; a change of several
    fields (one stored row) is one AuditRow per field, with the same seq."""
    q = select(AuditEvent).order_by(AuditEvent.seq)
    if patient_id is not None:
        q = q.where(AuditEvent.patient_id == patient_id)
    if entity is not None:
        q = q.where(AuditEvent.entity == entity)
    if entity_id is not None:
        q = q.where(AuditEvent.entity_id == entity_id)
    if limit is not None:
        q = q.limit(limit)
    with db.read_session() as s:
        return [AuditRow(e.seq, e.at, e.action, e.operation, e.entity, e.entity_id, f, old, new,
                         e.reason, e.actor_kind, e.actor_username, e.actor_role, e.station_id,
                         e.patient_id) for e in s.scalars(q) for f, old, new in e.field_rows()]


# ------------------------------------------------------------------------------ value histories
#: the audited fields that make up an answer's value, and the clinician assessment's inputs (the
#: derived scores are not inputs: storage derives them again on every save)
ANSWER_FIELDS = ("status", "code", "skip_reason")
CLINICAL_FIELDS = ("sample_date", "labs", "dialysis", "child_pugh_variant", "ascites",
                   "encephalopathy", "symptom_grades", "imaging", "vital_status")
CORRECTION_ACTIONS = frozenset({"answer.correct", "clinical.correct"})


@dataclass(frozen=True)
class AnswerValue:
    """An answer's value at one moment: answered with a code, skipped with a reason, or not
    applicable (branching)."""
    status: str | None
    code: int | None = None
    skip_reason: str | None = None


@dataclass(frozen=True)
class ValueChange:
    """One audited change of a value after it was entered (a correction: who, when, why)."""
    at: datetime
    action: str
    actor_username: str | None
    actor_role: str | None
    reason: str | None
    old: Any
    new: Any


@dataclass(frozen=True)
class ValueHistory:
    """The whole story of one value: as entered (by the patient at the kiosk, or by staff for
    the clinician assessment), each later change, and the current value."""
    key: str                        # item id, or a clinical field ("labs.bilirubin", "ascites")
    administration_id: int | None   # None for the clinician assessment
    entered: Any
    entered_at: datetime
    entered_by: str | None          # user name; None when the patient entered it at the kiosk
    entered_role: str | None
    changes: tuple[ValueChange, ...]
    current: Any

    @property
    def corrected(self) -> bool:
        return bool(self.changes)

    @property
    def last_reason(self) -> str | None:
        return self.changes[-1].reason if self.changes else None


@dataclass(frozen=True)
class VisitHistory:
    answers: dict[tuple[int, str], ValueHistory] = field(default_factory=dict)
    clinical: dict[str, ValueHistory] = field(default_factory=dict)

    def answer(self, administration_id: int, item_id: str) -> ValueHistory | None:
        return self.answers.get((administration_id, item_id))


def _answer_field(name: str, text: str | None) -> Any:
    return int(text) if name == "code" and text is not None else text


def _clinical_parts(name: str, text: str | None) -> dict[str, Any]:
    """An audited clinical field as flat sub-values: labs and grades per name, imaging per
    measure, vital status with its date; the rest as one value."""
    if name in ("labs", "symptom_grades"):
        data = json.loads(text) if text else {}
        if name == "labs":
            data = {k: {"value": v.get("value"), "unit": v.get("unit")} for k, v in data.items()}
        return {f"{name}.{k}": v for k, v in data.items()}
    if name == "imaging":
        return {f"imaging.{k}": v for k, v in read_imaging(text).items()}
    if name == "vital_status":
        vital = read_vital_status(text)
        return {"vital_status": None if vital is None else
                (vital.status, vital.death_date.isoformat() if vital.death_date else None)}
    if name == "dialysis":
        return {name: None if text is None else text == "true"}
    return {name: text}


def _history(key: str, adm_id: int | None, steps: list[tuple[AuditEvent, Any, Any]]
             ) -> ValueHistory | None:
    """``steps``: (audit row of the change, old, new) in order, for one value."""
    if not steps:
        return None
    entered_i = next((i for i, (e, _o, _n) in enumerate(steps)
                      if e.action in CORRECTION_ACTIONS), len(steps))
    if entered_i == 0:
        first = steps[0]
        entry, entered = first[0], first[1]
    else:
        entry, entered = steps[entered_i - 1][0], steps[entered_i - 1][2]
    changes = tuple(ValueChange(e.at, e.action, e.actor_username, e.actor_role, e.reason, o, n)
                    for e, o, n in steps[entered_i:])
    by_patient = entry.actor_kind == "patient"
    return ValueHistory(key, adm_id, entered, entry.at.replace(tzinfo=timezone.utc)
                        if entry.at.tzinfo is None else entry.at,
                        None if by_patient else entry.actor_username,
                        None if by_patient else entry.actor_role, changes, steps[-1][2])


def visit_history_in(s: Session, visit_id: int) -> VisitHistory:
    """``value_history`` inside an open session (the visit summary reads it in its own one
    read transaction)."""
    answer_ids = dict(s.execute(
        select(Answer.id, Administration.id).join(
            Administration, Administration.id == Answer.administration_id)
        .where(Administration.visit_id == visit_id)).all())
    items = dict(s.execute(select(Answer.id, Answer.item_id)
                           .where(Answer.id.in_(list(answer_ids)))).all()) if answer_ids else {}
    answers: dict[tuple[int, str], ValueHistory] = {}
    if answer_ids:
        rows = s.scalars(select(AuditEvent).where(
            AuditEvent.entity == "answer", AuditEvent.entity_id.in_(list(answer_ids)),
            AuditEvent.operation != "event").order_by(AuditEvent.seq)).all()
        per: dict[int, list[AuditEvent]] = {}
        for r in rows:
            per.setdefault(r.entity_id, []).append(r)
        for ans_id, ans_rows in per.items():
            state = AnswerValue(None)
            steps = []
            for ev in ans_rows:                      # one audit row = one change
                new = {"status": state.status, "code": state.code,
                       "skip_reason": state.skip_reason}
                for name, (_old, value) in ev.fields().items():
                    if name in ANSWER_FIELDS:
                        new[name] = _answer_field(name, value)
                after = AnswerValue(**new)
                if after != state:
                    steps.append((ev, state, after))
                state = after
            h = _history(items[ans_id], answer_ids[ans_id], steps)
            if h is not None:
                answers[(answer_ids[ans_id], items[ans_id])] = h
    clinical: dict[str, ValueHistory] = {}
    ca_id = s.scalar(select(ClinicalAssessment.id).where(ClinicalAssessment.visit_id == visit_id))
    if ca_id is not None:
        rows = s.scalars(select(AuditEvent).where(
            AuditEvent.entity == "clinical_assessment", AuditEvent.entity_id == ca_id,
            AuditEvent.operation != "event").order_by(AuditEvent.seq)).all()
        steps_of: dict[str, list[tuple[AuditEvent, Any, Any]]] = {}
        for ev in rows:                              # one audit row = one change
            for name, (old_text, new_text) in sorted(ev.fields().items()):
                if name not in CLINICAL_FIELDS:
                    continue
                old = _clinical_parts(name, old_text) if ev.operation != "insert" else {}
                new = _clinical_parts(name, new_text)
                for k in sorted(set(old) | set(new)):
                    if old.get(k) != new.get(k):
                        steps_of.setdefault(k, []).append((ev, old.get(k), new.get(k)))
        for k, steps in steps_of.items():
            h = _history(k, None, steps)
            if h is not None:
                clinical[k] = h
    return VisitHistory(answers, clinical)


def value_history(db: Database, visit_id: int) -> VisitHistory:
    """Every answer's and every clinician-assessment input's history of one visit, from the
    audit trail in one read transaction: as entered (value, when, by whom), each correction
    (who, role, when, reason, old -> new) and the current value."""
    with db.read_session() as s:
        return visit_history_in(s, visit_id)
