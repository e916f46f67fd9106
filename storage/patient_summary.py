"""The ``patient_summary`` cache behind the nurse patient list: maintenance and rebuild.

``patient_summary`` is DERIVED data, not a record: one row per patient with the next open
visit (code, planned date, window) and the latest submitted SF-36 PCS/MCS and CSC RSS/alert.
It is never audited and ``audit verify`` does not check it; the audited tables (visit,
administration, score) stay the source of truth.

How it stays right: a session listener notes every patient whose Patient, Visit,
Administration or Score rows were flushed, and just before the transaction commits recomputes
those patients' rows from the audited tables (same transaction, so the cache and the data
commit or roll back together; on PostgreSQL under the audit advisory lock, which already
serialises every writer). Changes made outside the services (raw SQL, bulk loads) are not
seen: ``rebuild_patient_summary`` recomputes the whole table from scratch, and the patient
list computes a missing row on the fly.
"""
from __future__ import annotations

from itertools import chain
from typing import Any, Collection, Iterable

from sqlalchemy import Connection, delete, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from forms import schedule as sched
from forms.itemscore import ALERT_LEVELS
from forms.registry import registry
from storage.audit import lock_chain
from storage.models import Administration, Patient, PatientSummary, Score, Visit

OPEN_VISIT = ("planned", "in_progress")


def _sources() -> tuple[tuple, tuple, tuple[str, ...]]:
    """(headline columns, alert sources, algorithms to read), from the instrument registry."""
    heads = tuple(h for e in registry() for h in e.headline)
    alerts = tuple(e.alert for e in registry() if e.alert is not None)
    algs = tuple(dict.fromkeys([h.algorithm for h in heads] + [a for a, _ in alerts]))
    return heads, alerts, algs


def _worst(levels: Iterable[str]) -> str:
    got = set(levels)
    return next((lv for lv in ALERT_LEVELS if lv in got), "")
_PENDING = "patient_summary_pending"
_CHUNK = 500


def _chunks(ids: Collection[int] | None) -> Iterable[list[int] | None]:
    if ids is None:
        yield None
        return
    seq = sorted(ids)
    for i in range(0, len(seq), _CHUNK):
        yield seq[i:i + _CHUNK]


def _empty(pid: int) -> dict[str, Any]:
    return {"patient_id": pid, "next_visit_id": None, "next_visit_code": None,
            "next_visit_target_day": None, "next_visit_date": None,
            "next_visit_earliest": None, "next_visit_latest": None, "next_visit_actual": None,
            "last_pcs": None, "last_mcs": None, "last_rss": None, "alert": ""}


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def compute(conn: Connection, patient_ids: Collection[int] | None = None
            ) -> dict[int, dict[str, Any]]:
    """patient id -> summary row, computed from the audited tables (all patients by default)."""
    out: dict[int, dict[str, Any]] = {}
    heads, alerts, algorithms = _sources()
    for ids in _chunks(patient_ids):
        pq = select(Patient.id, Patient.day1_date)
        vq = (select(Visit.id, Visit.patient_id, Visit.code, Visit.sequence, Visit.target_day,
                     Visit.window_before, Visit.window_after, Visit.planned_date,
                     Visit.actual_date)
              .where(Visit.status.in_(OPEN_VISIT)))
        sq = (select(Visit.patient_id, Score.algorithm_id, Score.values, Visit.sequence,
                     Administration.submitted_at, Administration.id)
              .join(Administration, Administration.visit_id == Visit.id)
              .join(Score, Score.administration_id == Administration.id)
              .where(Administration.status == "submitted", Score.algorithm_id.in_(algorithms)))
        if ids is not None:
            pq = pq.where(Patient.id.in_(ids))
            vq = vq.where(Visit.patient_id.in_(ids))
            sq = sq.where(Visit.patient_id.in_(ids))
        day1 = dict(conn.execute(pq).all())
        nxt: dict[int, Any] = {}
        for v in conn.execute(vq):
            cur = nxt.get(v.patient_id)
            if cur is None or (v.sequence, v.id) < (cur.sequence, cur.id):
                nxt[v.patient_id] = v
        latest: dict[tuple[int, str], tuple[tuple, dict]] = {}
        for pid, alg, values, seq, submitted, adm_id in conn.execute(sq):
            key = (seq, submitted, adm_id)
            have = latest.get((pid, alg))
            if have is None or key > have[0]:
                latest[(pid, alg)] = (key, values or {})
        for pid, d1 in day1.items():
            row = _empty(pid)
            v = nxt.get(pid)
            if v is not None:
                pv = sched.plan(sched.VisitDef(v.code, v.target_day,
                                               v.target_day - v.window_before,
                                               v.target_day + v.window_after), d1)
                row.update(next_visit_id=v.id, next_visit_code=v.code,
                           next_visit_target_day=v.target_day, next_visit_date=v.planned_date,
                           next_visit_earliest=pv.earliest, next_visit_latest=pv.latest,
                           next_visit_actual=v.actual_date)
            for h in heads:
                row[h.column] = _float(latest.get((pid, h.algorithm), (None, {}))[1].get(h.key))
            row["alert"] = _worst(latest.get((pid, alg), (None, {}))[1].get(key) or ""
                                  for alg, key in alerts)
            out[pid] = row
    return out


