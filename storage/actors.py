"""Who is acting: a staff user, a patient at a kiosk, or the system itself."""
from __future__ import annotations

from dataclasses import dataclass

ROLES = ("nurse", "investigator", "admin")


@dataclass(frozen=True)
class Actor:
    kind: str            # "user" | "patient" | "system"
    user_id: int | None = None
    username: str | None = None
    role: str | None = None          # "nurse" | "investigator" | "admin"
    station_id: str | None = None
    patient_id: int | None = None

    @staticmethod
    def system(station_id: str | None = None) -> "Actor":
        return Actor(kind="system", username="system", station_id=station_id)

    @staticmethod
    def patient(patient_id: int, station_id: str | None = None) -> "Actor":
        return Actor(kind="patient", patient_id=patient_id, station_id=station_id)
