"""Patients and their visits (read side); enrolment is storage.services.enrolment."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from forms import schedule as sched
from storage.clock import utcnow
from storage.db import Database
from storage.models import Patient, Visit
from storage.services._tx import get
from storage.services.dto import PatientInfo, VisitInfo

# enrolment lives in storage.services.enrolment (screening, allocation, visit schedule)


def patient_info(p: Patient) -> PatientInfo:
    return PatientInfo(p.id, p.subject_id, p.screening_number, p.initials, p.sex, p.birth_year,
                       p.arm, p.consent_date, p.day1_date, p.status, p.full_name, p.version_id)


def find_patient(db: Database, subject_id: str) -> PatientInfo | None:
    with db.read_session() as s:
        p = s.scalar(select(Patient).where(Patient.subject_id == (subject_id or "").strip()))
        return patient_info(p) if p else None


def get_patient(db: Database, patient_id: int) -> PatientInfo:
    with db.read_session() as s:
        return patient_info(get(s, Patient, patient_id, "Patient"))


def planned(v: Visit, day1: date) -> sched.PlannedVisit:
    vdef = sched.VisitDef(v.code, v.target_day, v.target_day - v.window_before,
                          v.target_day + v.window_after)
    return sched.plan(vdef, day1)


def local_today() -> date:
    return utcnow().astimezone().date()


def visit_info(v: Visit, day1: date, today: date) -> VisitInfo:
    pv = planned(v, day1)
    return VisitInfo(v.id, v.code, v.target_day, (v.window_before, v.window_after),
                     pv.target_date, pv.earliest, pv.latest, v.actual_date, v.status,
                     sched.window_status(pv, today, v.actual_date), v.out_of_window,
                     v.version_id, v.out_of_window_reason, v.unscheduled_reason,
                     v.locked_at is not None)


def patient_visits(db: Database, patient_id: int) -> list[VisitInfo]:
    today = local_today()
    with db.read_session() as s:
        p = get(s, Patient, patient_id, "Patient")
        visits = s.scalars(select(Visit).where(Visit.patient_id == patient_id)
                           .order_by(Visit.sequence, Visit.id))
        return [visit_info(v, p.day1_date, today) for v in visits]


def patient_count(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(Patient.id))) or 0