def refresh(conn: Connection, patient_ids: Collection[int] | None = None) -> int:
    """Recompute and store the rows of ``patient_ids`` (None: rebuild every row)."""
    lock_chain(conn)
    rows = compute(conn, patient_ids)
    table = PatientSummary.__table__
    if patient_ids is None:
        conn.execute(delete(table))
    else:
        for ids in _chunks(patient_ids):
            conn.execute(delete(table).where(table.c.patient_id.in_(ids)))
    if rows:
        conn.execute(insert(table), list(rows.values()))
    return len(rows)


def rebuild_all(conn: Connection) -> int:
    """Rebuild the whole table (used by migration 0002 and ``rebuild_patient_summary``)."""
    return refresh(conn, None)


# --- maintenance inside every service transaction ------------------------------------------

def _changed(obj: object, keys: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[k].history.has_changes() for k in keys)


_VISIT_KEYS = ("patient_id", "sequence", "code", "target_day", "window_before", "window_after",
               "planned_date", "actual_date")


def _relevant(obj: object, is_new: bool) -> bool:
    """Could this flushed change alter a summary row? (Most autosaves cannot.)"""
    if isinstance(obj, Visit):
        if is_new or _changed(obj, _VISIT_KEYS):
            return True
        hist = inspect(obj).attrs["status"].history
        return bool(hist.deleted) and (hist.deleted[0] in OPEN_VISIT) != (obj.status in
                                                                          OPEN_VISIT)
    if isinstance(obj, Administration):
        if is_new:
            return obj.status == "submitted"
        return _changed(obj, ("status", "submitted_at", "visit_id"))
    if isinstance(obj, Patient):
        return is_new or _changed(obj, ("day1_date",))
    return isinstance(obj, Score)


def _note(session: Session, _flush_context: object) -> None:
    pending = session.info.setdefault(_PENDING, (set(), set(), set()))
    patients, visits, adms = pending
    new = session.new
    for obj in chain(new, session.dirty, session.deleted):
        if not isinstance(obj, (Visit, Administration, Score, Patient)):
            continue
        if obj not in session.deleted and not _relevant(obj, obj in new):
            continue
        if isinstance(obj, Visit):
            patients.add(obj.patient_id)
        elif isinstance(obj, Administration):
            visits.add(obj.visit_id)
        elif isinstance(obj, Score):
            adms.add(obj.administration_id)
        else:
            patients.add(obj.id)


def note_written(session: Session, *, patient_id: int | None = None,
                 administration_id: int | None = None) -> None:
    """A change written with Core statements (no flush sees it) that may alter the patient's
    summary row (a submit's status, new scores): refreshed before the commit like the rest."""
    patients, _visits, adms = session.info.setdefault(_PENDING, (set(), set(), set()))
    if patient_id is not None:
        patients.add(patient_id)
    if administration_id is not None:
        adms.add(administration_id)


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()                   # the last changes, so _note has seen everything
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    patients, visits, adms = pending
    if not (patients or visits or adms):
        return
    conn = session.connection()
    if adms:
        visits |= set(conn.scalars(select(Administration.visit_id)
                                   .where(Administration.id.in_(adms))))
    if visits:
        patients |= set(conn.scalars(select(Visit.patient_id).where(Visit.id.in_(visits))))
    patients.discard(None)  # type: ignore[arg-type]
    if patients:
        refresh(conn, patients)


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(_PENDING, None)


def install(factory: sessionmaker) -> None:
    """Keep the cache in step in sessions made by ``factory`` (a NEW sessionmaker, installed
    once; unconditional: ``event.contains`` answers by a reusable ``id()``, see
    ``storage.audit.install``)."""
    event.listen(factory, "after_flush", _note)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_rollback", _forget)
