"""Small read look-ups the screens need, each one query in a read transaction.

The study's arms (the enrol dialog, the patient-list filter), the kiosk staff screen's list of
visits a patient can answer now, one visit with its patient (hand-over, identity check), and
what is left of a visit's questionnaire battery. Screens reach the data only through services
(``storage.services``): they never build a query.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from forms import registry as instrument_registry
from forms.visit_start import remaining_battery as remaining
from storage import patient_summary
from storage.db import Database
from storage.errors import NotFound
from storage.models import Administration, Enrolment, Patient, ProtocolVersion, Visit
from storage.services.not_done_records import not_done_ids
from storage.services.protocol_store import (patient_protocol, protocol_version_of,
                                             stored_protocol)

#: The registry's default battery of the shipped instruments (``visit_battery`` without a
#: protocol; forms.registry.visit_battery is the single seam).
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


def visit_battery(visit_code: str, protocol=None) -> tuple[str, ...]:  # noqa: ANN001
    """The patient questionnaires of a visit, in order (forms.registry.visit_battery; the
    protocol's battery for that visit when a protocol is given)."""
    return instrument_registry.visit_battery(visit_code, protocol)


def study_arms(db: Database) -> tuple[str, ...]:
    """The arm ids of the protocol the study runs (empty before set-up)."""
    with db.read_session() as s:
        if s.scalar(select(ProtocolVersion.id).limit(1)) is None:
            return ()
        return tuple(a.id for a in stored_protocol(s).protocol.arms)


def arm_labels(db: Database, lang: str) -> dict[str, str]:
    """Arm id -> label in ``lang`` (English if missing) from the protocol the study runs, for
    the screens (an arm id is an internal code). Arms of patients enrolled before protocol
    files are not in it: callers show those as stored."""
    with db.read_session() as s:
        if s.scalar(select(ProtocolVersion.id).limit(1)) is None:
            return {}
        return {a.id: a.label.get(lang) or a.label.get("en") or a.id
                for a in stored_protocol(s).protocol.arms}


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


def _battery_and_done(db: Database, visit_id: int) -> tuple[tuple[str, ...], set[str]]:
    """The visit's battery under the patient's protocol and what of it was submitted."""
    with db.read_session() as s:
        row = s.execute(select(Visit.code, Visit.patient_id).where(Visit.id == visit_id)).first()
        if row is None:
            raise NotFound(f"Visit {visit_id} does not exist.")
        battery = visit_battery(row.code, patient_protocol(s, row.patient_id))
        return battery, _submitted(s, [visit_id]).get(visit_id, set())


def remaining_battery(db: Database, visit_id: int) -> tuple[str, ...]:
    """The visit's questionnaires (its battery under the patient's protocol) neither submitted
    nor recorded not done, in order (NotFound for no such visit)."""
    battery, done = _battery_and_done(db, visit_id)
    with db.read_session() as s:
        return remaining(battery, done, not_done_ids(s, visit_id))


def submitted_battery(db: Database, visit_id: int) -> tuple[str, ...]:
    """The visit's questionnaires already submitted, in order: with ``remaining_battery`` the
    whole hand-over (a resumed questionnaire is still "part 2 of 2")."""
    battery, done = _battery_and_done(db, visit_id)
    return tuple(i for i in battery if i in done)


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
    """For every enrolled patient, the first visit (by sequence) still planned or in progress
    that gives questionnaires (a treatment-only visit such as D1 is passed over), ordered by
    subject id; visits whose questionnaires were all submitted are left out.

    One aggregate query over the visit table (first such visit per patient), joined to the
    patient by key; the visit codes that give questionnaires come from the stored protocol
    versions (a handful)."""
    with db.read_session() as s:
        versions = s.scalars(select(ProtocolVersion.id)).all()
        if not versions:
            return []
        protocols = {v: protocol_version_of(s, v) for v in versions}
        protocols[None] = stored_protocol(s).protocol   # enrolled before protocol files
        codes = {v.id for p in protocols.values() for v in p.visits if visit_battery(v.id, p)}
        wanted = (Visit.status.in_(OPEN_VISIT), Visit.code.in_(sorted(codes)))
        first = (select(Visit.patient_id, func.min(Visit.sequence).label("seq"))
                 .where(*wanted).group_by(Visit.patient_id).subquery())
        q = (select(Patient.id, Patient.subject_id, Patient.initials, Visit.id, Visit.code,
                    Visit.planned_date, Visit.status, Enrolment.protocol_version_id)
             .join(first, first.c.patient_id == Patient.id)
             .join(Visit, (Visit.patient_id == Patient.id) & (Visit.sequence == first.c.seq))
             .outerjoin(Enrolment, Enrolment.patient_id == Patient.id)
             .where(Patient.status == "enrolled", *wanted)
             .order_by(Patient.subject_id, Visit.id))
        rows = s.execute(q).all()
        done = _submitted(s, None)
        out: list[VisitOverview] = []
        for pid, subject, initials, vid, code, planned_date, status, version in rows:
            if out and out[-1].patient_id == pid:
                continue                      # one visit per patient
            battery = visit_battery(code, protocols[version])
            if [i for i in battery if i not in done.get(vid, ())]:
                out.append(VisitOverview(vid, pid, subject, initials or "", code,
                                         planned_date, status))
    return out


__all__ = ["DEFAULT_BATTERY", "VisitOverview", "arm_labels",
           "open_visits", "remaining_battery", "study_arms", "visit_battery", "visit_overview"]
