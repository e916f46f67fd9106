"""Small read look-ups the screens need, each one query in a read transaction.

The study's arms (the enrol dialog, the patient-list filter), the kiosk staff screen's list of
visits a patient can answer now, one visit with its patient (hand-over, identity check), and
what is left of a visit's questionnaire battery. Screens reach the data only through services
(``storage.services``): they never build a query.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from forms import registry as instrument_registry
from storage import patient_summary
from storage.db import Database
from storage.errors import NotFound
from storage.models import Administration, Patient, PatientSummary as PS, Study, Visit

#: The registry's default battery of the shipped instruments (what visit_battery gives until the
#: protocol's per-visit battery is wired in: forms.registry.visit_battery is the single seam).
DEFAULT_BATTERY = instrument_registry.registry().default_battery()
OPEN_VISIT = patient_summary.OPEN_VISIT


@dataclass(frozen=True)
class VisitOverview:
    """A visit with the patient details staff see at a hand-over."""
    visit_id: int
    patient_id: int
    subject_id: str
    initials: str
    visit_code: str
    planned_date: date
    status: str


def visit_battery(visit_code: str) -> tuple[str, ...]:
    """The patient questionnaires of a visit, in order (forms.registry.visit_battery)."""
    return instrument_registry.visit_battery(visit_code)


def study_arms(db: Database) -> tuple[str, ...]:
    """The arms of the study this database runs (empty before set-up)."""
    with db.read_session() as s:
        arms = s.scalar(select(Study.arms).order_by(Study.id).limit(1))
    return tuple(arms or ())


def _submitted(s, visit_ids: list[int] | None) -> dict[int, set[str]]:  # noqa: ANN001
    """visit id -> instruments submitted; ``None``: every visit still planned or in progress."""
    q = (select(Administration.visit_id, Administration.instrument_id)
         .where(Administration.status == "submitted"))
    if visit_ids is None:
        q = q.join(Visit, Visit.id == Administration.visit_id).where(Visit.status.in_(OPEN_VISIT))
    else:
        q = q.where(Administration.visit_id.in_(visit_ids))
    done: dict[int, set[str]] = {}
    for vid, inst in s.execute(q):
        done.setdefault(vid, set()).add(inst)
    return done


def remaining_battery(db: Database, visit_id: int) -> tuple[str, ...]:
    """The visit's questionnaires not yet submitted, in order (NotFound for no such visit)."""
    with db.read_session() as s:
        code = s.scalar(select(Visit.code).where(Visit.id == visit_id))
        if code is None:
            raise NotFound(f"Visit {visit_id} does not exist.")
        done = _submitted(s, [visit_id]).get(visit_id, set())
    return tuple(i for i in visit_battery(code) if i not in done)


def visit_overview(db: Database, visit_id: int) -> VisitOverview:
    """One visit with its patient's subject id and initials (NotFound for no such visit)."""
    q = (select(Visit.id, Patient.id, Patient.subject_id, Patient.initials, Visit.code,
                Visit.planned_date, Visit.status)
         .join(Patient, Patient.id == Visit.patient_id).where(Visit.id == visit_id))
    with db.read_session() as s:
        row = s.execute(q).first()
    if row is None:
        raise NotFound(f"Visit {visit_id} does not exist.")
    return VisitOverview(*row[:3], row[3] or "", *row[4:])


def open_visits(db: Database) -> list[VisitOverview]:
    """For every enrolled patient, the next open visit (the first by sequence still planned or in
    progress) if it has questionnaires left, ordered by subject id.

    One indexed query: the next open visit is kept per patient in the ``patient_summary`` cache
    (storage/patient_summary.py), joined by primary keys; rows the cache misses (data written
    outside the services) are computed on the fly, as the patient list does."""
    cols = (Visit.id, Visit.code, Visit.planned_date, Visit.status)
    q = (select(Patient.id, Patient.subject_id, Patient.initials, PS.patient_id, *cols)
         .outerjoin(PS, PS.patient_id == Patient.id)
         .outerjoin(Visit, (Visit.id == PS.next_visit_id) & Visit.status.in_(OPEN_VISIT))
         .where(Patient.status == "enrolled").order_by(Patient.subject_id))
    with db.read_session() as s:
        rows = [list(r) for r in s.execute(q)]
        missing = [r[0] for r in rows if r[3] is None]
        if missing:
            fallback = patient_summary.compute(s.connection(), missing)
            ids = [f["next_visit_id"] for f in fallback.values() if f["next_visit_id"]]
            found = {v[0]: v for v in s.execute(select(*cols).where(Visit.id.in_(ids)))}
            for r in rows:
                if r[3] is None and fallback[r[0]]["next_visit_id"] in found:
                    r[4:] = found[fallback[r[0]]["next_visit_id"]]
        done = _submitted(s, None)
    out = []
    for pid, subject, initials, _have, vid, code, planned_date, status in rows:
        if vid is None or not [i for i in visit_battery(code) if i not in done.get(vid, ())]:
            continue
        out.append(VisitOverview(vid, pid, subject, initials or "", code, planned_date, status))
    return out


__all__ = ["DEFAULT_BATTERY", "VisitOverview", "open_visits", "remaining_battery",
           "study_arms", "visit_battery", "visit_overview"]
