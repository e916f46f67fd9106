"""Streaming read of everything an export needs, one patient at a time, in bounded memory.

Patients are read in batches (``BATCH`` ids per round trip, ordered by subject id); for each
batch the visits, administrations, answers, scores, clinical assessments and signatures are read
with a handful of queries keyed on the batch's patient ids (bound parameters, never IN lists of
thousands), assembled, yielded and dropped. Memory is flat in the number of patients; the only
thing held for the whole export is the list of patient ids (8 bytes each).

``since``: only administrations started or submitted, assessments entered, signatures made on or
after that UTC instant are kept; a patient with none of those is skipped.

Reads run in ``Database.read_session()`` (on SQLite a deferred transaction: a snapshot that does
not take the write lock, so stations keep saving while a long export runs). With
``lean_answers=True`` answer rows are plain tuples of :data:`LEAN_ANSWER_COLUMNS`, and their
``answered_at``/``saved_at`` are the stored values (SQLite text, or the driver's datetimes on
PostgreSQL) for :func:`iso_utc`, which writes them as ISO text without building a datetime per
value -- 3.6 M of them in a 10 000-patient export.
"""
from __future__ import annotations

import gc
import json
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any, Iterator, Sequence

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import Session

from forms.schedule import LEGACY_BASELINE, VisitDef, protocol_schedule, schedule_from_rows
from storage.db import Database
from storage.models import (Administration, Answer, AuditEvent, ClinicalAssessment, Patient,
                            Score,
                            Signature, Site, Study, User, Visit)
from storage.services.not_done_records import NotDoneRecord, not_done_of_patients
from storage.services.protocol_store import has_protocol, stored_protocol

BATCH = 200
ADMIN_CHUNK = 500
# answer columns of ``lean_answers`` rows, in this order (the administration row has the
# instrument id and version)
LEAN_ANSWER_COLUMNS = ("id", "administration_id", "item_id", "status", "code", "skip_reason",
                       "answered_at", "saved_at", "change_count", "ms_on_item")
_UTC = timezone.utc
# SQLAlchemy's SQLite DateTime storage format; UtcDateTime stores UTC there, without offset
_SQLITE_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


@lru_cache(maxsize=4096)
def _iso_from_text(text: str) -> str:
    if _SQLITE_UTC_TEXT.fullmatch(text):   # sliced: same text as the datetime's isoformat()
        frac = text[20:]
        return f"{text[:10]}T{text[11:19]}{'' if frac == '000000' else '.' + frac}+00:00"
    return iso_utc(datetime.fromisoformat(text))


def iso_utc(value: Any) -> str | None:
    """ISO 8601 UTC text with offset of a stored timestamp, exactly as ``isoformat()`` of the
    aware UTC datetime ``UtcDateTime`` reads: ``2026-01-05T09:00:00.120000+00:00``, or without
    the fraction when it is zero. ``value``: SQLite storage text, a datetime, or None."""
    if value is None:
        return None
    if isinstance(value, str):
        return _iso_from_text(value)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=_UTC).isoformat()
    return value.astimezone(_UTC).isoformat()


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
    # questionnaires recorded not done (storage.services.not_done), by instrument id
    not_done: dict[str, NotDoneRecord] = field(default_factory=dict)


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
    patient: Any                                              # patient row (Core)
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
    schedule: tuple[VisitDef, ...]      # planned visits of the protocol the database runs
    visit_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> codes


def study_info(s: Session) -> StudyInfo:
    """The study and its planned visits: from the stored protocol (``protocol_store``); a
    database made before protocol files without one yet keeps its ``study.visit_schedule``."""
    st = s.scalar(select(Study).order_by(Study.id).limit(1))
    if st is None:
        return StudyInfo("EPRO", "ePRO Desk study", ())
    if not has_protocol(s, st):
        legacy = schedule_from_rows(st.visit_schedule) if st.visit_schedule else ()
        return StudyInfo(st.protocol_id, st.title, legacy, {"baseline": (LEGACY_BASELINE,)})
    proto = stored_protocol(s, st).protocol
    kinds: dict[str, tuple[str, ...]] = {}
    for v in proto.visits:
        kinds[v.kind] = kinds.get(v.kind, ()) + (v.id,)
    return StudyInfo(st.protocol_id, st.title, protocol_schedule(proto), kinds)


def patient_ids(s: Session, subject: str | None = None) -> list[int]:
    q = select(Patient.id).order_by(Patient.subject_id)
    if subject is not None:
        q = q.where(Patient.subject_id == subject)
    return list(s.scalars(q))


def _answer_query(lean: bool) -> Any:
    AN = Answer.__table__
    if not lean:
        return select(AN)
    return select(*(type_coerce(AN.c[n], String).label(n) if n in ("answered_at", "saved_at")
                    else AN.c[n] for n in LEAN_ANSWER_COLUMNS))


