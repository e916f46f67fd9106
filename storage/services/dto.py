"""Plain data returned by the services (no ORM objects leave storage)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple


@dataclass(frozen=True)
class PatientInfo:
    id: int
    subject_id: str
    screening_number: str | None
    initials: str
    sex: str
    birth_year: int
    arm: str
    consent_date: date
    day1_date: date
    status: str
    full_name: str | None
    version: int


class PatientRow(NamedTuple):
    """One patient list row: a named tuple, built ten times faster than a frozen dataclass
    (10 000 rows per list; ``bench/bench_reads.py`` ``patient_list_10k_ms``)."""
    id: int
    subject_id: str
    initials: str
    arm: str
    status: str
    full_name: str | None
    next_visit_code: str | None
    next_visit_date: date | None
    next_visit_window_status: str | None
    last_pcs: float | None
    last_mcs: float | None
    last_rss: float | None
    alert: str          # "red" | "amber" | "" (latest CSC)
    # the patient's unacknowledged staff alerts (storage.services.alerts.AlertInfo), worst and
    # newest first: what the list's alert column shows with its reason
    open_alerts: tuple = ()


@dataclass(frozen=True)
class VisitInfo:
    id: int
    code: str
    target_day: int
    window_days: tuple[int, int]      # (days allowed before, after) the target day
    planned_date: date
    earliest_date: date
    latest_date: date
    actual_date: date | None
    status: str
    window_status: str
    out_of_window: bool
    version: int
    out_of_window_reason: str | None = None
    unscheduled_reason: str | None = None
    locked: bool = False              # lock_visit: data of this visit can no longer change


@dataclass(frozen=True)
class AdministrationState:
    id: int
    visit_id: int
    patient_id: int
    subject_id: str
    visit_code: str
    instrument_id: str
    instrument_version: str
    language: str
    status: str
    answers: dict[str, int]
    skipped: dict[str, str]
    not_applicable: set[str]
    answered_count: int
    total_items: int
    started_at: datetime
    submitted_at: datetime | None
    station_id: str | None = None
    change_counts: dict[str, int] = field(default_factory=dict)
    visit_kind: str = ""                 # the visit's protocol kind (instrument conditions)
    text_version: str | None = None      # the exact text shown: id and SHA-256 (None before 0006)
    text_sha256: str | None = None
