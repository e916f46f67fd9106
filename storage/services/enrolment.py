"""Enrolment: screening recomputed by storage, allocation, the visit schedule (one transaction).

The caller sends the RAW screening inputs (``forms.enrolment.RawScreening``); storage derives
Child-Pugh/MELD and evaluates the protocol's criteria itself (``forms.enrolment.screen_raw``),
stores inputs, derived scores, per-criterion results and result with the enrolment, and refuses
an ineligible or undetermined patient unless an investigator (password already re-entered by the
caller) overrides with a reason. In a randomised study the arm comes from the concealed
allocation list, never from the caller; in a non-randomised one (``allocation.method ==
"none"``) staff choose one of the protocol's arms. Visits are created from the protocol's
scheduled visits (screening is the enrolment record itself; early termination and unscheduled
visits are added on demand).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import schedule as sched
from forms.enrolment import RawScreening, Screened, screen_raw
from forms.errors import UserError
from forms.protocol import Protocol
from storage import audit, permissions
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError, PermissionDenied
from storage.models import SEXES, Enrolment, EnrolmentCriterion, Patient, Visit
from storage.services._tx import clean_text, get, require_reason, tx
from storage.services.allocation import next_slot, use_slot
from storage.services.protocol_store import (current_study, protocol_version_of,
                                             stored_protocol)

SUBJECT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Demographics:
    subject_id: str
    initials: str
    sex: str
    screening_number: str | None = None
    full_name: str | None = None


def check_demographics(subject_id: str, initials: str, sex: str, screening_number: str | None,
                       full_name: str | None) -> Demographics:
    sid = (subject_id or "").strip()
    if not SUBJECT_RE.match(sid):
        raise UserError("Subject id: 1–32 letters, digits, '-' or '_'.")
    ini = (initials or "").strip().upper()
    if not (1 <= len(ini) <= 5) or not ini.isalpha():
        raise UserError("Initials: 1 to 5 letters.")
    if sex not in SEXES:
        raise UserError("Sex must be F or M.")
    return Demographics(sid, ini, sex, clean_text(screening_number, "Screening number",
                                                  max_len=32),
                        clean_text(full_name, "Full name", max_len=100))


def _check_raw(raw: RawScreening, day1: date) -> tuple[date, date, date]:
    if not isinstance(raw, RawScreening):
        raise UserError("The screening inputs are missing.")
    if not isinstance(day1, date) or hasattr(day1, "hour"):
        raise UserError("Day-1 date must be a date.")
    if raw.screening_date is None or raw.birth_date is None or raw.consent_date is None:
        raise UserError("Screening date, date of birth and consent date are needed to enrol.")
    this_year = utcnow().year
    if not this_year - 120 <= raw.birth_date.year <= this_year:
        raise UserError("Date of birth is not plausible.")
    if raw.consent_date > day1:
        raise UserError("Consent must be on or before day 1.")
    return raw.screening_date, raw.birth_date, raw.consent_date


def _override(screened: Screened, override_by: Actor | None, override_reason: str | None
              ) -> tuple[str | None, str | None]:
    """(reason, investigator user name) when the result is not eligible; raises otherwise."""
    res = screened.result
    if res.result == "eligible":
        return None, None
    ids = ", ".join(res.unmet or res.undetermined)
    if override_by is None or not permissions.allowed(override_by, "override_eligibility"):
        raise PermissionDenied(f"Not eligible ({res.result}: {ids}): only an investigator can "
                               "enrol with an override and a reason. Nobody was enrolled.")
    reason = require_reason(override_reason, "The override reason")
    return reason, override_by.username


def schedule_visits(s: Session, patient: Patient, protocol: Protocol) -> None:
    """The protocol's planned visits (``forms.schedule.protocol_schedule``) for ``patient``."""
    for seq, v in enumerate(sched.protocol_schedule(protocol), start=1):
        s.add(Visit(patient_id=patient.id, code=v.code, sequence=seq, target_day=v.target_day,
                    window_before=v.target_day - v.earliest_day,
                    window_after=v.latest_day - v.target_day,
                    planned_date=sched.plan(v, patient.day1_date).target_date,
                    status="planned"))


@dataclass(frozen=True)
class _Checked:
    """Everything an enrolment decided before it writes (every refusal is raised before)."""
    demo: Demographics
    raw: RawScreening
    day1_date: date
    screening_date: date
    birth: date
    consent: date
    study_id: int
    version_id: int
    protocol: Protocol
    screened: Screened
    reason: str | None
    by: str | None
    arm: str | None                     # None in a randomised study (from the slot)


