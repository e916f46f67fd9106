"""The rows a questionnaire's start and submit write, with Core statements (issue 16).

``start_administration`` and ``submit_administration`` (``administrations``) decide; this module
writes their own rows — the new administration and its visit's first status change, a submit's
not-applicable answers and its administration's status — as one INSERT/UPDATE per table with
the optimistic-locking ``version_id`` check the ORM makes, and audits them with the rows the
ORM flush listener writes for the same objects (``audit.append_many`` / ``audit.defer_many``:
same fields, old and new, same chain). The ORM objects the caller holds are told the values
written (``set_committed_value``), so what it reads afterwards is what is stored.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from storage import audit, patient_summary
from storage.errors import NotFound
from storage.models import Administration, Answer, Patient, Visit
from storage.services import autosave

_A, _N, _V, _P = Administration.__table__, Answer.__table__, Visit.__table__, Patient.__table__
_PATIENT = select(_P.c.id, _P.c.status, _P.c.subject_id, _P.c.day1_date).where(
    _P.c.id == bindparam("id"))
_SUBMITTED_AT_VISIT = select(_A.c.instrument_id).where(_A.c.visit_id == bindparam("visit_id"),
                                                       _A.c.status == "submitted")
_ADM_FIELDS = audit.audited_columns(Administration)
_ADM_INSERT = insert(_A)
_AT_VISIT = (select(_A.c.id, _A.c.status, _A.c.submitted_at, _A.c.station_id)
             .where(_A.c.visit_id == bindparam("visit_id"),
                    _A.c.instrument_id == bindparam("instrument_id"))
             .order_by(_A.c.id))
_LAST_SUBMITTED = (select(_A.c.submitted_at).join(_V, _V.c.id == _A.c.visit_id)
                   .where(_V.c.patient_id == bindparam("patient_id"),
                          _A.c.instrument_id == bindparam("instrument_id"),
                          _A.c.status == "submitted")
                   .order_by(_A.c.submitted_at.desc()).limit(1))
_VISIT_STATUS = (update(_V).where(_V.c.id == bindparam("b_id"),
                                  _V.c.version_id == bindparam("b_version"))
                 .values(status=bindparam("b_status"), version_id=bindparam("b_new_version")))
_ANSWERS = (select(_N.c.item_id, _N.c.id, _N.c.status, _N.c.code, _N.c.skip_reason,
                   _N.c.version_id)
            .where(_N.c.administration_id == bindparam("adm_id")).order_by(_N.c.id))
_TO_NA = (update(_N).where(_N.c.id == bindparam("b_id"), _N.c.version_id == bindparam("b_version"))
          .values(status="not_applicable", code=None, skip_reason=None,
                  version_id=bindparam("b_new_version")))
_SUBMIT = (update(_A).where(_A.c.id == bindparam("b_id"), _A.c.version_id == bindparam("b_version"))
           .values(status="submitted", submitted_at=bindparam("b_at"),
                   version_id=bindparam("b_new_version")))


def _one_row(result: Any, what: str) -> None:
    if result.rowcount != 1:
        raise StaleDataError(f"{what} changed concurrently")


def patient(s: Session, patient_id: int) -> Any:
    """(id, status, subject_id, day1_date) of a patient, read without an ORM object (flushing
    first, as the ORM's own reads do)."""
    s.flush()
    row = s.connection().execute(_PATIENT, {"id": patient_id}).first()
    if row is None:
        raise NotFound(f"Patient {patient_id} does not exist.")
    return row


def submitted_at_visit(s: Session, visit_id: int) -> set[str]:
    """The instruments submitted at the visit (after a flush of pending changes)."""
    s.flush()
    return set(s.connection().execute(_SUBMITTED_AT_VISIT, {"visit_id": visit_id}).scalars())


def at_visit(s: Session, visit_id: int, instrument_id: str) -> list[Any]:
    """(id, status, submitted_at, station_id) of this instrument's administrations at the visit."""
    return list(s.connection().execute(_AT_VISIT, {"visit_id": visit_id,
                                                   "instrument_id": instrument_id}))


def last_submitted(s: Session, patient_id: int, instrument_id: str) -> datetime | None:
    """When the patient last completed this instrument (any visit), or None."""
    return s.connection().execute(_LAST_SUBMITTED, {"patient_id": patient_id,
                                                    "instrument_id": instrument_id}).scalar()


def insert_administration(s: Session, visit: Visit, row: dict[str, Any]) -> int:
    """INSERT the administration ``row`` (every column but id) and, when the visit is still
    planned, set it in progress; both audited in one append (insert first, as a flush does)."""
    conn = s.connection()
    row = {**row, "version_id": 1}
    adm_id = conn.execute(_ADM_INSERT, row).inserted_primary_key[0]
    changes: list[tuple[str, int, str, list[tuple[str, Any, Any]]]] = [
        ("administration", adm_id, "insert", [(k, None, row[k]) for k in _ADM_FIELDS])]
    if visit.status == "planned":
        version = visit.version_id
        _one_row(conn.execute(_VISIT_STATUS, {"b_id": visit.id, "b_version": version,
                                              "b_status": "in_progress",
                                              "b_new_version": version + 1}), "visit")
        set_committed_value(visit, "status", "in_progress")
        set_committed_value(visit, "version_id", version + 1)
        changes.append(("visit", visit.id, "update", [("status", "planned", "in_progress")]))
    audit.append_many(s, changes)
    return adm_id


def answers(s: Session, administration_id: int) -> dict[str, Any]:
    """item id -> (item_id, id, status, code, skip_reason, version_id) of the stored answers."""
    return {r.item_id: r for r in s.connection().execute(_ANSWERS,
                                                         {"adm_id": administration_id})}


def write_submit(s: Session, adm: Administration, stored: dict[str, Any], to_na: list[str],
                 na_at: datetime, submitted_at: datetime) -> dict[str, int | None]:
    """Mark ``to_na`` not applicable (new rows inserted, stored ones updated) and the
    administration submitted; audited with the next flush (``audit.defer_many``: the visit's
    changes follow in the same audit append). Returns item id -> code of every answer row now
    stored (None unless answered): what the scores are computed from."""
    conn = s.connection()
    new_rows, changes = [], []
    for item_id in to_na:
        old = stored.get(item_id)
        if old is None:
            new_rows.append({"administration_id": adm.id, "instrument_id": adm.instrument_id,
                             "instrument_version": adm.instrument_version, "item_id": item_id,
                             "status": "not_applicable", "code": None, "skip_reason": None,
                             "answered_at": na_at, "saved_at": na_at, "change_count": 0,
                             "ms_on_item": None, "version_id": 1})
            continue
        _one_row(conn.execute(_TO_NA, {"b_id": old.id, "b_version": old.version_id,
                                       "b_new_version": old.version_id + 1}), "answer")
        changes.append(("answer", old.id, "update",
                        [("status", old.status, "not_applicable"), ("code", old.code, None),
                         ("skip_reason", old.skip_reason, None)]))
    if new_rows:
        ids = dict(conn.execute(autosave.INSERT_IDS, new_rows).all())
        changes[:0] = [("answer", ids[r["item_id"]], "insert", autosave.inserted(r))
                       for r in new_rows]            # new rows before changed ones, as a flush
    version = adm.version_id
    _one_row(conn.execute(_SUBMIT, {"b_id": adm.id, "b_version": version, "b_at": submitted_at,
                                    "b_new_version": version + 1}), "administration")
    changes.append(("administration", adm.id, "update",
                    [("status", adm.status, "submitted"), ("submitted_at", None, submitted_at)]))
    for key, value in (("status", "submitted"), ("submitted_at", submitted_at),
                       ("version_id", version + 1)):
        set_committed_value(adm, key, value)
    audit.defer_many(s, changes)
    patient_summary.note_written(s, administration_id=adm.id)
    codes = {k: (r.code if r.status == "answered" and k not in to_na else None)
             for k, r in stored.items()}
    codes.update((k, None) for k in to_na)
    return codes
