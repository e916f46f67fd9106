"""What the kiosk needs from the rest of the app, as one small interface.

``KioskBackend`` is the only door the kiosk screens use; ``StorageKioskBackend`` satisfies it by
forwarding every call to ``storage.services`` (one transaction each, audited there). It holds no
rule and computes nothing: which visits are open, what is left of a battery, who the patient is
are service look-ups. Widget tests run on the same adapter over a real (SQLite) database.

Every method that records patient data returns only after the data are durable (the storage
service commits before it returns), so the screen moves on only after the save.
"""
from __future__ import annotations

import logging
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any, Callable, Iterator, Protocol

from forms.errors import UserError
from forms.instrument import Instrument

log = logging.getLogger(__name__)

SKIP_REASONS = ("prefer_not_to_answer", "dont_understand", "not_applicable")


class StaffAuthFailed(UserError):
    """Wrong user name or password (or a locked account): one message for all."""


class StationCannotSave(UserError):
    """The database takes no more writes (its file deleted, moved or unwritable, the disk or
    the server gone): the kiosk stops; the storage message is for the log, not the patient."""


class HandOverEnded(UserError):
    """Storage refused the patient (the hand-over ended or expired, or it is for another
    patient, visit or station) or the staff member behind it."""


@dataclass(frozen=True)
class StaffSession:
    username: str
    role: str
    actor: Any = None                # storage Actor (opaque to the screens)


@dataclass(frozen=True)
class RecallWait:
    """Why a visit cannot start yet (staff only): an instrument inside its recall period."""
    instrument_id: str
    opens_at: datetime              # aware UTC
    min_days: int


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
    label: dict[str, str] = field(default_factory=dict, compare=False)  # protocol label by language
    startable: bool = True
    waits: tuple[RecallWait, ...] = ()     # why it cannot start now (staff only)
    window: str = ""                       # "early" / "late": out of window (flagged)


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
    visit_kind: str = ""          # the visit's protocol kind (instrument conditions)


class KioskBackend(Protocol):
    """What the kiosk screens call (ui/kiosk/controller.py, ui/kiosk/questionnaire_flow.py)."""

    def verify_staff(self, username: str, password: str) -> StaffSession: ...
    def pin_users(self) -> list[str]: ...
    def end_staff_session(self, staff: StaffSession) -> None: ...
    def verify_staff_pin(self, username: str, pin: str) -> StaffSession: ...
    def open_visits(self, staff: StaffSession) -> list[VisitChoice]: ...
    def start_check(self, visit_id: int) -> VisitChoice: ...
    def open_alerts(self) -> list[Any]: ...
    def interrupted(self, staff: StaffSession) -> list[ResumeOffer]: ...
    def visit_for(self, visit_id: int) -> VisitChoice: ...
    def battery(self, visit_id: int) -> tuple[str, ...]: ...
    def battery_done(self, visit_id: int) -> tuple[str, ...]: ...
    def check_identity(self, patient_id: int, birth_year: int) -> bool: ...
    def report_identity_mismatch(self, visit_id: int, staff: StaffSession | None) -> None: ...
    def report_birth_year_mismatch(self, visit_id: int, staff: StaffSession | None,
                                   attempt: int, last: int) -> None: ...
    def hand_over(self, staff: StaffSession, visit_id: int) -> None: ...
    def end_hand_over(self, why: str) -> None: ...
    def start_administration(self, visit_id: int, instrument_id: str, language: str,
                             staff: StaffSession | None) -> int: ...
    def record_answer(self, administration_id: int, item_id: str, code: int,
                      ms_on_item: int | None) -> None: ...
    def skip_item(self, administration_id: int, item_id: str, reason: str) -> None: ...
    def submit(self, administration_id: int) -> dict[str, Any]: ...
    def mark_interrupted(self, administration_id: int) -> None: ...
    def state(self, administration_id: int) -> AdminState: ...
    def instrument(self, instrument_id: str) -> Instrument: ...
    def administration_instrument(self, administration_id: int) -> Instrument: ...
    def auto_advance(self) -> bool: ...


def station_id() -> str:
    """This kiosk's id: env EPRO_STATION_ID, else ``kiosk-<hostname>``."""
    return os.environ.get("EPRO_STATION_ID") or f"kiosk-{socket.gethostname()}"


def _services() -> ModuleType:
    """``storage.services``, imported on first use: the kiosk shows its locked screen before
    the storage stack (SQLAlchemy, models) is loaded (start-up time, bench/bench_kiosk.py)."""
    import storage.services
    return storage.services


def _choice(o: Any) -> VisitChoice:
    """A ``storage.services.VisitOverview`` as the screens' ``VisitChoice``."""
    return VisitChoice(visit_id=o.visit_id, patient_id=o.patient_id, subject_id=o.subject_id,
                       initials=o.initials, visit_code=o.visit_code,
                       planned_date=str(o.planned_date or ""), status=str(o.status))


