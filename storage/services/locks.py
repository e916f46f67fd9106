"""The lock check every service that changes a visit's data runs first."""
from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import RecordLocked
from storage.models import Patient, Visit


def hold_fresh(s: Session, *rows: object) -> None:
    """PostgreSQL: the audit chain's lock (``audit.hold_chain``), then ``rows`` (loaded
    before it, not changed yet) read again, so the checks a service runs next (locked, already
    submitted, recorded not done…) and its write are one step, as on SQLite (``BEGIN
    IMMEDIATE``): two stations cannot both pass a check and both write
    (``tests/test_storage_visit_check_race.py``). SQLite: nothing to do."""
    if audit.hold_chain(s):
        for row in rows:
            if not inspect(row).modified:
                s.refresh(row)


def refuse_if_locked(s: Session, visit: Visit, *also: object) -> None:
    """Raise RecordLocked (a clear one-line message) when ``visit`` was locked; first
    ``hold_fresh`` of the visit and of the rows ``also`` loaded with it."""
    hold_fresh(s, visit, *also)
    if visit.locked_at is None:
        return
    patient = s.get(Patient, visit.patient_id)
    subject = patient.subject_id if patient is not None else "?"
    raise RecordLocked(f"Visit {visit.code} of subject {subject} was locked by the "
                       f"investigator on {visit.locked_at:%Y-%m-%d %H:%M} UTC after signature: "
                       "its answers and clinical data can no longer change. Nothing was saved.")
