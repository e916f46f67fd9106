"""The end of a staff session: ``auth.logout`` in the audit trail, with why (the user logged out,
or the workstation logged them out after the idle time). A login is audited by
``storage.services.auth.authenticate``; the logout closes the pair and ends the stored session
(``storage.auth_sessions``), so the actor's token is refused by every later call, and every kiosk
hand-over the user gave on that station ends with it."""
from __future__ import annotations

from forms.errors import UserError
from storage import audit
from storage.actors import Actor
from storage.auth_sessions import end_handovers, end_session
from storage.db import Database
from storage.services._tx import tx

#: why a session ended: the user's own "Log out", the idle timeout (reliability.md §3.1), or
#: the hand-over of the workstation to a patient at the kiosk
LOGOUT_REASONS = ("user", "idle", "kiosk")


def record_logout(db: Database, actor: Actor, *, why: str) -> None:
    """Audit the end of ``actor``'s session (``why``: one of ``LOGOUT_REASONS``)."""
    if why not in LOGOUT_REASONS:
        raise UserError(f"Logout reason must be one of {', '.join(LOGOUT_REASONS)}.")
    if actor.kind != "user":
        raise UserError("Only a staff session is logged out.")
    with tx(db, actor, "auth.logout", reason=why) as s:
        audit.log_event(s, "auth.logout", entity="user_account", entity_id=actor.user_id)
        end_session(s, actor, why)          # the token is refused from now on
        end_handovers(s, actor, why)        # and so is every kiosk hand-over it gave here


__all__ = ["LOGOUT_REASONS", "record_logout"]
