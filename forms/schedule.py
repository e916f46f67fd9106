"""CDISC study days, visit windows and the recall-period rule (protocol.md §2).

The schedule itself (visits, days, windows, batteries, recall periods) is the study's protocol
file (``forms.protocol``); this module works on any schedule.

Day 1 is the date of the first infusion and there is no day 0: the day before day 1 is day -1.
Windows are inclusive study-day ranges. Dates are local calendar dates (``datetime.date``);
the recall-period rule works on aware datetimes (elapsed time, so a DST change does not shorten it).
Out-of-window assessments are kept and flagged, never refused: nothing here refuses a visit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping, Sequence

from forms.errors import UserError
from forms.protocol import Protocol


@dataclass(frozen=True)
class VisitDef:
    """One planned visit: target study day and the inclusive window [earliest_day, latest_day]."""
    code: str
    target_day: int
    earliest_day: int
    latest_day: int
    note: str = ""

    def __post_init__(self) -> None:
        if 0 in (self.target_day, self.earliest_day, self.latest_day):
            raise UserError(f"visit {self.code}: there is no study day 0")
        if not self.earliest_day <= self.target_day <= self.latest_day:
            raise UserError(f"visit {self.code}: target day must lie inside its window")

    @classmethod
    def around(cls, code: str, target_day: int, plus_minus: int) -> "VisitDef":
        """A visit with a symmetric ±window in days (targets are >= 2, so no day-0 gap)."""
        return cls(code, target_day, target_day - plus_minus, target_day + plus_minus)


#: staff forms this app records at a visit (the clinician assessment); a visit with no patient
#: battery and none of these (e.g. the infusion visit D1: dose record) is not planned yet, or it
#: would stay open and overdue forever (dose records come with the typed outcome forms)
RECORDED_STAFF_FORMS = frozenset({"labs", "clinician", "imaging", "vital_status"})


def protocol_schedule(protocol: Protocol) -> tuple[VisitDef, ...]:
    """The visits planned for every patient at enrolment: the protocol's scheduled visits in
    day order, without screening (the enrolment record is the screening visit) and without
    visits that have nothing the app records (see ``RECORDED_STAFF_FORMS``); a visit with no
    window is due on its day only. Early-termination and unscheduled visits have no day and
    are added on demand."""
    out = []
    for v in protocol.scheduled_visits():
        if v.kind == "screening" or v.day is None:
            continue
        if not v.battery and not RECORDED_STAFF_FORMS & set(v.staff_forms):
            continue
        lo, hi = v.window if v.window is not None else (v.day, v.day)
        out.append(VisitDef(v.id, v.day, lo, hi))
    return tuple(out)


#: the baseline visit's code in databases made before protocol files (migration 0005)
LEGACY_BASELINE = "baseline"


def baseline_codes(protocol: Protocol) -> tuple[str, ...]:
    """Visit codes that are the baseline ("change from baseline"): the protocol's visits of
    kind ``baseline``, and the code older databases used."""
    return tuple(v.id for v in protocol.visits_of_kind("baseline")) + (LEGACY_BASELINE,)


def is_baseline(protocol: Protocol, visit_code: str) -> bool:
    return visit_code in baseline_codes(protocol)


def visit_kind(protocol: Protocol, visit_code: str) -> str:
    """The protocol kind of a visit code ("baseline", "follow_up", "unscheduled" for UNSn …);
    "" for a code the protocol does not know."""
    if visit_code == LEGACY_BASELINE:
        return "baseline"
    for v in protocol.visits:
        if v.id == visit_code:
            return v.kind
    if visit_code.startswith(UNSCHEDULED_PREFIX) and visit_code[len(UNSCHEDULED_PREFIX):].isdigit():
        return "unscheduled"
    return ""


def visit_definition(protocol: Protocol | None, visit_code: str):  # -> protocol VisitDef | None
    """The protocol's definition of a visit code: its own entry, or for ``UNS2`` the protocol's
    unscheduled visit (label, battery, staff forms); None for a code the protocol does not know."""
    if protocol is None:
        return None
    vdef = next((v for v in protocol.visits if v.id == visit_code), None)
    if vdef is None and visit_kind(protocol, visit_code) == "unscheduled":
        vdef = next(iter(protocol.visits_of_kind("unscheduled")), None)
    return vdef


def visit_label(protocol: Protocol | None, visit_code: str, lang: str, *,
                short: bool = False) -> str:
    """How a visit is named to a person: the protocol's label in ``lang`` (English if the
    protocol has none in ``lang``), ``UNS2`` as the unscheduled visit's label and its number
    ("Unscheduled visit 2"); a code the protocol does not know stays the code. ``short``
    leaves out a closing remark in brackets, for a chart axis ("Baseline (before dose)" ->
    "Baseline", "第52周（研究结束）" -> "第52周")."""
    vdef = visit_definition(protocol, visit_code)
    if vdef is None:
        return visit_code
    number = "" if vdef.id == visit_code else " " + visit_code[len(UNSCHEDULED_PREFIX):]
    label = vdef.label.get(lang) or vdef.label.get("en") or visit_code
    if short:
        label = _CLOSING_REMARK.sub("", label) or label
    return label + number


_CLOSING_REMARK = re.compile(r"\s*[(\uff08][^()\uff08\uff09]*[)\uff09]\s*$")


def visit_context(protocol: Protocol, visit_code: str) -> dict[str, str]:
    """What instrument conditions on the visit see: ``visit`` (the code) and ``visit_kind``."""
    return {"visit": visit_code, "visit_kind": visit_kind(protocol, visit_code)}


def schedule_from_rows(rows: Iterable[Mapping[str, object]]) -> tuple[VisitDef, ...]:
    """Build and check a study's (editable) schedule from ``{code, target_day, earliest_day,
    latest_day[, note]}`` rows, e.g. as stored in the Study table."""
    visits = []
    for r in rows:
        try:
            visits.append(VisitDef(str(r["code"]), int(r["target_day"]),  # type: ignore[call-overload]
                                   int(r["earliest_day"]), int(r["latest_day"]),  # type: ignore[call-overload]
                                   str(r.get("note", ""))))
        except (KeyError, TypeError, ValueError) as exc:
            raise UserError(f"visit schedule row {dict(r)!r} is invalid ({exc})") from None
    codes = [v.code for v in visits]
    if len(set(codes)) != len(codes):
        raise UserError("visit schedule has duplicate visit codes")
    if not visits:
        raise UserError("visit schedule is empty")
    return tuple(visits)


def schedule_to_rows(schedule: Sequence[VisitDef]) -> list[dict[str, object]]:
    return [{"code": v.code, "target_day": v.target_day, "earliest_day": v.earliest_day,
             "latest_day": v.latest_day, "note": v.note} for v in schedule]


# --- study days ---------------------------------------------------------------------------------

def study_day(day1: date, d: date) -> int:
    """CDISC study day of ``d``: day1 -> 1, the day after -> 2, the day before -> -1."""
    delta = (d - day1).days
    return delta + 1 if delta >= 0 else delta


def date_of_study_day(day1: date, day: int) -> date:
    """Inverse of :func:`study_day`; day 0 does not exist."""
    if day == 0:
        raise ValueError("there is no study day 0")
    return day1 + timedelta(days=day - 1 if day > 0 else day)


@dataclass(frozen=True)
class PlannedVisit:
    code: str
    target_day: int
    target_date: date
    earliest: date
    latest: date


def plan(visit: VisitDef, day1: date) -> PlannedVisit:
    return PlannedVisit(visit.code, visit.target_day, date_of_study_day(day1, visit.target_day),
                        date_of_study_day(day1, visit.earliest_day),
                        date_of_study_day(day1, visit.latest_day))


def planned_visits(day1: date, schedule: Sequence[VisitDef]) -> list[PlannedVisit]:
    """Target date and window dates of every scheduled visit, from the day-1 date."""
    return [plan(v, day1) for v in schedule]


# --- window status --------------------------------------------------------------------------

NOT_YET_DUE, DUE, OVERDUE = "not_yet_due", "due", "overdue"
IN_WINDOW, OUT_OF_WINDOW = "in_window", "out_of_window"


def window_deviation(pv: PlannedVisit, d: date) -> int:
    """Days outside the window: negative = early, positive = late, 0 = inside."""
    if d < pv.earliest:
        return (d - pv.earliest).days
    if d > pv.latest:
        return (d - pv.latest).days
    return 0


def window_status(pv: PlannedVisit, today: date, actual: date | None = None) -> str:
    """Status of a planned visit.

    With an ``actual`` visit date: ``in_window`` or ``out_of_window`` (kept and flagged).
    Without one, by ``today``: ``not_yet_due`` before the window, ``due`` inside it,
    ``overdue`` after the window has passed with no visit.
    """
    return window_status_between(pv.earliest, pv.latest, today, actual)


def window_status_between(earliest: date, latest: date, today: date,
                          actual: date | None = None) -> str:
    """``window_status`` from the window's first and last day (a list of 10 000 patients holds
    these dates, not a ``PlannedVisit``)."""
    if actual is not None:
        return IN_WINDOW if earliest <= actual <= latest else OUT_OF_WINDOW
    if today < earliest:
        return NOT_YET_DUE
    if today > latest:
        return OVERDUE
    return DUE


# --- unscheduled visits ---------------------------------------------------------------------

UNSCHEDULED_PREFIX = "UNS"


@dataclass(frozen=True)
class UnscheduledVisit:
    code: str
    reason: str


def unscheduled_visit(existing_codes: Iterable[str], reason: str) -> UnscheduledVisit:
    """Next unscheduled visit (``UNS1``, ``UNS2`` …); a non-empty reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise UserError("an unscheduled visit needs a reason")
    taken = set(existing_codes)
    n = 1
    while f"{UNSCHEDULED_PREFIX}{n}" in taken:
        n += 1
    return UnscheduledVisit(f"{UNSCHEDULED_PREFIX}{n}", reason)