def _kiosk_choice(k: Any) -> VisitChoice:
    """A ``storage.services.KioskVisit`` as the screens' ``VisitChoice``."""
    return VisitChoice(
        visit_id=k.visit_id, patient_id=k.patient_id, subject_id=k.subject_id,
        initials=k.initials, visit_code=k.visit_code, planned_date=str(k.planned_date),
        label=dict(k.label), startable=k.startable, window=k.start.window,
        waits=tuple(RecallWait(b.instrument_id, b.opens_at, b.min_days) for b in k.start.blocks))


@contextmanager
def _saving() -> Iterator[None]:
    """Storage errors of a save as the two the screens act on (others pass unchanged)."""
    sv = _services()
    try:
        yield
    except (sv.DatabaseError, sv.StorageFullError) as exc:
        raise StationCannotSave(str(exc)) from exc
    except (sv.AuthError, sv.PermissionDenied) as exc:
        raise HandOverEnded(str(exc)) from exc


class StorageKioskBackend:
    """``KioskBackend`` over ``storage.services``: one service call per method."""

    def __init__(self, db: Any | Callable[[], Any], station: str | None = None) -> None:
        """``db`` is a storage Database, or a zero-argument function that opens one (the kiosk
        then shows its locked screen first and opens the database right after)."""
        self._db = None if callable(db) else db
        self._opener = db if callable(db) else None
        self.station = station if station is not None else station_id()
        self._patient: Any = None                # the hand-over's patient actor (opaque)

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

    def _patient_actor(self) -> Any:
        """The patient the kiosk was handed over to (storage refuses any other patient, visit
        or station, and any patient after the hand-over ended)."""
        if self._patient is None:
            raise HandOverEnded("The kiosk is not handed over to a patient.")
        return self._patient

    def _event_actor(self, staff: StaffSession | None) -> Any:
        return staff.actor if staff is not None and staff.actor is not None \
            else self._patient_actor()

    def hand_over(self, staff: StaffSession, visit_id: int) -> None:
        """Staff hand the kiosk over for ``visit_id``'s patient: the answers from now on are
        that patient's, for that visit, on this staff member's station
        (``storage.services.hand_over_kiosk``)."""
        self.end_hand_over("staff")
        with _saving():
            self._patient = _services().hand_over_kiosk(self.db, staff.actor, visit_id)

    def end_hand_over(self, why: str) -> None:
        """The patient part is over (finished, idle, paused by staff, shut down): the
        hand-over's token is refused from now on."""
        patient, self._patient = self._patient, None
        if patient is not None:
            _services().end_hand_over(self.db, patient, why)

    def verify_staff(self, username: str, password: str) -> StaffSession:
        sv = _services()
        try:
            actor = sv.authenticate(self.db, username, password, station_id=self.station)
        except sv.AuthError as exc:
            raise StaffAuthFailed(str(exc)) from None
        return StaffSession(username=actor.username or username, role=actor.role or "", actor=actor)

    def end_staff_session(self, staff: StaffSession) -> None:
        """The kiosk locked again: the staff login behind it ends (audited ``auth.logout``)."""
        if staff.actor is not None:
            _services().record_logout(self.db, staff.actor, why="kiosk")

    def pin_users(self) -> list[str]:
        """Accounts with a kiosk PIN (the touch unlock's name buttons)."""
        return _services().kiosk_pin_users(self.db)

    def verify_staff_pin(self, username: str, pin: str) -> StaffSession:
        """PIN unlock: the same staff session as a password unlock."""
        sv = _services()
        try:
            actor = sv.authenticate_pin(self.db, username, pin, station_id=self.station)
        except sv.AuthError as exc:
            raise StaffAuthFailed(str(exc)) from None
        return StaffSession(username=actor.username or username, role=actor.role or "", actor=actor)

    def open_visits(self, staff: StaffSession) -> list[VisitChoice]:
        """Each enrolled patient's open visit, startable ones and (for staff) the others with
        why they cannot start now (``storage.services.kiosk_visits``)."""
        return [_kiosk_choice(k) for k in _services().kiosk_visits(self.db)]

    def open_alerts(self) -> list[Any]:
        """Unacknowledged staff alerts (``storage.services.AlertInfo``), newest first: staff
        see them when they unlock the kiosk; acknowledging is done at the workstation."""
        return _services().list_alerts(self.db, unacknowledged=True)

    def start_check(self, visit_id: int) -> VisitChoice:
        """One visit with whether it can start now (the workstation's hand-over asks the
        rule the kiosk list uses)."""
        return _kiosk_choice(_services().kiosk_visit(self.db, visit_id))

    def interrupted(self, staff: StaffSession) -> list[ResumeOffer]:
        """Interrupted administrations, and in-progress ones of this station: the kiosk stopped
        (crash, power) while a patient was answering."""
        sv = _services()
        offers = []
        for st in [*sv.interrupted_administrations(self.db),
                   *sv.open_administrations(self.db, self.station)]:
            visit = sv.visit_overview(self.db, st.visit_id)
            offers.append(ResumeOffer(
                administration_id=st.id, visit_id=st.visit_id, patient_id=st.patient_id,
                subject_id=st.subject_id, initials=visit.initials, visit_code=st.visit_code,
                instrument_id=st.instrument_id, answered_count=st.answered_count,
                total_items=st.total_items))
        return offers

    def instrument(self, instrument_id: str) -> Instrument:
        """The instrument with the texts shown now (a site's installed translation included)."""
        return _services().shown_instrument(self.db, instrument_id)

    def administration_instrument(self, administration_id: int) -> Instrument:
        """The instrument with the text this administration started with (a resumed
        questionnaire keeps its wording even if a translation was installed since)."""
        return _services().administration_instrument(self.db, administration_id)

    def visit_for(self, visit_id: int) -> VisitChoice:
        return _choice(_services().visit_overview(self.db, visit_id))

    def auto_advance(self) -> bool:
        """Study setting: a tapped answer moves on by itself after a short confirmation."""
        return _services().study_settings(self.db).kiosk_auto_advance

    def battery(self, visit_id: int) -> tuple[str, ...]:
        return _services().remaining_battery(self.db, visit_id)

    def battery_done(self, visit_id: int) -> tuple[str, ...]:
        """The visit's questionnaires submitted before this hand-over (progress "part k of n")."""
        return _services().submitted_battery(self.db, visit_id)

    def check_identity(self, patient_id: int, birth_year: int) -> bool:
        sv = _services()
        try:
            return int(sv.get_patient(self.db, patient_id).birth_year) == int(birth_year)
        except sv.NotFound:
            return False

    def report_identity_mismatch(self, visit_id: int, staff: StaffSession | None) -> None:
        """Audited event (who handed over, which visit); staff also see a notice."""
        sv = _services()
        sv.record_event(self.db, self._event_actor(staff), action="kiosk.identity_mismatch", entity="visit",
                        entity_id=visit_id,
                        detail="the person at the kiosk said this is not them")
        log.warning("kiosk: identity not confirmed at hand-over (visit id %s)", visit_id)

    def report_birth_year_mismatch(self, visit_id: int, staff: StaffSession | None,
                                   attempt: int, last: int) -> None:
        """Audited per wrong birth year: the attempt number, never the year typed (it may be
        another person's identifying detail)."""
        sv = _services()
        sv.record_event(self.db, self._event_actor(staff),
                        action="identity.birth_year_mismatch", entity="visit",
                        entity_id=visit_id, detail=f"attempt {attempt} of {last}")

    def start_administration(self, visit_id: int, instrument_id: str, language: str,
                             staff: StaffSession | None) -> int:
        """Opened on behalf of the staff member who handed the kiosk over (patients may not
        start questionnaires themselves); the answers are then the patient's own."""
        if staff is None or staff.actor is None:
            raise UserError("A questionnaire can only be started by staff.")
        with _saving():
            return _services().start_administration(self.db, staff.actor, visit_id=visit_id,
                                                    instrument_id=instrument_id,
                                                    language=language, station_id=self.station)

    def record_answer(self, administration_id: int, item_id: str, code: int,
                      ms_on_item: int | None) -> None:
        with _saving():
            _services().record_answer(self.db, self._patient_actor(),
                                      administration_id, item_id, code, ms_on_item=ms_on_item)

    def skip_item(self, administration_id: int, item_id: str, reason: str) -> None:
        with _saving():
            _services().skip_item(self.db, self._patient_actor(),
                                  administration_id, item_id, reason)

    def submit(self, administration_id: int) -> dict[str, Any]:
        with _saving():
            return dict(_services().submit_administration(
                self.db, self._patient_actor(), administration_id))

    def mark_interrupted(self, administration_id: int) -> None:
        with _saving():
            _services().mark_interrupted(self.db, self._patient_actor(), administration_id)

    def state(self, administration_id: int) -> AdminState:
        st = _services().administration_state(self.db, administration_id)
        return AdminState(
            administration_id=st.id, visit_id=st.visit_id, patient_id=st.patient_id,
            instrument_id=st.instrument_id, language=st.language, status=st.status,
            visit_code=st.visit_code, answers=dict(st.answers), skipped=dict(st.skipped),
            visit_kind=st.visit_kind)
