"""Free-standing audited events and open administrations (eligibility: services.enrolment).

``record_event`` writes one audit row that is not a field change (a kiosk hand-over stopped
because the person said "This is not me", an audit-trail CSV exported from the nurse screen).
Only the actions listed in ``EVENT_ACTIONS`` can be recorded this way, each needing one of its
permissions, so no caller can forge a login, a signature or a data change.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forms.errors import UserError
from storage import audit, permissions
from storage.actors import Actor
from storage.db import Database
from storage.errors import PermissionDenied
from storage.models import Administration, Patient, Visit
from storage.services._tx import check_permission, clean_text, get, tx
from storage.services.dto import AdministrationState

#: action -> permissions (any one suffices) an actor needs to record it
EVENT_ACTIONS: dict[str, tuple[str, ...]] = {
    # staff who handed over, the patient at the kiosk, or the kiosk station itself
    "kiosk.identity_mismatch": ("start_administration", "record_answer", "mark_interrupted"),
    # a wrong birth year at the kiosk's identity check (the attempt number, never the year)
    "identity.birth_year_mismatch": ("start_administration", "record_answer",
                                     "mark_interrupted"),
    "audit.exported": ("export", "view_audit"),
}
_ENTITIES = {"visit": Visit, "patient": Patient, "administration": Administration}


def _patient_of(s: Any, entity: str | None, entity_id: int | None) -> int | None:
    if entity is None or entity_id is None:
        return None
    model = _ENTITIES.get(entity)
    if model is None:
        return None
    obj = get(s, model, entity_id, entity.title())
    if isinstance(obj, Patient):
        return obj.id
    if isinstance(obj, Visit):
        return obj.patient_id
    return get(s, Visit, obj.visit_id, "Visit").patient_id


def record_event(db: Database, actor: Actor, *, action: str, entity: str | None = None,
                 entity_id: int | None = None, detail: str | None = None) -> None:
    """Record one audited event (see ``EVENT_ACTIONS``); ``detail`` must not hold PHI beyond
    what the audit trail already holds (ids, counts, file hashes)."""
    needed = EVENT_ACTIONS.get(action)
    if needed is None:
        raise UserError(f"Unknown event {action!r}.")
    if not any(permissions.allowed(actor, p) for p in needed):
        check_permission(db, actor, needed[0])        # audits the denial, then raises
        raise PermissionDenied(f"Your role may not record {action}.")
    text = clean_text(detail, "Event detail", max_len=4000, multiline=True)
    with tx(db, actor, action) as s:
        pid = _patient_of(s, entity, entity_id)
        if actor.kind == "patient" and pid is not None and pid != actor.patient_id:
            raise PermissionDenied("A patient can only record events about their own visit.")
        audit.context(s).patient_id = pid
        audit.log_event(s, action, entity=entity, entity_id=entity_id, detail=text)


def open_administrations(db: Database, station_id: str | None = None) -> list[AdministrationState]:
    """In-progress administrations (optionally of one station): after a kiosk crash or power
    loss these are what the patient was answering. One query, oldest first."""
    from storage.services.administrations import _state, instrument_for
    q = select(Administration).where(Administration.status == "in_progress")
    if station_id is not None:
        q = q.where(Administration.station_id == station_id)
    with db.read_session() as s:
        rows = list(s.scalars(q.order_by(Administration.started_at, Administration.id)))
        return [_state(s, a, instrument_for(db, a.instrument_id)) for a in rows]


def visit_patient(db: Database, visit_id: int) -> int:
    """The patient id of a visit (NotFound if there is no such visit)."""
    with db.read_session() as s:
        return get(s, Visit, visit_id, "Visit").patient_id


__all__ = ["EVENT_ACTIONS", "open_administrations", "record_event", "visit_patient"]
