"""The lock check every service that changes a visit's data runs first."""
from __future__ import annotations

from sqlalchemy.orm import Session

from storage.errors import RecordLocked
from storage.models import Patient, Visit


def refuse_if_locked(s: Session, visit: Visit) -> None:
    """Raise RecordLocked (a clear one-line message) when ``visit`` was locked."""
    if visit.locked_at is None:
        return
    patient = s.get(Patient, visit.patient_id)
    subject = patient.subject_id if patient is not None else "?"
    raise RecordLocked(f"Visit {visit.code} of subject {subject} was locked by the "
                       f"investigator on {visit.locked_at:%Y-%m-%d %H:%M} UTC after signature: "
                       "its answers and clinical data can no longer change. Nothing was saved.")
