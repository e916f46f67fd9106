"""Staff alerts (issue 12 item 7, designed for issue 15): raise, list, acknowledge — audited.

Storage raises answer alerts itself when a questionnaire is submitted
(``raise_answer_alerts``, inside the submit transaction): the findings are the instrument's alert
rules (``forms.registry`` entry ``alert_findings``, the same rules that set the stored alert
level), never a screen's decision. ``raise_alert`` is the door for staff-form alerts (clinical /
outcome forms, issue 15). Each alert is stored with a reason key and structured parameters;
screens and PDFs render them in the reader's language.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from forms.alerts import AlertFinding
from forms.errors import UserError
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.errors import ConflictError
from storage.models import ALERT_SOURCES, Administration, Alert, Patient, User, Visit
from storage.services._tx import clean_text, get, tx


@dataclass(frozen=True)
class AlertInfo:
    """One staff alert with what a reader needs to render it (no free text to parse)."""
    id: int
    patient_id: int
    subject_id: str
    visit_id: int | None
    visit_code: str | None
    source: str                          # "answer" | "clinical" | "outcome"
    administration_id: int | None
    instrument_id: str | None            # answer alerts: the questionnaire
    item_id: str | None
    form: str | None                     # staff-form alerts: form and field
    field: str | None
    severity: str                        # "red" | "amber"
    reason: str                          # forms.alerts.REASONS
    params: Mapping[str, Any]
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None          # user name
    ack_note: str | None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


def _add(s: Session, *, patient_id: int, visit_id: int | None, source: str, severity: str,
         reason: str, params: Mapping[str, Any], administration_id: int | None = None,
         item_id: str | None = None, form: str | None = None, field: str | None = None) -> Alert:
    if source not in ALERT_SOURCES:
        raise UserError(f"Unknown alert source {source!r}.")
    # the forms record checks severity and reason the same way for every source
    AlertFinding(severity, reason, item_id or field or "", dict(params))
    row = Alert(patient_id=patient_id, visit_id=visit_id, source=source, severity=severity,
                reason=reason, params=dict(params), administration_id=administration_id,
                item_id=item_id, form=form, field=field, raised_at=utcnow())
    s.add(row)
    return row


def raise_answer_alerts(s: Session, adm: Administration, visit: Visit,
                        findings: tuple[AlertFinding, ...]) -> list[int]:
    """Store one alert per finding of a submitted administration (inside the submit or
    correction transaction; audited under the action ``alert.raise``). A finding already raised
    for the same administration, item and reason is not raised again (a correction re-checks)."""
    have = set(s.execute(select(Alert.item_id, Alert.reason)
                         .where(Alert.administration_id == adm.id))) if findings else set()
    findings = tuple(f for f in findings if (f.item_id, f.reason) not in have)
    if not findings:
        return []
    ctx = audit.context(s)
    before = ctx.action if ctx is not None else None
    s.flush()                                  # earlier rows keep the submit's action
    if ctx is not None:
        ctx.action = "alert.raise"
    rows = [_add(s, patient_id=visit.patient_id, visit_id=visit.id, source="answer",
                 severity=f.severity, reason=f.reason, params=f.params,
                 administration_id=adm.id, item_id=f.item_id) for f in findings]
    s.flush()
    if ctx is not None and before is not None:
        ctx.action = before
    return [r.id for r in rows]


def raise_form_alerts(s: Session, *, patient_id: int, visit_id: int | None, source: str,
                      form: str, findings: tuple[AlertFinding, ...],
                      extra: Mapping[str, Any] | None = None) -> list[int]:
    """Store one alert per finding of a saved staff form (``clinical`` / ``outcome``; the
    finding's ``item_id`` is the field) inside the caller's save transaction, audited under the
    action ``alert.raise``; ``extra`` params (e.g. the outcome record id) go with each."""
    if not findings:
        return []
    ctx = audit.context(s)
    before = ctx.action if ctx is not None else None
    s.flush()                                  # earlier rows keep the save's action
    if ctx is not None:
        ctx.action = "alert.raise"
    rows = [_add(s, patient_id=patient_id, visit_id=visit_id, source=source,
                 severity=f.severity, reason=f.reason, params={**f.params, **(extra or {})},
                 form=form, field=f.item_id) for f in findings]
    s.flush()
    if ctx is not None and before is not None:
        ctx.action = before
    return [r.id for r in rows]


def raise_alert(db: Database, actor: Actor, *, patient_id: int, visit_id: int | None,
                source: str, severity: str, reason: str, params: Mapping[str, Any],
                form: str | None = None, field: str | None = None) -> int:
    """Raise a staff-form alert (clinical / outcome form and field; issue 15). Answer alerts
    are raised by storage itself on submit."""
    if source == "answer":
        raise UserError("Answer alerts are raised when the questionnaire is submitted.")
    with tx(db, actor, "alert.raise", permission="enter_clinical_assessment",
            patient_id=patient_id) as s:
        get(s, Patient, patient_id, "Patient")
        row = _add(s, patient_id=patient_id, visit_id=visit_id, source=source,
                   severity=severity, reason=reason, params=params, form=form, field=field)
        s.flush()
        return row.id


def list_alerts(db: Database, *, unacknowledged: bool = False, patient_id: int | None = None,
                visit_id: int | None = None, source: str | None = None) -> list[AlertInfo]:
    """Alerts, newest first (``unacknowledged``: only those nobody acknowledged yet; the partial
    index ``ix_alert_unacknowledged`` serves it; ``source``: of one source, e.g. "outcome")."""
    with db.read_session() as s:
        return read_alerts(s, unacknowledged=unacknowledged, patient_id=patient_id,
                           visit_id=visit_id, source=source)


def read_alerts(s: Session, *, unacknowledged: bool = False, patient_id: int | None = None,
                visit_id: int | None = None, source: str | None = None) -> list[AlertInfo]:
    """``list_alerts`` inside the caller's read transaction (the Today view's one snapshot)."""
    acker = aliased(User)
    q = (select(Alert, Patient.subject_id, Visit.code, Administration.instrument_id,
                acker.username)
         .join(Patient, Patient.id == Alert.patient_id)
         .outerjoin(Visit, Visit.id == Alert.visit_id)
         .outerjoin(Administration, Administration.id == Alert.administration_id)
         .outerjoin(acker, acker.id == Alert.acknowledged_by)
         .order_by(Alert.raised_at.desc(), Alert.id.desc()))
    if unacknowledged:
        q = q.where(Alert.acknowledged_at.is_(None))
    if patient_id is not None:
        q = q.where(Alert.patient_id == patient_id)
    if visit_id is not None:
        q = q.where(Alert.visit_id == visit_id)
    if source is not None:
        q = q.where(Alert.source == source)
    return [AlertInfo(a.id, a.patient_id, subject, a.visit_id, code, a.source,
                      a.administration_id, inst, a.item_id, a.form, a.field, a.severity,
                      a.reason, dict(a.params or {}), a.raised_at, a.acknowledged_at,
                      who, a.ack_note)
            for a, subject, code, inst, who in s.execute(q)]


def acknowledge_alert(db: Database, actor: Actor, alert_id: int, note: str | None = None) -> None:
    """A nurse or investigator acknowledges an alert (once; audited with the optional note)."""
    text = clean_text(note, "Note", max_len=1000, multiline=True)
    with tx(db, actor, "alert.acknowledge", permission="acknowledge_alert") as s:
        row = get(s, Alert, alert_id, "Alert")
        audit.context(s).patient_id = row.patient_id
        if row.acknowledged_at is not None:
            raise ConflictError("This alert was already acknowledged.")
        row.acknowledged_at = utcnow()
        row.acknowledged_by = actor.user_id
        row.ack_note = text


__all__ = ["AlertInfo", "acknowledge_alert", "list_alerts", "raise_alert", "raise_answer_alerts",
           "raise_form_alerts"]
