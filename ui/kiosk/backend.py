"""What the kiosk needs from the rest of the app, as one small interface.

``KioskBackend`` is the only door the kiosk screens use. ``StorageKioskBackend`` forwards every
call to ``storage.services`` (one transaction each, audited there); ``memory_backend`` holds an
in-memory stand-in for early tests and screenshots only, never for patients.

Every method that records patient data returns only after the data are durable (the storage
service commits before it returns), so the screen moves on only after the save.
"""
from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from typing import Any, Protocol

from forms.errors import UserError

log = logging.getLogger(__name__)

BATTERY = ("rand36", "csc")          # every visit's patient questionnaires, in this order
SKIP_REASONS = ("prefer_not_to_answer", "dont_understand", "not_applicable")


class StaffAuthFailed(UserError):
    """Wrong user name or password (or a locked account): one message for all."""


@dataclass(frozen=True)
class StaffSession:
    username: str
    role: str
    actor: Any = None                # storage Actor (opaque to the screens)


@dataclass(frozen=True)
class VisitChoice:
    """A visit whose patient questionnaires staff can hand to the patient."""
    visit_id: int
    patient_id: int
    subject_id: str
    initials: str
    visit_code: str
    planned_date: str = ""
    status: str = ""


@dataclass(frozen=True)
class ResumeOffer:
    """An interrupted administration staff may resume (never offered to a patient)."""
    administration_id: int
    visit_id: int
    patient_id: int
    subject_id: str
    initials: str
    visit_code: str
    instrument_id: str
    answered_count: int
    total_items: int


@dataclass
class AdminState:
    administration_id: int
    visit_id: int
    patient_id: int
    instrument_id: str
    language: str
    status: str
    visit_code: str = ""
    answers: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


class KioskBackend(Protocol):
    def verify_staff(self, username: str, password: str) -> StaffSession: ...
    def open_visits(self, staff: StaffSession) -> list[VisitChoice]: ...
    def interrupted(self, staff: StaffSession) -> list[ResumeOffer]: ...
    def visit_for(self, visit_id: int) -> VisitChoice:
        from storage.services.events import visit_patient
        svc = self._svc()
        pid = visit_patient(self.db, visit_id)
        p = svc.get_patient(self.db, pid)
        for v in svc.patient_visits(self.db, pid):
            if v.id == visit_id:
                return VisitChoice(visit_id=v.id, patient_id=p.id, subject_id=p.subject_id,
                                   initials=p.initials or "", visit_code=v.code,
                                   planned_date=str(v.planned_date or ""), status=str(v.status))
        raise UserError("visit not found")

    def battery(self, visit_id: int) -> tuple[str, ...]: ...
    def check_identity(self, patient_id: int, birth_year: int) -> bool:
        from storage.errors import NotFound
        try:
            info = self._svc().get_patient(self.db, patient_id)
        except NotFound:
            return False
        return int(info.birth_year) == int(birth_year)

    def report_identity_mismatch(self, visit_id: int, staff: StaffSession | None) -> None: ...
    def start_administration(self, visit_id: int, instrument_id: str, language: str,
                             staff: StaffSession | None) -> int: ...
    def record_answer(self, administration_id: int, item_id: str, code: int,
                      ms_on_item: int | None) -> None: ...
    def skip_item(self, administration_id: int, item_id: str, reason: str) -> None: ...
    def submit(self, administration_id: int) -> dict[str, Any]: ...
    def mark_interrupted(self, administration_id: int) -> None: ...
    def state(self, administration_id: int) -> AdminState: ...


def station_id() -> str:
    """This kiosk's id: env EPRO_STATION_ID, else ``kiosk-<hostname>``."""
    return os.environ.get("EPRO_STATION_ID") or f"kiosk-{socket.gethostname()}"


