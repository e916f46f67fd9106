"""Study set-up, enrolment (with its visit schedule), patient lists and visits."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from forms import schedule as sched
from forms.errors import UserError
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError
from storage.models import SEXES, Patient, Study, Visit
from storage.services._tx import clean_text, get, tx
from storage.services.dto import PatientInfo, VisitInfo

SUBJECT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
DEFAULT_ARMS = ("A", "B")


def create_study(db: Database, actor: Actor, *, protocol_id: str, title: str,
                 arms: tuple[str, ...] = DEFAULT_ARMS, schedule=None,  # noqa: ANN001
                 primary_sf36_scoring: str = "rand36", is_demo: bool = False) -> int:
    rows = sched.schedule_to_rows(schedule or sched.DEFAULT_SCHEDULE)
    sched.schedule_from_rows(rows)  # validates
    if primary_sf36_scoring not in ("rand36", "sf36v1"):
        raise UserError("Primary SF-36 scoring must be rand36 or sf36v1.")
    with tx(db, actor, "study.create", permission="study_settings") as s:
        if s.scalar(select(Study.id).where(Study.protocol_id == protocol_id)) is not None:
            raise ConflictError("A study with this protocol id exists.")
        study = Study(protocol_id=protocol_id, title=title, arms=list(arms), visit_schedule=rows,
                      primary_sf36_scoring=primary_sf36_scoring, is_demo=is_demo,
                      created_at=utcnow())
        s.add(study)
        s.flush()
        return study.id


def current_study(s) -> Study:  # noqa: ANN001
    study = s.scalar(select(Study).order_by(Study.id).limit(1))
    if study is None:
        raise UserError("No study is set up in this database: run `epro init` first.")
    return study


def _check_date(value: object, what: str) -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise UserError(f"{what} must be a date.")
    return value


def enrol_patient(db: Database, actor: Actor, *, subject_id: str, initials: str, sex: str,
                  birth_year: int, arm: str, day1_date: date, consent_date: date,
                  screening_number: str | None = None, full_name: str | None = None,
                  eligibility: dict | None = None, override_reason: str | None = None,
                  override_by: Actor | None = None) -> int:
    """Enrol a patient and schedule every visit from the study's schedule (one transaction).

    ``eligibility`` (criterion id -> True/False/None, plus computed values) is stored as an
    audited ``patient.eligibility`` event in the same transaction; if any criterion is False
    the enrolment needs ``override_by`` (an investigator, password already re-entered) and an
    ``override_reason``, else nothing is enrolled (``storage.services.events``).
    """
    subject_id = (subject_id or "").strip()
    if not SUBJECT_RE.match(subject_id):
        raise UserError("Subject id: 1–32 letters, digits, '-' or '_'.")
    initials = (initials or "").strip().upper()
    if not (1 <= len(initials) <= 5) or not initials.isalpha():
        raise UserError("Initials: 1 to 5 letters.")
    if sex not in SEXES:
        raise UserError("Sex must be F or M.")
    this_year = utcnow().year
    if not isinstance(birth_year, int) or not (this_year - 120 <= birth_year <= this_year):
        raise UserError("Birth year is not plausible.")
    day1 = _check_date(day1_date, "Day-1 date")
    consent = _check_date(consent_date, "Consent date")
    if consent > day1:
        raise UserError("Consent must be on or before day 1.")
    name = clean_text(full_name, "Full name", max_len=100)
    screening = clean_text(screening_number, "Screening number", max_len=32)
    with tx(db, actor, "patient.enrol", permission="enrol_patient") as s:
        study = current_study(s)
        if arm not in study.arms:
            raise UserError(f"Unknown arm (use one of: {', '.join(study.arms)}).")
        if s.scalar(select(Patient.id).where(Patient.subject_id == subject_id)) is not None:
            raise ConflictError(f"Subject {subject_id} is already enrolled.")
        p = Patient(study_id=study.id, subject_id=subject_id, screening_number=screening,
                    initials=initials, sex=sex, birth_year=birth_year, arm=arm,
                    consent_date=consent, day1_date=day1, status="enrolled", full_name=name,
                    created_at=utcnow())
        s.add(p)
        s.flush()
        from storage import audit
        audit.context(s).patient_id = p.id
        if eligibility is not None:
            from storage.services.events import eligibility_event
            eligibility_event(s, p.id, dict(eligibility), override_reason, override_by)
        for seq, vdef in enumerate(sched.schedule_from_rows(study.visit_schedule), start=1):
            pv = sched.plan(vdef, day1)
            s.add(Visit(patient_id=p.id, code=vdef.code, sequence=seq,
                        target_day=vdef.target_day,
                        window_before=vdef.target_day - vdef.earliest_day,
                        window_after=vdef.latest_day - vdef.target_day,
                        planned_date=pv.target_date, status="planned"))
        return p.id


def patient_info(p: Patient) -> PatientInfo:
    return PatientInfo(p.id, p.subject_id, p.screening_number, p.initials, p.sex, p.birth_year,
                       p.arm, p.consent_date, p.day1_date, p.status, p.full_name, p.version_id)


def find_patient(db: Database, subject_id: str) -> PatientInfo | None:
    with db.session() as s:
        p = s.scalar(select(Patient).where(Patient.subject_id == (subject_id or "").strip()))
        return patient_info(p) if p else None


def get_patient(db: Database, patient_id: int) -> PatientInfo:
    with db.session() as s:
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
    with db.session() as s:
        p = get(s, Patient, patient_id, "Patient")
        visits = s.scalars(select(Visit).where(Visit.patient_id == patient_id)
                           .order_by(Visit.sequence, Visit.id))
        return [visit_info(v, p.day1_date, today) for v in visits]


def patient_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(Patient.id))) or 0
