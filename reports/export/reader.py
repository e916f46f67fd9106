"""Streaming read of everything an export needs, one patient at a time, in bounded memory.

Patients are read in batches (``BATCH`` ids per round trip, ordered by subject id); for each
batch the visits, administrations, answers, scores, clinical assessments and signatures are read
with a handful of queries keyed on the batch's patient ids (bound parameters, never IN lists of
thousands), assembled, yielded and dropped. Memory is flat in the number of patients; the only
thing held for the whole export is the list of patient ids (8 bytes each).

``since``: only administrations started or submitted, assessments entered, signatures made on or
after that UTC instant are kept; a patient with none of those is skipped.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterator, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import (Administration, Answer, AuditEvent, ClinicalAssessment, Patient,
                            Score,
                            Signature, Site, Study, User, Visit)

BATCH = 200


@dataclass
class AdminData:
    """Rows (read-only named tuples with the model's column names) of one administration."""
    adm: Any                                                  # administration row
    answers: list[Any] = field(default_factory=list)          # answer rows, by id
    scores: dict[str, Any] = field(default_factory=dict)      # algorithm id -> score row

    def score_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for sc in self.scores.values():
            out.update(sc.values or {})
        return out


@dataclass
class VisitData:
    visit: Any                                                # visit row
    administrations: list[AdminData] = field(default_factory=list)
    clinical: ClinicalAssessment | None = None
    signatures: list[Signature] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    """One audited change of an answer's code (from the audit trail)."""
    seq: int
    at: datetime
    old: str | None
    new: str | None
    reason: str | None
    actor_kind: str
    username: str | None
    role: str | None
    station: str | None
    action: str


@dataclass
class PatientData:
    patient: Patient
    site_code: str
    visits: list[VisitData]
    changes: dict[int, list[Change]] = field(default_factory=dict)   # answer id -> changes

    @property
    def administrations(self) -> Iterator[tuple[VisitData, AdminData]]:
        for v in self.visits:
            for a in v.administrations:
                yield v, a


@dataclass(frozen=True)
class StudyInfo:
    protocol_id: str
    title: str
    visit_schedule: list


def study_info(s: Session) -> StudyInfo:
    st = s.scalar(select(Study).order_by(Study.id).limit(1))
    if st is None:
        return StudyInfo("EPRO", "ePRO Desk study", [])
    return StudyInfo(st.protocol_id, st.title, list(st.visit_schedule or []))


def patient_ids(s: Session, subject: str | None = None) -> list[int]:
    q = select(Patient.id).order_by(Patient.subject_id)
    if subject is not None:
        q = q.where(Patient.subject_id == subject)
    return list(s.scalars(q))


def _batch(s: Session, ids: Sequence[int], since: datetime | None) -> list[PatientData]:
    patients = list(s.scalars(select(Patient).where(Patient.id.in_(ids))
                              .order_by(Patient.subject_id)))
    sites = {sid: code for sid, code in s.execute(select(Site.id, Site.code))}
    # Core rows (named tuples with the same attribute names as the models): several times
    # faster than ORM instances for the big tables, and nothing enters an identity map
    V, A, AN, SC = (Visit.__table__, Administration.__table__, Answer.__table__,
                    Score.__table__)
    visits = list(s.execute(select(V).where(V.c.patient_id.in_(ids))
                            .order_by(V.c.patient_id, V.c.sequence, V.c.id)))
    vd = {v.id: VisitData(v) for v in visits}
    aq = (select(A).join(V, V.c.id == A.c.visit_id)
          .where(V.c.patient_id.in_(ids)).order_by(A.c.started_at, A.c.id))
    if since is not None:
        aq = aq.where(or_(A.c.started_at >= since, A.c.submitted_at >= since))
    adms = {a.id: AdminData(a) for a in s.execute(aq)}
    if adms:
        ans_q = (select(AN).join(A, A.c.id == AN.c.administration_id)
                 .join(V, V.c.id == A.c.visit_id)
                 .where(V.c.patient_id.in_(ids)).order_by(AN.c.id))
        for ans in s.execute(ans_q):
            ad = adms.get(ans.administration_id)
            if ad is not None:
                ad.answers.append(ans)
        sc_q = (select(SC).join(A, A.c.id == SC.c.administration_id)
                .join(V, V.c.id == A.c.visit_id)
                .where(V.c.patient_id.in_(ids)))
        for sc in s.execute(sc_q):
            ad = adms.get(sc.administration_id)
            if ad is not None:
                ad.scores[sc.algorithm_id] = sc
    for a in adms.values():
        vd[a.adm.visit_id].administrations.append(a)
    changed = [ans.id for a in adms.values() for ans in a.answers if ans.change_count]
    changes: dict[int, list[Change]] = defaultdict(list)
    patient_of_answer = {ans.id: vd[a.adm.visit_id].visit.patient_id
                         for a in adms.values() for ans in a.answers if ans.change_count}
    for i in range(0, len(changed), 500):
        for ev in s.execute(select(
                AuditEvent.entity_id, AuditEvent.seq, AuditEvent.at, AuditEvent.old_value,
                AuditEvent.new_value, AuditEvent.reason, AuditEvent.actor_kind,
                AuditEvent.actor_username, AuditEvent.actor_role, AuditEvent.station_id,
                AuditEvent.action)
                .where(AuditEvent.entity == "answer", AuditEvent.field == "code",
                       AuditEvent.operation == "update",
                       AuditEvent.entity_id.in_(changed[i:i + 500]))
                .order_by(AuditEvent.seq)):
            changes[ev[0]].append(Change(*ev[1:]))
    cq = (select(ClinicalAssessment).join(Visit, Visit.id == ClinicalAssessment.visit_id)
          .where(Visit.patient_id.in_(ids)))
    if since is not None:
        cq = cq.where(ClinicalAssessment.entered_at >= since)
    for c in s.scalars(cq):
        vd[c.visit_id].clinical = c
    sq = (select(Signature).join(Visit, Visit.id == Signature.visit_id)
          .where(Visit.patient_id.in_(ids)).order_by(Signature.signed_at, Signature.id))
    if since is not None:
        sq = sq.where(Signature.signed_at >= since)
    for sig in s.scalars(sq):
        vd[sig.visit_id].signatures.append(sig)
    by_patient: dict[int, list[VisitData]] = defaultdict(list)
    for v in vd.values():
        if since is None or v.administrations or v.clinical or v.signatures:
            by_patient[v.visit.patient_id].append(v)
    out = []
    for p in patients:
        pv = by_patient.get(p.id, [])
        if since is not None and not pv:
            continue
        out.append(PatientData(p, sites.get(p.site_id or -1, ""), pv,
                               {aid: ch for aid, ch in changes.items()
                                if patient_of_answer.get(aid) == p.id}))
    return out


def iter_patients(db: Database, *, subject: str | None = None, since: datetime | None = None,
                  batch: int = BATCH) -> Iterator[PatientData]:
    """Every patient's data (or one subject's), ordered by subject id, streamed in batches.

    Each batch is read in its own short read transaction and its objects are detached (the
    session is closed), so nothing accumulates in an identity map across batches.
    """
    with db.session() as s:
        ids = patient_ids(s, subject)
    for i in range(0, len(ids), batch):
        with db.session() as s:
            chunk = _batch(s, ids[i:i + batch], since)
        yield from chunk


def users(db: Database) -> list[tuple[int, str, str, str]]:
    """(id, username, full name, role) of every staff account (AdminData, audit)."""
    with db.session() as s:
        return [tuple(r) for r in s.execute(select(User.id, User.username, User.full_name,
                                                   User.role).order_by(User.id))]  # type: ignore[misc]


def since_instant(day: date | None) -> datetime | None:
    """``--since 2026-01-31`` = from that calendar day's start in UTC."""
    if day is None:
        return None
    from datetime import timezone
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
