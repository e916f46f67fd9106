"""Can a visit's patient questionnaires start now? (issue 12 item 4; protocol.md §2)

The kiosk's staff list offers only visits whose remaining battery can open now, so a patient
never meets a refusal the list could have known. A visit can start when

- something of its battery is left (not every questionnaire submitted or recorded not done,
  ``forms.not_done``), and
- every remaining instrument is past its recall period (``min_days_between`` of the protocol,
  ``forms.schedule.may_open`` — the same rule ``start_administration`` enforces; staff
  overrides with a reason are a workstation matter, not the kiosk's).

The visit window never refuses: out-of-window visits are kept and flagged (protocol.md §2), so an
early or late visit starts and carries its window status for staff to see. Standard library
only; storage feeds it the last completion per instrument from one indexed query.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Collection, Mapping, Sequence

from forms import schedule as sched

EARLY, LATE = "early", "late"


@dataclass(frozen=True)
class RecallBlock:
    """An instrument still inside its recall period: it opens at ``opens_at`` (aware UTC)."""
    instrument_id: str
    opens_at: datetime
    min_days: int


@dataclass(frozen=True)
class VisitStart:
    startable: bool
    remaining: tuple[str, ...]          # battery left, in order
    blocks: tuple[RecallBlock, ...]     # why it cannot start (staff only)
    window: str = ""                    # "", "early", "late": out of window (flagged)


def window_flag(planned: sched.PlannedVisit | None, today: date) -> str:
    """``early`` / ``late`` when starting today would be out of the visit window (flagged, never
    refused); ``""`` inside it or for a visit without a window (early termination,
    unscheduled)."""
    if planned is None:
        return ""
    dev = sched.window_deviation(planned, today)
    return EARLY if dev < 0 else LATE if dev > 0 else ""


def remaining_battery(battery: Sequence[str], submitted: Collection[str],
                      not_done: Collection[str] = ()) -> tuple[str, ...]:
    """The visit's questionnaires still to give, in battery order: neither submitted nor
    recorded not done (``forms.not_done``)."""
    return tuple(i for i in battery if i not in submitted and i not in not_done)


def battery_complete(battery: Sequence[str], submitted: Collection[str],
                     not_done: Collection[str] = ()) -> bool:
    """A visit is completed when every questionnaire of its battery (protocol) is submitted or
    recorded not done with a reason (``forms.not_done``); a visit without questionnaires (staff
    forms only) once anything is recorded on it. Storage sets the visit status by this on every
    submit, staff form and not-done record (or its withdrawal)."""
    return not remaining_battery(battery, submitted, not_done)


def visit_start(battery: Sequence[str], submitted: set[str] | frozenset[str],
                last_completed: Mapping[str, datetime], min_days: Mapping[str, int],
                now: datetime, planned: sched.PlannedVisit | None = None,
                today: date | None = None, not_done: Collection[str] = ()) -> VisitStart:
    """Whether the visit's questionnaires can start at ``now`` (aware).

    ``last_completed``: the patient's last submission of each instrument (any visit);
    ``min_days``: the protocol's recall period of each instrument (0 when not given);
    ``not_done``: the visit's questionnaires recorded not done (never offered)."""
    remaining = remaining_battery(battery, submitted, not_done)
    blocks = []
    for iid in remaining:
        days = int(min_days.get(iid, 0))
        decision = sched.may_open(last_completed.get(iid), now, days)
        if not decision.allowed:
            assert decision.earliest is not None
            blocks.append(RecallBlock(iid, decision.earliest, days))
    flag = window_flag(planned, today) if today is not None else ""
    return VisitStart(bool(remaining) and not blocks, remaining, tuple(blocks), flag)


__all__ = ["EARLY", "LATE", "RecallBlock", "VisitStart", "battery_complete", "remaining_battery",
           "visit_start", "window_flag"]
