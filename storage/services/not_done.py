"""A questionnaire of a visit recorded "not done" with a reason, and its withdrawal.

A nurse (any role that may start questionnaires) records that a questionnaire of the visit's
battery was not done (``forms.not_done``: refused, too unwell, unable, staff error, other +
text). The visit then follows ``forms.visit_start.battery_complete`` (submitted or not done =
accounted for): the visit completes once nothing else is left. Refused for a questionnaire
already submitted, or being answered at a kiosk now (in progress), or already recorded not
done; refused on a locked visit. A questionnaire started and paused (interrupted) that the
patient cannot finish may be recorded not done: its answers so far are kept as they are (still
"interrupted", never scored, shown and exported as incomplete), the kiosk no longer offers to
resume it and the visit can complete and be locked. On a
signed visit it invalidates the signature as a correction does (re-signature needed). The
withdrawal ("it is done after all") needs a reason; the questionnaire is then offered again.

Both are kept as audit events (``storage.services.not_done_records``: no migration). Readers:
``visit_not_done`` (screens), ``subject_not_done`` (one subject, e.g. the SDTM QS domain:
QSSTAT = "NOT DONE", QSREASND = ``NotDoneRecord.not_done.label("en")``).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.errors import UserError
from forms.not_done import check_not_done, reason_text
from forms.registry import visit_battery
from forms.visit_start import battery_complete
from storage import audit
from storage.actors import Actor
from storage.db import Database
from storage.errors import ConflictError
from storage.models import Administration, Patient, Visit
from storage.services._tx import get, require_reason, tx
from storage.services.administrations import visit_done
from storage.services.locks import refuse_if_locked
from storage.services.not_done_records import (NotDoneRecord, not_done_by_visit,
                                               not_done_ids, not_done_of_patients, write_mark,
                                               write_withdraw)
from storage.services.protocol_store import patient_protocol
from storage.services.signing import invalidate_signatures

PERMISSION = "start_administration"     # staff who may start questionnaires


def _battery(s: Session, visit: Visit) -> tuple[str, ...]:
    return visit_battery(visit.code, patient_protocol(s, visit.patient_id))


def _refuse_started(s: Session, visit: Visit, instrument_id: str) -> None:
    """A questionnaire submitted, or being answered at a kiosk now, is not "not done": say
    which. A paused one (``interrupted``) may be: the patient could not finish it."""
    for adm in s.scalars(select(Administration).where(
            Administration.visit_id == visit.id, Administration.instrument_id == instrument_id)
            .order_by(Administration.id)):
        if adm.status == "submitted":
            raise ConflictError(f"{instrument_id} was already completed at this visit "
                                f"({adm.submitted_at:%Y-%m-%d %H:%M} UTC); it cannot be "
                                "recorded as not done.")
        if adm.status == "in_progress":
            raise ConflictError(f"{instrument_id} is in progress at the kiosk (station "
                                f"{adm.station_id or '-'}); let the patient finish or pause "
                                "it first.")


def _follow_rule(s: Session, visit: Visit, change: str) -> None:
    """The visit status after a not-done record or its withdrawal: a signature is invalidated
    as a correction does; the visit completes when its battery is accounted for, and goes back
    to in progress when a withdrawal leaves something to do."""
    s.flush()
    invalidate_signatures(s, visit, change)
    submitted = set(s.scalars(select(Administration.instrument_id).where(
        Administration.visit_id == visit.id, Administration.status == "submitted")))
    if not battery_complete(_battery(s, visit), submitted, not_done_ids(s, visit.id)) \
            and visit.status in ("completed", "resign_required"):
        visit.status = "in_progress"
    visit_done(s, visit)            # it took place (actual date, window flag), status by rule


def mark_not_done(db: Database, actor: Actor, visit_id: int, instrument_id: str, *,
                  reason: str, text: str | None = None) -> None:
    """Record ``instrument_id`` of the visit as not done with ``reason`` (``forms.not_done``
    code; ``text`` required for ``other``). Audited (``questionnaire.not_done``)."""
    with tx(db, actor, "questionnaire.not_done", permission=PERMISSION) as s:
        visit = get(s, Visit, visit_id, "Visit")
        patient = get(s, Patient, visit.patient_id, "Patient")
        ctx = audit.context(s)
        ctx.patient_id = patient.id
        refuse_if_locked(s, visit)
        if visit.status == "missed":
            raise UserError(f"Visit {visit.code} was missed; nothing is recorded on it.")
        nd = check_not_done(instrument_id, _battery(s, visit), reason, text)
        _refuse_started(s, visit, instrument_id)
        if instrument_id in not_done_ids(s, visit.id):
            raise ConflictError(f"{instrument_id} is already recorded as not done at this "
                                "visit.")
        ctx.reason = reason_text(nd.reason, nd.text)
        write_mark(s, visit.id, nd)
        _follow_rule(s, visit, f"questionnaire not done: {instrument_id} ({ctx.reason})")


def withdraw_not_done(db: Database, actor: Actor, visit_id: int, instrument_id: str, *,
                      reason: str) -> None:
    """Withdraw the not-done record of ``instrument_id`` ("it is done after all"), with a
    reason; the questionnaire is offered again. Audited (``questionnaire.not_done_withdrawn``)."""
    why = require_reason(reason)
    with tx(db, actor, "questionnaire.not_done_withdrawn", permission=PERMISSION,
            reason=why) as s:
        visit = get(s, Visit, visit_id, "Visit")
        audit.context(s).patient_id = visit.patient_id
        refuse_if_locked(s, visit)
        if instrument_id not in not_done_ids(s, visit.id):
            raise ConflictError(f"{instrument_id} is not recorded as not done at this visit.")
        write_withdraw(s, visit.id, instrument_id)
        _follow_rule(s, visit, f"not-done record withdrawn: {instrument_id} ({why})")


def visit_not_done(db: Database, visit_id: int) -> list[NotDoneRecord]:
    """The visit's questionnaires recorded not done now, in battery order (NotFound for no
    such visit)."""
    with db.read_session() as s:
        visit = get(s, Visit, visit_id, "Visit")
        order = {iid: i for i, iid in enumerate(_battery(s, visit))}
        recs = not_done_by_visit(s, [visit_id]).get(visit_id, {})
        return sorted(recs.values(), key=lambda r: (order.get(r.instrument_id, len(order)),
                                                    r.instrument_id))


def subject_not_done(db: Database, patient_id: int) -> list[NotDoneRecord]:
    """Every questionnaire of the patient recorded not done now, by visit (sequence) and
    battery order: the "not-done administrations of a subject" (SDTM QS: QSSTAT = NOT DONE,
    QSREASND = ``record.not_done.label("en")``, QSDTC = the visit date)."""
    with db.read_session() as s:
        visits = {v.id: v for v in s.scalars(select(Visit).where(Visit.patient_id == patient_id))}
        recs = not_done_of_patients(s, [patient_id])
        out = []
        for vid in sorted(recs, key=lambda v: (visits[v].sequence, v) if v in visits else (0, v)):
            if vid not in visits:
                continue
            order = {iid: i for i, iid in enumerate(_battery(s, visits[vid]))}
            out += sorted(recs[vid].values(),
                          key=lambda r: (order.get(r.instrument_id, len(order)), r.instrument_id))
        return out


__all__ = ["NotDoneRecord", "mark_not_done", "subject_not_done", "visit_not_done",
           "withdraw_not_done"]
