"""The kiosk staff list: the open visit of every enrolled patient, and whether it can start now.

``kiosk_visits`` takes the open visits (``lookups.open_visits``: one aggregate query), then in
two more indexed queries their schedule and the patients' last completion of each instrument
(``administration`` by visit, ``visit`` by patient), and asks ``forms.visit_start`` — the
recall-period rule ``start_administration`` enforces — whether each can start now. The screens
show startable visits to hand over and, to staff only, why the others cannot start yet.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Mapping

from sqlalchemy import func, select

from forms import schedule as sched
from forms import visit_start as rule
from forms.protocol import Protocol
from storage.clock import utcnow
from storage.db import Database
from storage.models import Administration, Enrolment, Patient, ProtocolVersion, Visit
from storage.services.lookups import (VisitOverview, _submitted, open_visits, visit_battery,
                                      visit_overview)
from storage.services.not_done_records import not_done_by_visit
from storage.services.patients import local_today, planned
from storage.services.protocol_store import protocol_version_of, stored_protocol


@dataclass(frozen=True)
class KioskVisit:
    """An open visit as the kiosk staff list shows it."""
    visit_id: int
    patient_id: int
    subject_id: str
    initials: str
    visit_code: str
    label: Mapping[str, str]            # the protocol's visit label, per language
    planned_date: date
    start: rule.VisitStart              # startable, remaining battery, recall blocks, window

    @property
    def startable(self) -> bool:
        return self.start.startable


def _labels(protocol: Protocol, code: str) -> Mapping[str, str]:
    """The visit's name per language (``forms.schedule.visit_label``: UNS2 is "Unscheduled
    visit 2"); the code for a visit the protocol does not know."""
    v = sched.visit_definition(protocol, code)
    if v is None:
        return {"en": code}
    return {lang: sched.visit_label(protocol, code, lang) for lang in v.label}


def kiosk_visits(db: Database, now: datetime | None = None) -> list[KioskVisit]:
    """Every enrolled patient's first open visit with a questionnaire left, ordered by subject
    id, each with whether it can start ``now`` (default: the storage clock). A battery left
    unfinished is such a visit: it stays in progress until its last questionnaire is
    submitted (``forms.visit_start.battery_complete``), whatever day it was started."""
    return _evaluate(db, open_visits(db), now)


def kiosk_visit(db: Database, visit_id: int, now: datetime | None = None) -> KioskVisit:
    """One visit (any status) with whether its questionnaires can start now: the workstation's
    hand-over asks the same rule as the kiosk list (NotFound for no such visit)."""
    return _evaluate(db, [visit_overview(db, visit_id)], now)[0]


def _evaluate(db: Database, overviews: list[VisitOverview],
              now: datetime | None) -> list[KioskVisit]:
    now = now or utcnow()
    today = local_today()
    if not overviews:
        return []
    vids = [o.visit_id for o in overviews]
    pids = sorted({o.patient_id for o in overviews})
    with db.read_session() as s:
        sched_rows = {r.id: r for r in s.execute(
            select(Visit.id, Visit.code, Visit.target_day, Visit.window_before,
                   Visit.window_after, Patient.day1_date, Enrolment.protocol_version_id)
            .join(Patient, Patient.id == Visit.patient_id)
            .outerjoin(Enrolment, Enrolment.patient_id == Visit.patient_id)
            .where(Visit.id.in_(vids)))}
        last: dict[int, dict[str, datetime]] = {}
        for pid, iid, at in s.execute(
                select(Visit.patient_id, Administration.instrument_id,
                       func.max(Administration.submitted_at))
                .join(Visit, Visit.id == Administration.visit_id)
                .where(Administration.status == "submitted", Visit.patient_id.in_(pids))
                .group_by(Visit.patient_id, Administration.instrument_id)):
            last.setdefault(pid, {})[iid] = at
        done = _submitted(s, vids)
        not_done = not_done_by_visit(s, vids)      # recorded not done: never offered
        versions = {r.protocol_version_id for r in sched_rows.values()} - {None}
        protocols: dict[int | None, Protocol] = {v: protocol_version_of(s, v) for v in versions}
        if None in {r.protocol_version_id for r in sched_rows.values()} or not protocols:
            if s.scalar(select(ProtocolVersion.id).limit(1)) is not None:
                protocols[None] = stored_protocol(s).protocol
    out = []
    for o in overviews:
        r = sched_rows[o.visit_id]
        protocol = protocols[r.protocol_version_id]
        battery = visit_battery(o.visit_code, protocol)
        days = {i.id: i.min_days_between for i in protocol.instruments}
        vdef = next((v for v in protocol.visits if v.id == o.visit_code), None)
        # a visit without a protocol day (early termination, unscheduled) has no window
        pv = planned(r, r.day1_date) if vdef is not None and vdef.day is not None else None
        start = rule.visit_start(battery, done.get(o.visit_id, set()), last.get(o.patient_id, {}),
                                 days, now, pv, today, not_done.get(o.visit_id, {}))
        out.append(KioskVisit(o.visit_id, o.patient_id, o.subject_id, o.initials, o.visit_code,
                              _labels(protocol, o.visit_code), o.planned_date, start))
    return out


__all__ = ["KioskVisit", "kiosk_visit", "kiosk_visits"]
