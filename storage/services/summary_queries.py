"""Read-only queries for the visit summary PDF (reports/summary_loader.py).

Everything one summary needs is read in ONE transaction (``db.session()``) and returned as plain
frozen dataclasses; no ORM object leaves storage. Nothing here writes or audits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from sqlalchemy import or_, select

from forms.clinical_fields import VitalStatus
from forms import schedule as sched
from forms.protocol import Protocol
from storage.db import Database
from storage.errors import NotFound
from storage.models import (Administration, Answer, AuditEvent, ClinicalAssessment, Patient,
                            Score, Signature, Site, Study, Visit)
from storage.services.clinical import read_imaging, read_vital_status
from storage.services.history import VisitHistory, visit_history_in
from storage.services.protocol_store import patient_protocol
from storage.services.signing import visit_content_hash


@dataclass(frozen=True)
class VisitRow:
    id: int
    code: str
    sequence: int
    target_day: int
    window_before: int
    window_after: int
    planned_date: date
    actual_date: date | None
    status: str
    out_of_window: bool
    unscheduled_reason: str | None
    kind: str = ""                # protocol kind ("baseline", "follow_up", "unscheduled" ...)


@dataclass(frozen=True)
class AnswerRow:
    item_id: str
    status: str                 # answered | skipped | not_applicable
    code: int | None
    skip_reason: str | None


@dataclass(frozen=True)
class AdministrationRow:
    id: int
    visit_id: int
    instrument_id: str
    instrument_version: str
    language: str               # the language shown to the patient
    status: str
    submitted_at: datetime | None
    answers: tuple[AnswerRow, ...]
    # algorithm id -> (algorithm version, stored values)
    scores: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    text_version: str | None = None     # the exact text shown (id, SHA-256); None before 0006
    text_sha256: str | None = None


@dataclass(frozen=True)
class ClinicalRow:
    visit_id: int
    sample_date: date | None
    labs: dict[str, Any]
    ascites: str | None
    encephalopathy: str | None
    symptom_grades: dict[str, Any]
    imaging: dict[str, Any]                  # typed (storage.services.clinical.read_imaging)
    vital_status: VitalStatus | None
    derived: dict[str, Any]
    dialysis: bool | None = None             # None: not recorded (entered before schema 0004)
    child_pugh_variant: str | None = None    # "standard" | "pbc" (None: before 0004 = standard)
    entered_at: datetime | None = None       # first entered (a visit summary as of a signature)


@dataclass(frozen=True)
class SignatureRow:
    signer_name: str
    meaning: str
    signed_at: datetime
    status: str                 # valid | invalidated
    content_matches: bool       # the signed content hash equals the current content
    invalidated_at: datetime | None
    invalidated_reason: str | None
    audit_hash: str | None      # row hash of the audit event that recorded the signature


@dataclass(frozen=True)
class SummaryData:
    """Raw, stored facts about one visit of one patient (and the patient's other visits)."""
    protocol_id: str
    study_title: str
    primary_sf36_scoring: str   # one of forms.registry.PRIMARY_SCORING_IDS
    site: str | None
    subject_id: str
    initials: str
    full_name: str | None
    arm: str
    sex: str
    birth_year: int
    day1_date: date
    visit: VisitRow
    visits: tuple[VisitRow, ...]                      # every visit of the patient, in order
    administrations: tuple[AdministrationRow, ...]    # every administration of the patient
    clinical: dict[int, ClinicalRow]                  # visit id -> assessment
    signatures: tuple[SignatureRow, ...]              # of this visit, oldest first
    history: VisitHistory = field(default_factory=VisitHistory)   # this visit's values' story
    arm_label: dict[str, str] = field(default_factory=dict)   # language -> the arm's label
    patient_id: int = 0
    protocol: Protocol | None = None    # the patient's protocol version (visit labels)


def _visit_row(v: Visit, protocol: Protocol) -> VisitRow:
    return VisitRow(v.id, v.code, v.sequence, v.target_day, v.window_before, v.window_after,
                    v.planned_date, v.actual_date, v.status, v.out_of_window,
                    v.unscheduled_reason, sched.visit_kind(protocol, v.code))


def summary_data(db: Database, subject_id: str, visit_code: str) -> SummaryData:
    """Everything stored about ``visit_code`` of ``subject_id`` (one read transaction).

    Raises NotFound (a UserError) for an unknown subject or visit code.
    """
    subject_id = (subject_id or "").strip()
    visit_code = (visit_code or "").strip()
    with db.read_session() as s:
        p = s.scalar(select(Patient).where(Patient.subject_id == subject_id))
        if p is None:
            raise NotFound(f"No subject {subject_id!r} in this database.")
        visits = list(s.scalars(select(Visit).where(Visit.patient_id == p.id)
                                .order_by(Visit.sequence, Visit.id)))
        visit = next((v for v in visits if v.code == visit_code), None)
        if visit is None:
            codes = ", ".join(v.code for v in visits)
            raise NotFound(f"Subject {subject_id} has no visit {visit_code!r} "
                           f"(visits: {codes}).")
        study = s.get(Study, p.study_id)
        proto = patient_protocol(s, p.id)
        assert study is not None
        site = s.get(Site, p.site_id) if p.site_id is not None else None
        visit_ids = [v.id for v in visits]
        adms = list(s.scalars(select(Administration)
                              .where(Administration.visit_id.in_(visit_ids))
                              .order_by(Administration.id)))
        adm_ids = [a.id for a in adms]
        answers: dict[int, list[AnswerRow]] = {}
        for a in s.scalars(select(Answer).where(Answer.administration_id.in_(adm_ids))
                           .order_by(Answer.administration_id, Answer.id)):
            answers.setdefault(a.administration_id, []).append(
                AnswerRow(a.item_id, a.status, a.code, a.skip_reason))
        scores: dict[int, dict[str, tuple[str, dict[str, Any]]]] = {}
        for sc in s.scalars(select(Score).where(Score.administration_id.in_(adm_ids))):
            scores.setdefault(sc.administration_id, {})[sc.algorithm_id] = (
                sc.algorithm_version, dict(sc.values))
        clinical = {ca.visit_id: ClinicalRow(ca.visit_id, ca.sample_date, dict(ca.labs or {}),
                                             ca.ascites, ca.encephalopathy,
                                             dict(ca.symptom_grades or {}),
                                             read_imaging(ca.imaging),
                                             read_vital_status(ca.vital_status),
                                             dict(ca.derived or {}),
                                             ca.dialysis, ca.child_pugh_variant,
                                             ca.entered_at)
                    for ca in s.scalars(select(ClinicalAssessment)
                                        .where(ClinicalAssessment.visit_id.in_(visit_ids)))}
        sigs = list(s.scalars(select(Signature).where(Signature.visit_id == visit.id)
                              .order_by(Signature.id)))
        current = visit_content_hash(s, visit) if sigs else None
        sig_rows = []
        for sig in sigs:
            audit_hash = s.scalar(select(AuditEvent.row_hash)
                                  .where(AuditEvent.entity == Signature.__tablename__,
                                         AuditEvent.entity_id == sig.id)
                                  .order_by(AuditEvent.seq).limit(1))
            sig_rows.append(SignatureRow(sig.signer_name, sig.meaning, sig.signed_at, sig.status,
                                         sig.content_hash == current, sig.invalidated_at,
                                         sig.invalidated_reason, audit_hash))
        return SummaryData(
            protocol_id=study.protocol_id, study_title=study.title,
            primary_sf36_scoring=study.primary_sf36_scoring,
            site=(f"{site.code} {site.name}".strip() if site is not None else None),
            subject_id=p.subject_id, initials=p.initials, full_name=p.full_name, arm=p.arm,
            sex=p.sex, birth_year=p.birth_year, day1_date=p.day1_date,
            visit=_visit_row(visit, proto), visits=tuple(_visit_row(v, proto) for v in visits),
            administrations=tuple(
                AdministrationRow(a.id, a.visit_id, a.instrument_id, a.instrument_version,
                                  a.language, a.status, a.submitted_at,
                                  tuple(answers.get(a.id, ())), scores.get(a.id, {}),
                                  text_version=a.text_version, text_sha256=a.text_sha256)
                for a in adms),
            clinical=clinical, signatures=tuple(sig_rows),
            history=visit_history_in(s, visit.id), arm_label=_arm_label(proto, p.arm),
            patient_id=p.id, protocol=proto)


def _arm_label(protocol: Protocol, arm: str) -> dict[str, str]:
    """The arm's label per language from the protocol; {} for an arm it does not have (a
    patient enrolled before protocol files keeps the arm as stored)."""
    try:
        return dict(protocol.arm(arm).label)
    except KeyError:
        return {}


def _utc_bounds(day: date, tz: tzinfo | None) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0, 0))
    start = start.replace(tzinfo=tz) if tz is not None else start.astimezone()
    end = datetime.combine(day + timedelta(days=1), time(0, 0))
    end = end.replace(tzinfo=tz) if tz is not None else end.astimezone()
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def visits_on(db: Database, day: date, *, tz: tzinfo | None = None) -> list[tuple[str, str]]:
    """(subject id, visit code) of every visit that took place or had data captured on ``day``
    (local calendar day in ``tz``, default this computer's zone): the visit's actual date is that
    day, a questionnaire was started or submitted that day, or the clinician assessment was
    entered that day. Ordered by subject id, then visit order."""
    lo, hi = _utc_bounds(day, tz)
    with db.read_session() as s:
        adm_visits = select(Administration.visit_id).where(or_(
            (Administration.started_at >= lo) & (Administration.started_at < hi),
            (Administration.submitted_at >= lo) & (Administration.submitted_at < hi)))
        ca_visits = select(ClinicalAssessment.visit_id).where(
            ClinicalAssessment.entered_at >= lo, ClinicalAssessment.entered_at < hi)
        rows = s.execute(
            select(Patient.subject_id, Visit.code)
            .join(Patient, Patient.id == Visit.patient_id)
            .where(or_(Visit.actual_date == day, Visit.id.in_(adm_visits),
                       Visit.id.in_(ca_visits)))
            .order_by(Patient.subject_id, Visit.sequence))
        return [(subject, code) for subject, code in rows]
