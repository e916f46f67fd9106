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
    # a staff login session: when it began (the first signature of a session needs the user
    # id as well as the password, 21 CFR 11.200(a)(1)) and whether the password must be
    # changed before anything else (an administrator's reset; every permission is refused)
    session_started: datetime | None = None
    must_change_password: bool = False
    # the authenticated session (storage.auth_sessions): a random token whose SHA-256 names a
    # live session row; services re-read the account through it on every call
    session_token: str | None = field(default=None, repr=False, compare=False)

    @staticmethod
    def system(station_id: str | None = None) -> "Actor":
        return Actor(kind="system", username="system", station_id=station_id)

    @staticmethod
    def patient(patient_id: int, station_id: str | None = None) -> "Actor":
        return Actor(kind="patient", patient_id=patient_id, station_id=station_id)
