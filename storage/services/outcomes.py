"""Typed outcome records (issue 15): record, correct with a reason, list — audited.

Every save runs ``forms.outcomes.check_outcome`` (dates between the patient's consent and today,
numbers in range, the form's conditions and orders) and stores only its canonical values; a
problem refuses the save with the first problem's message. The infusion's arm dose is the
patient's arm (the protocol's), never typed. The alert rule ``forms.outcomes.outcome_findings``
runs on the stored values inside the same transaction (storage decides, the screen never does):
a death, an SAE, a grade ≥ 3 AE or a new HCC diagnosis raises a staff alert (``alert`` table,
source ``outcome``, the record id in its params); a correction raises only what is new. A
record entered at a visit marks the visit as taken place (as a submitted questionnaire does).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.errors import UserError
from forms.outcomes import FORMS, check_outcome, event_date, outcome_findings, problem_message
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.services.patients import local_today
from storage.db import Database
from storage.errors import ConflictError
from storage.models import OutcomeRecord as Row, Patient, User, Visit
from storage.services._tx import get, require_reason, tx
from storage.services.administrations import visit_done
from storage.services.alerts import raise_form_alerts
from storage.services.locks import refuse_if_locked
from storage.services.signing import invalidate_signatures

PERMISSION = "enter_clinical_assessment"


@dataclass(frozen=True)
class OutcomeRecord:
    """One stored outcome record, typed (``fields`` as ``forms.outcomes`` canonicalised them)."""
    id: int
    patient_id: int
    subject_id: str
    visit_code: str | None
    kind: str
    fields: Mapping[str, Any]
    entered_by: str
    entered_at: datetime
    version: int
    visit_id: int | None = None
    event_date: date | None = None


def _checked(kind: str, fields: Mapping[str, Any], patient: Patient, lang: str) -> dict:
    if kind not in FORMS:
        raise UserError(f"Unknown outcome form {kind!r}.")
    raw = dict(fields or {})
    if kind == "infusion":
        raw["arm"] = patient.arm                    # the protocol arm's dose, never typed
    out, problems = check_outcome(kind, raw, consent_date=patient.consent_date,
                                  today=local_today())
    if problems:
        raise UserError(" ".join(problem_message(kind, p, lang) for p in problems[:3]))
    return out


def _visit(s: Session, visit_id: int | None, patient_id: int) -> Visit | None:
    if visit_id is None:
        return None
    visit = get(s, Visit, visit_id, "Visit")
    if visit.patient_id != patient_id:
        raise UserError("The visit belongs to another patient.")
    refuse_if_locked(s, visit)
    return visit


def _raise(s: Session, row: Row, before: Mapping[str, Any] | None) -> None:
    findings = outcome_findings(row.kind, row.fields, before)
    raise_form_alerts(s, patient_id=row.patient_id, visit_id=row.visit_id, source="outcome",
                      form=row.kind, findings=findings, extra={"record": row.id})


def record_outcome(db: Database, actor: Actor, patient_id: int, kind: str,
                   fields: Mapping[str, Any], *, visit_id: int | None = None,
                   lang: str = "en") -> int:
    """Store a new outcome record of ``kind`` (checked, canonical) and raise its alerts."""
    with tx(db, actor, "outcome.record", permission=PERMISSION, patient_id=patient_id) as s:
        patient = get(s, Patient, patient_id, "Patient")
        visit = _visit(s, visit_id, patient_id)
        out = _checked(kind, fields, patient, lang)
        if visit is not None:
            visit_done(s, visit)             # a visit with staff data recorded took place
        row = Row(patient_id=patient_id, visit_id=visit_id, kind=kind, fields=out,
                  event_date=event_date(kind, out), entered_by=actor.user_id,
                  entered_at=utcnow())
        s.add(row)
        s.flush()
        if visit is not None:                # a signed visit's content changed
            invalidate_signatures(s, visit, f"outcome form added: {FORMS[kind].label['en']}")
        _raise(s, row, None)
        return row.id


def correct_outcome(db: Database, actor: Actor, record_id: int, fields: Mapping[str, Any],
                    reason: str, *, expected_version: int | None = None,
                    lang: str = "en") -> None:
    """Correct a record (every field given again), audited with the reason; a signed visit's
    signature is invalidated. Nothing changes when the values are the same."""
    why = require_reason(reason, "A reason for the change")
    with tx(db, actor, "outcome.correct", permission=PERMISSION, reason=why) as s:
        row = get(s, Row, record_id, "Outcome record")
        audit.context(s).patient_id = row.patient_id
        if expected_version is not None and expected_version != row.version_id:
            raise ConflictError("Someone else changed this record; reload.")
        visit = _visit(s, row.visit_id, row.patient_id)
        out = _checked(row.kind, fields, get(s, Patient, row.patient_id, "Patient"), lang)
        if out == row.fields:
            return
        before = dict(row.fields)
        row.fields = out
        row.event_date = event_date(row.kind, out)
        s.flush()
        if visit is not None:
            invalidate_signatures(s, visit, f"outcome record corrected: {why}")
        _raise(s, row, before)


def list_outcomes(db: Database, actor: Actor | None = None, patient_id: int | None = None,
                  kind: str | None = None, *, visit_id: int | None = None,
                  as_of: date | None = None) -> list[OutcomeRecord]:
    """Outcome records by patient, event date, id (``as_of``: events on or before that day)."""
    with db.read_session() as s:
        return read_outcomes(s, patient_id=patient_id, kind=kind, visit_id=visit_id,
                             as_of=as_of)


_T = Row.__table__
_COLUMNS = (_T.c.id, _T.c.patient_id, Patient.subject_id, Visit.code, _T.c.kind, _T.c.fields,
            User.username, _T.c.entered_at, _T.c.version_id, _T.c.visit_id, _T.c.event_date)


def read_outcomes(s: Session, *, patient_id: int | None = None, kind: str | None = None,
                  visit_id: int | None = None, as_of: date | None = None
                  ) -> list[OutcomeRecord]:
    """``list_outcomes`` inside the caller's read transaction: plain column rows straight into
    the dataclass (no ORM object per record; the export reads every record of the study)."""
    q = (select(*_COLUMNS)
         .join(Patient, Patient.id == _T.c.patient_id)
         .outerjoin(Visit, Visit.id == _T.c.visit_id)
         .join(User, User.id == _T.c.entered_by)
         .order_by(_T.c.patient_id, _T.c.event_date, _T.c.id))
    if patient_id is not None:
        q = q.where(_T.c.patient_id == patient_id)
    if kind is not None:
        q = q.where(_T.c.kind == kind)
    if visit_id is not None:
        q = q.where(_T.c.visit_id == visit_id)
    if as_of is not None:
        q = q.where(_T.c.event_date <= as_of)
    return [OutcomeRecord(*row) for row in s.execute(q).tuples()]


__all__ = ["OutcomeRecord", "correct_outcome", "list_outcomes", "read_outcomes",
           "record_outcome"]