def check_enrolment(s: Session, demo: Demographics, raw: RawScreening, day1_date: date, *,
                    arm: str | None = None, override_reason: str | None = None,
                    override_by: Actor | None = None) -> _Checked:
    """Every rule of an enrolment, reading only (``import-patients`` checks a whole file in
    one read transaction before it writes anything)."""
    screening_date, birth, consent = _check_raw(raw, day1_date)
    study = current_study(s)
    sp = stored_protocol(s, study)
    protocol = sp.protocol
    screened = screen_raw(protocol, raw, demo.sex)
    reason, by = _override(screened, override_by, override_reason)
    randomised = protocol.allocation.method != "none"
    if randomised and arm is not None:
        raise UserError("In this randomised study the arm is assigned by the allocation list, "
                        "never chosen by hand.")
    if not randomised and arm not in {a.id for a in protocol.arms}:
        raise UserError(f"Choose the arm ({', '.join(a.id for a in protocol.arms)}).")
    if s.scalar(select(Patient.id).where(Patient.subject_id == demo.subject_id)) is not None:
        raise ConflictError(f"Subject {demo.subject_id} is already enrolled.")
    return _Checked(demo, raw, day1_date, screening_date, birth, consent, study.id,
                    sp.version_id, protocol, screened, reason, by,
                    None if randomised else arm)


def enrol_in_session(s: Session, actor: Actor, demo: Demographics, raw: RawScreening,
                     day1_date: date, *, arm: str | None = None,
                     override_reason: str | None = None,
                     override_by: Actor | None = None) -> int:
    """Inside a transaction (the dialog's call and ``import-patients`` share it)."""
    c = check_enrolment(s, demo, raw, day1_date, arm=arm, override_reason=override_reason,
                        override_by=override_by)
    demo, protocol, screened, reason, by = c.demo, c.protocol, c.screened, c.reason, c.by
    randomised = c.arm is None
    slot = next_slot(s, c.study_id, c.version_id, protocol) if randomised else None
    p = Patient(study_id=c.study_id, subject_id=demo.subject_id,
                screening_number=demo.screening_number, initials=demo.initials, sex=demo.sex,
                birth_year=c.birth.year, arm=slot.arm if slot is not None else c.arm,
                consent_date=c.consent, day1_date=c.day1_date, status="enrolled",
                full_name=demo.full_name, created_at=utcnow())
    s.add(p)
    s.flush()
    ctx = audit.context(s)
    if ctx is not None:
        ctx.patient_id = p.id
    sequence = None
    if slot is not None:
        use_slot(slot, p)
        sequence = slot.sequence
    e = Enrolment(patient_id=p.id, protocol_version_id=c.version_id,
                  screening_date=c.screening_date, inputs=raw.to_json(),
                  derived=screened.liver.derived(), result=screened.result.result,
                  override_reason=reason, override_by=by, allocation_sequence=sequence,
                  recorded_at=utcnow())
    s.add(e)
    s.flush()
    for i, o in enumerate(screened.result.outcomes, start=1):
        s.add(EnrolmentCriterion(enrolment_id=e.id, position=i, criterion_id=o.id, kind=o.kind,
                                 met=o.met))
    if reason is not None:
        audit.log_event(s, "enrolment.override", entity="enrolment", entity_id=e.id,
                        detail=f"{screened.result.result}: "
                               f"{', '.join(screened.result.unmet or screened.result.undetermined)}"
                               f"; investigator {by}", reason=reason)
    schedule_visits(s, p, protocol)
    s.flush()
    return p.id


def enrol_patient(db: Database, actor: Actor, *, subject_id: str, initials: str, sex: str,
                  day1_date: date, screening: RawScreening, arm: str | None = None,
                  screening_number: str | None = None, full_name: str | None = None,
                  override_reason: str | None = None, override_by: Actor | None = None) -> int:
    """Enrol one patient (one transaction); returns the patient id. See the module docstring."""
    demo = check_demographics(subject_id, initials, sex, screening_number, full_name)
    with tx(db, actor, "patient.enrol", permission="enrol_patient") as s:
        return enrol_in_session(s, actor, demo, screening, day1_date, arm=arm,
                                override_reason=override_reason, override_by=override_by)


