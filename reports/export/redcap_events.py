"""REDCap events of a longitudinal project, from the study's protocol.

One arm (``arm_num`` 1: the treatment arm is a field of the subject form, the trial does not
schedule arms differently). Events, in protocol day order:

* every planned visit (``forms.schedule.protocol_schedule``) with its day offset from Day 1 and
  the window as REDCap's ``offset_min`` / ``offset_max`` (days before / after the target day);
  offsets count calendar days from Day 1 (``forms.schedule.date_of_study_day``: there is no
  study day 0, so day -7 is 7 days before Day 1 and day 8 is 7 days after);
* the early-termination visit (no day: empty offsets);
* the unscheduled visit as ONE repeating event (the whole event repeats): the stored visits
  ``UNS1``, ``UNS2`` … are instances 1, 2 … of it (``redcap_repeat_instance``);
* the protocol visits the app makes no visit of but that hold an outcome form (``SCR``: the
  screening imaging, ``D1``: the infusion record; ``outcome_meta.home_visits``), in day order,
  with only those outcome forms;
* the outcome log (``OUTCOME_LOG``, no day): the adverse events as a repeating instrument, and
  any further outcome record that has no single place on a visit's event (repeating too).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Mapping, Sequence

from forms.protocol import Protocol
from forms.schedule import UNSCHEDULED_PREFIX, VisitDef, date_of_study_day
from reports.export.outcome_meta import REPEATING_KIND, home_visits
from reports.export.redcap import event_name

EVENTS_COLUMNS = ("event_name", "arm_num", "day_offset", "offset_min", "offset_max",
                  "unique_event_name", "custom_event_label")
REPEATING_COLUMNS = ("event_name", "form_name", "custom_form_label")
_UNS = re.compile(rf"{re.escape(UNSCHEDULED_PREFIX)}(\d+)")
_DAY1 = date(2001, 1, 1)      # any date: only differences are used
LOG_EVENT = "OUTCOME_LOG"


@dataclass(frozen=True)
class RedcapEvent:
    code: str                       # the protocol's visit id (REDCap event name)
    label: str
    day_offset: int | None
    offset_min: int | None
    offset_max: int | None
    repeating: bool = False
    role: str = "visit"             # visit (an app visit) | outcome (outcome forms only) | log
    outcome_kinds: tuple[str, ...] = ()       # role "outcome": the outcome forms it holds

    @property
    def unique(self) -> str:
        return event_name(self.code)

    def row(self) -> tuple[object, ...]:
        def blank(v: int | None) -> object:
            return "" if v is None else v
        return (self.code, 1, blank(self.day_offset), blank(self.offset_min),
                blank(self.offset_max), self.unique, self.label)


def day_offset(study_day: int) -> int:
    """Calendar days from Day 1 to a study day."""
    return (date_of_study_day(_DAY1, study_day) - _DAY1).days


def redcap_events(schedule: Sequence[VisitDef], visit_kinds: Mapping[str, Sequence[str]],
                  protocol: Protocol | None = None) -> list[RedcapEvent]:
    def label(code: str) -> str:
        if protocol is None:
            return code
        try:
            return protocol.visit(code).label.get("en", code)
        except KeyError:
            return code
    out = []
    for v in schedule:
        t = day_offset(v.target_day)
        out.append(RedcapEvent(v.code, label(v.code), t, t - day_offset(v.earliest_day),
                               day_offset(v.latest_day) - t))
    if protocol is not None:
        homes: dict[str, list[str]] = {}
        for kind, code in home_visits(protocol, [v.code for v in schedule]).items():
            if kind != REPEATING_KIND:           # adverse events live on the outcome log
                homes.setdefault(code, []).append(kind)
        for code, kinds in homes.items():
            pv = protocol.visit(code)
            t = day_offset(pv.day) if pv.day is not None else None
            lo, hi = pv.window if pv.window is not None and t is not None else (None, None)
            out.append(RedcapEvent(code, label(code), t,
                                   None if lo is None else t - day_offset(lo),
                                   None if hi is None else day_offset(hi) - t,
                                   role="outcome", outcome_kinds=tuple(kinds)))
        # day order; a visit the app makes stays ahead of an outcome-only one on the same day
        out.sort(key=lambda e: (10 ** 6 if e.day_offset is None else e.day_offset,
                                 e.role != "visit"))
    for code in visit_kinds.get("early_termination", ()):
        out.append(RedcapEvent(code, label(code), None, None, None))
    for code in visit_kinds.get("unscheduled", ())[:1]:
        out.append(RedcapEvent(code, label(code), None, None, None, repeating=True))
    if protocol is not None:
        out.append(RedcapEvent(LOG_EVENT, "Outcome log (adverse events, further records)",
                               None, None, None, role="log"))
    return out


def event_of(visit_code: str, events: Sequence[RedcapEvent]) -> tuple[str, int | None]:
    """(unique event name, repeat instance or None) of a stored visit code."""
    m = _UNS.fullmatch(visit_code)
    if m:
        for e in events:
            if e.repeating:
                return e.unique, int(m.group(1))
    return event_name(visit_code), None
