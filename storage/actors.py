"""Who is acting: a staff user, a patient at a kiosk, or the system itself."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ROLES = ("nurse", "investigator", "admin")


@dataclass(frozen=True)
class Actor:
    kind: str            # "user" | "patient" | "system"
    user_id: int | None = None
    username: str | None = None
    role: str | None = None          # "nurse" | "investigator" | "admin"
    station_id: str | None = None
    patient_id: int | None = None
    # a patient's hand-over is for one visit (storage.auth_sessions binds its token to it)
    visit_id: int | None = None
    # a staff login session: when it began (the first signature of a session needs the user
    # id as well as the password, 21 CFR 11.200(a)(1)) and whether the password must be
    # changed before anything else (an administrator's reset; every permission is refused)
    session_started: datetime | None = None
    must_change_password: bool = False
    # the authenticated session (storage.auth_sessions): a random token whose SHA-256 names a
    # live session row; services re-read the account through it on every call
    session_token: str | None = field(default=None, repr=False, compare=False)
    # the system's capability (storage.auth_sessions.system_actor): an object only
    # storage-internal code can hand out; a system actor without it is refused
    grant: object | None = field(default=None, repr=False, compare=False)

    @staticmethod
    def system(station_id: str | None = None) -> "Actor":
        """A system actor WITHOUT the capability: every service call refuses it (the genuine
        one comes from ``storage.auth_sessions.system_actor``, storage-internal code only)."""
        return Actor(kind="system", username="system", station_id=station_id)

    @staticmethod
    def patient(patient_id: int, station_id: str | None = None) -> "Actor":
        """A patient actor WITHOUT a hand-over token: refused by every service call (the real
        one comes from ``storage.services.hand_over_kiosk``)."""
        return Actor(kind="patient", patient_id=patient_id, station_id=station_id)
