"""The kiosk hand-over: a staff member gives the kiosk to ONE patient for ONE visit on THEIR
station (issue 13). The patient actor returned carries the hand-over token; the answer
services accept a patient only through it (``storage.auth_sessions.resolve``) and only for
that visit's administrations (``administrations._own``). The hand-over ends when the kiosk
locks again (finished, idle, staff paused it), and with the logout of the staff member who
gave it (``services.sessions.record_logout``)."""
from __future__ import annotations

from storage.actors import Actor
from storage.auth_sessions import begin_kiosk_session, end_session
from storage.db import Database
from storage.models import Visit
from storage.services._tx import get, tx

#: why a hand-over ended (stored with the session, 16 characters at most)
HANDOVER_END_REASONS = ("done", "staff", "shutdown", "stopped")


def hand_over_kiosk(db: Database, staff: Actor, visit_id: int) -> Actor:
    """The patient actor for ``visit_id``'s patient at ``staff``'s station (staff who may
    start questionnaires; the visit must exist). Nothing is audited here: the staff member's
    ``administration.start`` records the hand-over of each questionnaire."""
    with tx(db, staff, "kiosk.handover", permission="start_administration") as s:
        visit = get(s, Visit, visit_id, "Visit")
        return begin_kiosk_session(s, staff, visit.patient_id, visit.id)


def end_hand_over(db: Database, patient: Actor, why: str = "done") -> None:
    """End the hand-over behind ``patient`` (idempotent; ending needs only the token, so an
    expired or already ended hand-over is no error)."""
    if why not in HANDOVER_END_REASONS:
        raise ValueError(f"unknown hand-over end {why!r}")
    if patient.kind != "patient" or not patient.session_token:
        return
    with db.session() as s:
        end_session(s, patient, why)


__all__ = ["HANDOVER_END_REASONS", "end_hand_over", "hand_over_kiosk"]
