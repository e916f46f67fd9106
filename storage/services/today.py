"""The staff Today view's data in ONE read transaction (issue 14): visits whose window is open
today, visits whose window opens within the week, overdue visits, unacknowledged alerts with
their reasons, and visits awaiting an investigator's signature.

Window status is ``forms.schedule`` (``plan`` + ``window_status``), the rule the patient list and
the kiosk use. Drafts: the workstation keeps no drafts of unfinished forms in storage, so the
overview has no drafts list (``drafts_supported`` is False; the screen says so).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from forms import schedule as sched
from storage.actors import Actor
from storage.db import Database
from storage.models import Patient, Visit
from storage.patient_summary import OPEN_VISIT
from storage.services._tx import check_permission
from storage.services.alerts import AlertInfo, read_alerts
from storage.services.signing import AwaitingSignature, awaiting_signature

#: how far ahead "this week" looks (today + 6 days)
WEEK_DAYS = 7


@dataclass(frozen=True)
class DueVisit:
    """A planned visit and its window (dates), with its status on the overview's day."""
    visit_id: int
    patient_id: int
    subject_id: str
    initials: str
    visit_code: str
    target_date: date
    earliest: date
    latest: date
    window_status: str            # forms.schedule: due | overdue | not_yet_due


@dataclass(frozen=True)
class TodayOverview:
    today: date
    due_today: tuple[DueVisit, ...]          # window open today
    due_this_week: tuple[DueVisit, ...]      # window opens within the next WEEK_DAYS - 1 days
    overdue: tuple[DueVisit, ...]            # window passed, no visit
    alerts: tuple[AlertInfo, ...]            # unacknowledged, newest first
    awaiting_signature: tuple[AwaitingSignature, ...]    # oldest first
    drafts_supported: bool = False


def today_overview(db: Database, actor: Actor, today: date | None = None) -> TodayOverview:
    """Everything the Today view lists, from one read transaction (staff who see patients)."""
    check_permission(db, actor, "view_patients")
    day = today or date.today()
    week_end = day + timedelta(days=WEEK_DAYS - 1)
    q = (select(Visit.id, Patient.id, Patient.subject_id, Patient.initials, Visit.code,
                Visit.target_day, Visit.window_before, Visit.window_after, Patient.day1_date)
         .join(Patient, Patient.id == Visit.patient_id)
         .where(Visit.status.in_(OPEN_VISIT), Patient.status == "enrolled")
         .order_by(Visit.planned_date, Patient.subject_id, Visit.sequence))
    due: list[DueVisit] = []
    week: list[DueVisit] = []
    late: list[DueVisit] = []
    with db.read_session() as s:
        for vid, pid, subject, initials, code, tday, before, after, day1 in s.execute(q):
            pv = sched.plan(sched.VisitDef(code, tday, tday - before, tday + after), day1)
            status = sched.window_status(pv, day)
            row = DueVisit(vid, pid, subject, initials or "", code, pv.target_date,
                           pv.earliest, pv.latest, status)
            if status == sched.DUE:
                due.append(row)
            elif status == sched.OVERDUE:
                late.append(row)
            elif pv.earliest <= week_end:
                week.append(row)
        alerts = read_alerts(s, unacknowledged=True)
        waiting = awaiting_signature(s)
    late.sort(key=lambda r: (r.latest, r.subject_id))
    return TodayOverview(day, tuple(due), tuple(week), tuple(late), tuple(alerts),
                         tuple(waiting))


__all__ = ["DueVisit", "TodayOverview", "WEEK_DAYS", "today_overview"]
