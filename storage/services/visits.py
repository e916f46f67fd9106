"""Visit services: unscheduled and early-termination visits (on demand), out-of-window
reasons, and the lock after signature."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from forms import schedule as sched
from forms.errors import UserError
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError
from storage.models import Administration, Patient, Visit
from storage.services._tx import get, require_reason, tx
from storage.services.locks import hold_fresh, refuse_if_locked
from storage.services.not_done_records import not_done_ids
from storage.services.patients import local_today, planned
from storage.services.protocol_store import patient_protocol


def _effective_date(v: Visit) -> date:
    return v.actual_date or v.planned_date


def _visit_day(visit_date: date | None) -> date:
    day = visit_date if visit_date is not None else local_today()
    if not isinstance(day, date) or hasattr(day, "hour"):
        raise UserError("The visit date must be a date.")
    return day


def _add_on_demand(s, patient: Patient, code: str, day: date, why: str) -> int:  # noqa: ANN001
    """A visit added on demand on ``day`` (window: the day itself), in date order: visits after
    it move one place down (audited ``sequence`` changes), so "previous visit" stays
    chronological."""
    if patient.status != "enrolled":
        raise UserError(f"Subject {patient.subject_id} is not active ({patient.status}).")
    if day < patient.consent_date:
        raise UserError("A visit cannot be before the consent date "
                        f"({patient.consent_date:%Y-%m-%d}).")
    visits = list(s.scalars(select(Visit).where(Visit.patient_id == patient.id)
                            .order_by(Visit.sequence, Visit.id)))
    seq = 1 + max((v.sequence for v in visits if _effective_date(v) <= day), default=0)
    for v in reversed(visits):              # make room (highest first)
        if v.sequence >= seq:
            v.sequence += 1
    s.flush()
    visit = Visit(patient_id=patient.id, code=code, sequence=seq,
                  target_day=sched.study_day(patient.day1_date, day), window_before=0,
                  window_after=0, planned_date=day, status="planned", unscheduled_reason=why)
    s.add(visit)
    s.flush()
    return visit.id


def add_unscheduled_visit(db: Database, actor: Actor, patient_id: int, *, reason: str,
                          visit_date: date | None = None) -> int:
    """Add an unscheduled visit (``UNS1``, ``UNS2`` …) on ``visit_date`` (default today), with a
    reason, in date order (see ``_add_on_demand``). Returns its id."""
    why = require_reason(reason)
    day = _visit_day(visit_date)
    with tx(db, actor, "visit.add_unscheduled", permission="schedule_visit", reason=why,
            patient_id=patient_id) as s:
        patient = get(s, Patient, patient_id, "Patient")
        codes = s.scalars(select(Visit.code).where(Visit.patient_id == patient_id))
        uns = sched.unscheduled_visit(list(codes), why)
        return _add_on_demand(s, patient, uns.code, day, uns.reason)


def add_early_termination_visit(db: Database, actor: Actor, patient_id: int, *, reason: str,
                                visit_date: date | None = None) -> int:
    """Add the protocol's early-termination visit (kind ``early_termination``, e.g. ``ET``) on
    ``visit_date`` (default today) with the reason, once per patient; its battery is the
    protocol's (as W52 for NCT01342250). The typed early-termination form (reason codes) comes
    with the outcome forms; the reason is kept as the visit's reason for now."""
    why = require_reason(reason)
    day = _visit_day(visit_date)
    with tx(db, actor, "visit.add_early_termination", permission="schedule_visit",
            reason=why, patient_id=patient_id) as s:
        patient = get(s, Patient, patient_id, "Patient")
        kinds = patient_protocol(s, patient_id).visits_of_kind("early_termination")
        if not kinds:
            raise UserError("The study's protocol has no early-termination visit.")
        code = kinds[0].id
        if s.scalar(select(Visit.id).where(Visit.patient_id == patient_id,
                                           Visit.code == code)) is not None:
            raise ConflictError(f"Subject {patient.subject_id} already has the {code} visit.")
        return _add_on_demand(s, patient, code, day, why)


def set_visit_out_of_window_reason(db: Database, actor: Actor, visit_id: int, *, reason: str,
                                   expected_version: int | None = None) -> None:
    """Record why a visit is (or was done) outside its window, replacing the automatic text.

    Allowed when the visit was assessed out of its window or is overdue; refused for a visit
    inside its window, a locked visit, or when someone changed the visit meanwhile
    (``expected_version`` = ``VisitInfo.version``).
    """
    why = require_reason(reason, "An out-of-window reason")
    with tx(db, actor, "visit.out_of_window_reason", permission="schedule_visit",
            reason=why) as s:
        visit = get(s, Visit, visit_id, "Visit")
        patient = get(s, Patient, visit.patient_id, "Patient")
        audit.context(s).patient_id = patient.id
        refuse_if_locked(s, visit)
        if expected_version is not None and expected_version != visit.version_id:
            raise ConflictError("Someone else changed this visit in the meantime; reload.")
        status = sched.window_status(planned(visit, patient.day1_date), local_today(),
                                     visit.actual_date)
        if not visit.out_of_window and status not in (sched.OUT_OF_WINDOW, sched.OVERDUE):
            raise UserError(f"Visit {visit.code} is not outside its window ({status}); no "
                            "out-of-window reason is needed.")
        visit.out_of_window_reason = why


def lock_visit(db: Database, actor: Actor, visit_id: int, *, reason: str) -> None:
    """Investigator locks a signed visit: afterwards answers, corrections, clinical data,
    signatures and out-of-window reasons of this visit are refused (RecordLocked).

    Refused unless the visit carries a valid signature (status ``signed``) and no
    questionnaire is still open at it. Audited (``visit.lock``, with the reason).
    """
    why = require_reason(reason)
    with tx(db, actor, "visit.lock", permission="lock_visit", reason=why) as s:
        visit = get(s, Visit, visit_id, "Visit")
        hold_fresh(s, visit)                # PostgreSQL: the checks below and the lock: one step
        audit.context(s).patient_id = visit.patient_id
        if visit.locked_at is not None:
            raise ConflictError(f"Visit {visit.code} is already locked.")
        if visit.status != "signed":
            raise UserError(f"Visit {visit.code} must be signed before it is locked (it is "
                            f"{visit.status.replace('_', ' ')}).")
        # a paused questionnaire recorded not done (the patient could not finish it) is closed
        open_adm = min(set(s.scalars(select(Administration.instrument_id).where(
            Administration.visit_id == visit.id,
            Administration.status.in_(("in_progress", "interrupted")))))
            - not_done_ids(s, visit.id), default=None)
        if open_adm is not None:
            raise UserError(f"{open_adm} is still open at visit {visit.code}: finish it or "
                            "record it as not done before locking.")
        visit.locked_at = utcnow()
        visit.locked_by = actor.user_id
        visit.lock_reason = why