@dataclass(frozen=True)
class CriterionRecord:
    id: str
    kind: str
    met: bool | None


@dataclass(frozen=True)
class EnrolmentRecord:
    """What storage stored at enrolment (the screens show this after saving)."""
    patient_id: int
    protocol_id: str
    protocol_version: str
    screening: RawScreening
    derived: dict
    result: str
    criteria: tuple[CriterionRecord, ...]
    override_reason: str | None
    override_by: str | None
    allocation_sequence: int | None
    arm: str
    recorded_at: datetime


def enrolment_record(db: Database, patient_id: int) -> EnrolmentRecord | None:
    """The stored enrolment of a patient (None for patients enrolled before migration 0005)."""
    with db.read_session() as s:
        p = get(s, Patient, patient_id, "Patient")
        e = s.scalar(select(Enrolment).where(Enrolment.patient_id == patient_id))
        if e is None:
            return None
        proto = protocol_version_of(s, e.protocol_version_id)
        crit = s.scalars(select(EnrolmentCriterion)
                         .where(EnrolmentCriterion.enrolment_id == e.id)
                         .order_by(EnrolmentCriterion.position))
        return EnrolmentRecord(
            p.id, proto.protocol_id, proto.version, RawScreening.from_json(e.inputs),
            dict(e.derived), e.result, tuple(CriterionRecord(c.criterion_id, c.kind, c.met)
                                             for c in crit),
            e.override_reason, e.override_by, e.allocation_sequence, p.arm, e.recorded_at)


def enrolment_records(db: Database, subject: str | None = None
                      ) -> list[tuple[str, EnrolmentRecord]]:
    """(subject id, stored enrolment) of every patient enrolled through the enrolment service,
    by subject id (for the exports; one read transaction, two queries per protocol version)."""
    q = (select(Enrolment, Patient).join(Patient, Patient.id == Enrolment.patient_id)
         .order_by(Patient.subject_id))
    if subject is not None:
        q = q.where(Patient.subject_id == subject)
    with db.read_session() as s:
        rows = list(s.execute(q))
        crit: dict[int, list[CriterionRecord]] = {}
        ids = [e.id for e, _p in rows]
        for i in range(0, len(ids), 500):
            for c in s.scalars(select(EnrolmentCriterion)
                               .where(EnrolmentCriterion.enrolment_id.in_(ids[i:i + 500]))
                               .order_by(EnrolmentCriterion.enrolment_id,
                                         EnrolmentCriterion.position)):
                crit.setdefault(c.enrolment_id, []).append(
                    CriterionRecord(c.criterion_id, c.kind, c.met))
        protocols = {v: protocol_version_of(s, v) for v in {e.protocol_version_id
                                                            for e, _p in rows}}
        return [(p.subject_id, EnrolmentRecord(
            p.id, protocols[e.protocol_version_id].protocol_id,
            protocols[e.protocol_version_id].version, RawScreening.from_json(e.inputs),
            dict(e.derived), e.result, tuple(crit.get(e.id, ())), e.override_reason,
            e.override_by, e.allocation_sequence, p.arm, e.recorded_at)) for e, p in rows]


def correct_arm(db: Database, actor: Actor, patient_id: int, *, arm: str, reason: str) -> None:
    """Investigator: correct a patient's arm (e.g. a wrong slot was used), with a reason; the
    allocation slot stays as drawn and the change is audited on ``patient.arm``."""
    why = require_reason(reason)
    with tx(db, actor, "patient.correct_arm", permission="correct_arm", reason=why,
            patient_id=patient_id) as s:
        p = get(s, Patient, patient_id, "Patient")
        e = s.scalar(select(Enrolment).where(Enrolment.patient_id == patient_id))
        proto = (protocol_version_of(s, e.protocol_version_id) if e is not None
                 else stored_protocol(s).protocol)
        if arm not in {a.id for a in proto.arms}:
            raise UserError(f"Unknown arm (use one of: {', '.join(a.id for a in proto.arms)}).")
        if arm == p.arm:
            raise UserError("The patient is already in this arm.")
        p.arm = arm


__all__ = ["CriterionRecord", "Demographics", "EnrolmentRecord", "check_demographics",
           "check_enrolment", "correct_arm", "enrol_in_session", "enrol_patient", "enrolment_record", "enrolment_records", "schedule_visits"]
