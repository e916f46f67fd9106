"""In-memory KioskBackend for early tests and screenshots only (nothing is durable here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forms.errors import UserError
from forms.instrument import load_instrument

from ui.kiosk.backend import (BATTERY, SKIP_REASONS, AdminState, ResumeOffer, StaffAuthFailed,
                              StaffSession, VisitChoice)


@dataclass
class _Patient:
    id: int
    subject_id: str
    initials: str
    birth_year: int


@dataclass
class MemoryKioskBackend:
    staff: dict[str, tuple[str, str]] = field(default_factory=lambda: {
        "nurse": ("nurse-demo", "nurse")})
    patients: list[_Patient] = field(default_factory=lambda: [
        _Patient(1, "DEMO-0003", "ZW", 1956), _Patient(2, "DEMO-0004", "LM", 1948)])
    visits: dict[int, tuple[int, str]] = field(default_factory=lambda: {
        11: (1, "W4"), 12: (2, "baseline")})
    admins: dict[int, AdminState] = field(default_factory=dict)
    changes: list[tuple[int, str, int, int]] = field(default_factory=list)  # aid,item,old,new
    answer_calls: list[tuple[int, str, int, int | None]] = field(default_factory=list)
    events: list[tuple[str, int]] = field(default_factory=list)
    submitted: dict[int, dict[str, Any]] = field(default_factory=dict)

    def verify_staff(self, username: str, password: str) -> StaffSession:
        entry = self.staff.get(username)
        if entry is None or entry[0] != password:
            raise StaffAuthFailed("The user name or password is not correct.")
        return StaffSession(username=username, role=entry[1])

    def _patient(self, pid: int) -> _Patient:
        return next(p for p in self.patients if p.id == pid)

    def visit_for(self, visit_id: int) -> VisitChoice:
        pid, code = self.visits[visit_id]
        p = self._patient(pid)
        return VisitChoice(visit_id, pid, p.subject_id, p.initials, code, status="planned")

    def open_visits(self, staff: StaffSession) -> list[VisitChoice]:
        return [self.visit_for(v) for v in self.visits if self.battery(v)]

    def interrupted(self, staff: StaffSession) -> list[ResumeOffer]:
        out = []
        for a in self.admins.values():
            if a.status != "interrupted":
                continue
            v = self.visit_for(a.visit_id)
            total = len(load_instrument(a.instrument_id).items)
            out.append(ResumeOffer(a.administration_id, a.visit_id, a.patient_id, v.subject_id,
                                   v.initials, v.visit_code, a.instrument_id,
                                   len(a.answers) + len(a.skipped), total))
        return out

    def battery(self, visit_id: int) -> tuple[str, ...]:
        done = {a.instrument_id for a in self.admins.values()
                if a.visit_id == visit_id and a.status == "submitted"}
        return tuple(i for i in BATTERY if i not in done)

    def check_identity(self, patient_id: int, birth_year: int) -> bool:
        return self._patient(patient_id).birth_year == birth_year

    def report_identity_mismatch(self, visit_id: int, staff: StaffSession | None) -> None:
        self.events.append(("kiosk.identity_mismatch", visit_id))

    def start_administration(self, visit_id: int, instrument_id: str, language: str,
                             staff: StaffSession | None) -> int:
        if staff is None:
            raise UserError("A questionnaire can only be started by staff.")
        for a in self.admins.values():
            if (a.visit_id, a.instrument_id) == (visit_id, instrument_id) and \
                    a.status in ("in_progress", "interrupted"):
                a.status = "in_progress"
                return a.administration_id
        aid = len(self.admins) + 1
        pid, code = self.visits[visit_id]
        self.admins[aid] = AdminState(aid, visit_id, pid, instrument_id, language, "in_progress",
                                      visit_code=code)
        return aid

    def _open(self, aid: int) -> AdminState:
        a = self.admins[aid]
        if a.status == "submitted":
            raise UserError("already submitted")
        return a

    def record_answer(self, administration_id: int, item_id: str, code: int,
                      ms_on_item: int | None) -> None:
        a = self._open(administration_id)
        if code not in load_instrument(a.instrument_id).options_for(item_id).codes:
            raise UserError("code not in the response set")
        self.answer_calls.append((administration_id, item_id, code, ms_on_item))
        old = a.answers.get(item_id)
        if old == code:
            return
        if old is not None:
            self.changes.append((administration_id, item_id, old, code))
        a.answers[item_id] = code
        a.skipped.pop(item_id, None)

    def skip_item(self, administration_id: int, item_id: str, reason: str) -> None:
        if reason not in SKIP_REASONS:
            raise UserError("unknown skip reason")
        a = self._open(administration_id)
        a.answers.pop(item_id, None)
        a.skipped[item_id] = reason

    def submit(self, administration_id: int) -> dict[str, Any]:
        a = self._open(administration_id)
        a.status = "submitted"
        self.submitted[administration_id] = dict(a.answers)
        return {}

    def mark_interrupted(self, administration_id: int) -> None:
        a = self.admins[administration_id]
        if a.status == "in_progress":
            a.status = "interrupted"

    def state(self, administration_id: int) -> AdminState:
        a = self.admins[administration_id]
        return AdminState(a.administration_id, a.visit_id, a.patient_id, a.instrument_id,
                          a.language, a.status, a.visit_code, dict(a.answers), dict(a.skipped))