class StorageKioskBackend:
    """Calls the storage services (imported lazily so the kiosk starts fast)."""

    def __init__(self, db: Any, station: str | None = None) -> None:
        """``db`` is a storage Database, or a zero-argument function that opens one (the kiosk
        then shows its locked screen first and opens the database right after)."""
        self._db = None if callable(db) else db
        self._opener = db if callable(db) else None
        self.station = station if station is not None else station_id()
        self._patients: dict[int, int] = {}      # administration id -> patient id

    @property
    def db(self) -> Any:
        if self._db is None:
            self._db = self._opener()
        return self._db

    def open(self) -> None:
        """Open the database now (raises the storage error if it cannot be used)."""
        _ = self.db

    def dispose(self) -> None:
        if self._db is not None:
            self._db.dispose()

    @staticmethod
    def _svc() -> Any:
        from storage import services
        return services

    def _patient_actor(self, patient_id: int) -> Any:
        from storage.actors import Actor
        return Actor(kind="patient", patient_id=patient_id, station_id=self.station)

    def _actor_for_admin(self, administration_id: int) -> Any:
        pid = self._patients.get(administration_id)
        if pid is None:
            pid = self.state(administration_id).patient_id
        return self._patient_actor(pid)

    def verify_staff(self, username: str, password: str) -> StaffSession:
        from storage.errors import AuthError
        try:
            actor = self._svc().authenticate(self.db, username, password, station_id=self.station)
        except AuthError as exc:
            raise StaffAuthFailed(str(exc)) from None
        return StaffSession(username=actor.username or username, role=actor.role or "", actor=actor)

    def open_visits(self, staff: StaffSession) -> list[VisitChoice]:
        svc = self._svc()
        out: list[VisitChoice] = []
        for p in svc.list_patients(self.db):
            for v in svc.patient_visits(self.db, p.id):
                if v.status in ("planned", "in_progress") and self.battery(v.id):
                    out.append(VisitChoice(
                        visit_id=v.id, patient_id=p.id, subject_id=p.subject_id,
                        initials=getattr(p, "initials", "") or "", visit_code=v.code,
                        planned_date=str(getattr(v, "planned_date", "") or ""),
                        status=str(v.status)))
                    break                   # the next open visit of each patient
        return out

    def _crashed_here(self) -> list[Any]:
        """In-progress administrations of this station: the kiosk stopped (crash, power) while a
        patient was answering (one query)."""
        return self._svc().open_administrations(self.db, self.station)

    def interrupted(self, staff: StaffSession) -> list[ResumeOffer]:
        svc = self._svc()
        offers = []
        for st in [*svc.interrupted_administrations(self.db), *self._crashed_here()]:
            info = svc.find_patient(self.db, st.subject_id)
            offers.append(ResumeOffer(
                administration_id=st.id, visit_id=st.visit_id, patient_id=st.patient_id,
                subject_id=st.subject_id, initials=getattr(info, "initials", "") or "",
                visit_code=st.visit_code, instrument_id=st.instrument_id,
                answered_count=st.answered_count, total_items=st.total_items))
        return offers

    def visit_for(self, visit_id: int) -> VisitChoice:
        svc = self._svc()
        for p in svc.list_patients(self.db):
            for v in svc.patient_visits(self.db, p.id):
                if v.id == visit_id:
                    return VisitChoice(visit_id=v.id, patient_id=p.id, subject_id=p.subject_id,
                                       initials=getattr(p, "initials", "") or "",
                                       visit_code=v.code, status=str(v.status))
        raise UserError("visit not found")

    def battery(self, visit_id: int) -> tuple[str, ...]:
        svc = self._svc()
        done = {a.instrument_id for a in svc.visit_administrations(self.db, visit_id)
                if a.status == "submitted"}
        return tuple(i for i in BATTERY if i not in done)

    def check_identity(self, patient_id: int, birth_year: int) -> bool:
        svc = self._svc()
        for p in svc.list_patients(self.db):
            if p.id == patient_id:
                info = svc.find_patient(self.db, p.subject_id)
                return info is not None and int(info.birth_year) == int(birth_year)
        return False

    def report_identity_mismatch(self, visit_id: int, staff: StaffSession | None) -> None:
        """Audited event (who handed over, which visit); staff also see a notice."""
        from storage.actors import Actor
        actor = staff.actor if staff is not None and staff.actor is not None \
            else Actor.system(self.station)
        self._svc().record_event(self.db, actor, action="kiosk.identity_mismatch",
                                 entity="visit", entity_id=visit_id,
                                 detail="the person at the kiosk said this is not them")
        log.warning("kiosk: identity not confirmed at hand-over (visit id %s)", visit_id)

    def start_administration(self, visit_id: int, instrument_id: str, language: str,
                             staff: StaffSession | None) -> int:
        """Opened on behalf of the staff member who handed the kiosk over (patients may not
        start questionnaires themselves); the answers are then the patient's own."""
        visit = self.visit_for(visit_id)
        if staff is None or staff.actor is None:
            raise UserError("A questionnaire can only be started by staff.")
        aid = self._svc().start_administration(self.db, staff.actor, visit_id=visit_id,
                                               instrument_id=instrument_id, language=language,
                                               station_id=self.station)
        self._patients[aid] = visit.patient_id
        return aid

    def record_answer(self, administration_id: int, item_id: str, code: int,
                      ms_on_item: int | None) -> None:
        self._svc().record_answer(self.db, self._actor_for_admin(administration_id),
                                  administration_id, item_id, code, ms_on_item=ms_on_item)

    def skip_item(self, administration_id: int, item_id: str, reason: str) -> None:
        self._svc().skip_item(self.db, self._actor_for_admin(administration_id),
                              administration_id, item_id, reason)

    def submit(self, administration_id: int) -> dict[str, Any]:
        return dict(self._svc().submit_administration(
            self.db, self._actor_for_admin(administration_id), administration_id))

    def mark_interrupted(self, administration_id: int) -> None:
        self._svc().mark_interrupted(self.db, self._actor_for_admin(administration_id),
                                     administration_id)

    def state(self, administration_id: int) -> AdminState:
        st = self._svc().administration_state(self.db, administration_id)
        self._patients[administration_id] = st.patient_id
        return AdminState(
            administration_id=st.id, visit_id=st.visit_id, patient_id=st.patient_id,
            instrument_id=st.instrument_id, language=st.language, status=st.status,
            visit_code=st.visit_code, answers=dict(st.answers), skipped=dict(st.skipped))