# --- recall-period rule (administrations of the same instrument must not overlap) -------------


@dataclass(frozen=True)
class OpenDecision:
    allowed: bool
    needs_override: bool            # too early: staff may still open it with a reason
    earliest: datetime | None       # first moment it may open without override
    override_reason: str | None = None


def _aware(dt: datetime, name: str) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return dt


def may_open(previous_completed_at: datetime | None, now: datetime, min_days: int,
             override_reason: str | None = None) -> OpenDecision:
    """May a new administration of the same instrument open at ``now``?

    ``min_days`` is the instrument's recall period from the protocol (``Protocol.
    min_days_between``: SF-36 28, CSC 7 for NCT01342250). Allowed when there is no previous
    completion or at least ``min_days`` days (elapsed time) have passed since it. Earlier, it
    opens only with a staff override reason (non-blank); the decision then carries the reason so
    it can be audited.
    """
    _aware(now, "now")
    if isinstance(min_days, bool) or not isinstance(min_days, int) or min_days < 0:
        raise ValueError("min_days must be a whole number >= 0")
    if previous_completed_at is None:
        return OpenDecision(True, False, None)
    earliest = _aware(previous_completed_at, "previous_completed_at") + timedelta(days=min_days)
    if now >= earliest:
        return OpenDecision(True, False, earliest)
    reason = (override_reason or "").strip()
    if reason:
        return OpenDecision(True, True, earliest, reason)
    return OpenDecision(False, True, earliest)