def _batch(s: Session, ids: Sequence[int], since: datetime | None,
           lean_answers: bool = False) -> list[PatientData]:
    P = Patient.__table__
    patients = s.execute(select(P).where(P.c.id.in_(ids)).order_by(P.c.subject_id)).fetchall()
    sites = {sid: code for sid, code in s.execute(select(Site.id, Site.code))}
    # Core rows (named tuples with the same attribute names as the models): several times
    # faster than ORM instances for the big tables, and nothing enters an identity map
    V, A, AN, SC = (Visit.__table__, Administration.__table__, Answer.__table__,
                    Score.__table__)
    visits = s.execute(select(V).where(V.c.patient_id.in_(ids))
                       .order_by(V.c.patient_id, V.c.sequence, V.c.id)).fetchall()
    vd = {v.id: VisitData(v) for v in visits}
    aq = (select(A).join(V, V.c.id == A.c.visit_id)
          .where(V.c.patient_id.in_(ids)).order_by(A.c.started_at, A.c.id))
    if since is not None:
        aq = aq.where(or_(A.c.started_at >= since, A.c.submitted_at >= since))
    adms = {a.id: AdminData(a) for a in s.execute(aq).fetchall()}
    changed_adm: dict[int, list[int]] = defaultdict(list)   # administration -> changed answers
    # Answers and scores by administration id (chunks of ADMIN_CHUNK bound ids, ascending):
    # the answer index then yields rows already in (administration, id) order -- no join, no
    # sort -- and itertools.groupby hands each administration its rows in C.
    names = list(LEAN_ANSWER_COLUMNS if lean_answers else AN.c.keys())
    i_adm, i_changes, i_id = (names.index(n) for n in ("administration_id", "change_count",
                                                        "id"))
    adm_ids = sorted(adms)
    for k in range(0, len(adm_ids), ADMIN_CHUNK):
        chunk = adm_ids[k:k + ADMIN_CHUNK]
        res = s.execute(_answer_query(lean_answers).where(AN.c.administration_id.in_(chunk))
                        .order_by(AN.c.administration_id, AN.c.id))
        if lean_answers:
            # plain DBAPI tuples: these columns have no result processing on either dialect,
            # and a Row costs about a microsecond to build (1.8 M of them)
            try:
                rows = res.cursor.fetchall()
            finally:
                res.close()
        else:
            rows = res.fetchall()
        for aid, group in groupby(rows, itemgetter(i_adm)):
            adms[aid].answers.extend(group)
        for ans in filter(itemgetter(i_changes), rows):
            changed_adm[ans[i_adm]].append(ans[i_id])
        for sc in s.execute(select(SC).where(SC.c.administration_id.in_(chunk))).fetchall():
            adms[sc.administration_id].scores[sc.algorithm_id] = sc
    for a in adms.values():
        vd[a.adm.visit_id].administrations.append(a)
    changed = [i for aid in adms if aid in changed_adm for i in changed_adm[aid]]
    changes: dict[int, list[Change]] = defaultdict(list)
    patient_of_answer = {i: vd[adms[aid].adm.visit_id].visit.patient_id
                         for aid, answer_ids in changed_adm.items() for i in answer_ids}
    for i in range(0, len(changed), 500):
        for ev in s.execute(select(
                AuditEvent.entity_id, AuditEvent.seq, AuditEvent.at, AuditEvent.changes,
                AuditEvent.reason, AuditEvent.actor_kind,
                AuditEvent.actor_username, AuditEvent.actor_role, AuditEvent.station_id,
                AuditEvent.action)
                .where(AuditEvent.entity == "answer", AuditEvent.operation == "update",
                       AuditEvent.entity_id.in_(changed[i:i + 500]))
                .order_by(AuditEvent.seq)):
            code = json.loads(ev[3] or "{}").get("code")   # the answer's code changed
            if code is not None:
                changes[ev[0]].append(Change(ev[1], ev[2], code[0], code[1], *ev[4:]))
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
    for vid, recs in not_done_of_patients(s, ids).items():
        if vid in vd:
            vd[vid].not_done = {i: r for i, r in sorted(recs.items())
                                if since is None or r.recorded_at >= since}
    by_patient: dict[int, list[VisitData]] = defaultdict(list)
    for v in vd.values():
        if since is None or v.administrations or v.clinical or v.signatures or v.not_done:
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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is read: its ~40 000 new row tuples would
    trigger dozens of collections that walk every live object (about 15 % of a 10 000-patient
    CSV export) and find nothing, since rows hold no cycles. Reference counting still frees
    everything; the collector runs again right after (it is only re-enabled if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def iter_patients(db: Database, *, subject: str | None = None, since: datetime | None = None,
                  batch: int = BATCH, lean_answers: bool = False
                  ) -> Iterator[PatientData]:
    """Every patient's data (or one subject's), ordered by subject id, streamed in batches.

    Each batch is read in its own short read transaction and its objects are detached (the
    session is closed), so nothing accumulates in an identity map across batches.
    ``lean_answers``: answer rows are tuples of :data:`LEAN_ANSWER_COLUMNS` with stored times
    (see the module docstring); otherwise Core rows of every answer column.
    """
    with db.read_session() as s:
        ids = patient_ids(s, subject)
    for i in range(0, len(ids), batch):
        with db.read_session() as s, _gc_paused():
            chunk = _batch(s, ids[i:i + batch], since, lean_answers)
        yield from chunk


def users(db: Database) -> list[tuple[int, str, str, str]]:
    """(id, username, full name, role) of every staff account (AdminData, audit)."""
    with db.read_session() as s:
        return [tuple(r) for r in s.execute(select(User.id, User.username, User.full_name,
                                                   User.role).order_by(User.id))]  # type: ignore[misc]


def since_instant(day: date | None) -> datetime | None:
    """``--since 2026-01-31`` = from that calendar day's start in UTC."""
    if day is None:
        return None
    from datetime import timezone
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
