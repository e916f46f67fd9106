"""The lock check every service that changes a visit's data runs first."""
from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import RecordLocked
from storage.models import Patient, Visit


def refuse_if_locked(s: Session, visit: Visit) -> None:
    """Raise RecordLocked (a clear one-line message) when ``visit`` was locked.

    First, on PostgreSQL, the audit chain's lock (``audit.hold_chain``) and the visit read
    again: the checks the service runs next (locked, already submitted, recorded not done…)
    and its write are then one step, as on SQLite, so two stations cannot both pass a check
    and both write (``tests/test_storage_visit_check_race.py``)."""
    if audit.hold_chain(s) and not inspect(visit).modified:
        s.refresh(visit)
    if visit.locked_at is None:
        return
    patient = s.get(Patient, visit.patient_id)
    subject = patient.subject_id if patient is not None else "?"
    raise RecordLocked(f"Visit {visit.code} of subject {subject} was locked by the "
                       f"investigator on {visit.locked_at:%Y-%m-%d %H:%M} UTC after signature: "
                       "its answers and clinical data can no longer change. Nothing was saved.")
