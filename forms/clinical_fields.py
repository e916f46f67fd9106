"""Imaging and vital status of the clinician assessment (symptoms.md §4) as typed values.

One check for the screen (live messages) and for storage (refusal): imaging is a mapping of
typed numbers and a lesion code, vital status a code with its death date. Neither is ever a
``key=value`` or "died 2026-…" string. The typed outcome forms of issue 15 (imaging date and
modality, death cause, last known alive date) are not here yet.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

__all__ = ["IMAGING_NUMBERS", "NEW_LESION_CODES", "VITAL_STATUSES", "FieldProblem", "VitalStatus",
           "check_imaging", "check_vital_status"]

# imaging measurement -> plausible (low, high), bounds inclusive, in the unit of its name
IMAGING_NUMBERS: dict[str, tuple[Decimal, Decimal]] = {
    "liver_size_cm": (Decimal(1), Decimal(40)),
    "portal_vein_mm": (Decimal(1), Decimal(40)),
    "spleen_size_cm": (Decimal(1), Decimal(40)),
}
NEW_LESION_CODES = ("no", "yes", "not_done")        # new liver lesion suspicious for HCC
VITAL_STATUSES = ("alive", "died")


@dataclass(frozen=True)
class FieldProblem:
    field: str      # an IMAGING_NUMBERS key, "new_lesion_hcc", "vital_status" or "death_date"
    value: str
    kind: str       # "not_a_number" | "out_of_range" | "invalid" | "required" | "not_allowed" |
                    # "future"
    low: str = ""
    high: str = ""


@dataclass(frozen=True)
class VitalStatus:
    status: str                       # "alive" | "died"
    death_date: date | None = None    # required when died, never when alive


def _number(text: str) -> Decimal | None:
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def check_imaging(raw: Mapping[str, Any] | None) -> tuple[dict[str, Any], tuple[FieldProblem, ...]]:
    """(canonical imaging, problems). Canonical: only the given fields, measurements as JSON
    numbers (int when whole), ``new_lesion_hcc`` as a code; ``{}`` when nothing was given.
    Numbers may come as numbers or typed text (a decimal comma is accepted)."""
    out: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for key, value in (raw or {}).items():
        if key == "new_lesion_hcc":
            if value in (None, ""):
                continue
            if value not in NEW_LESION_CODES:
                problems.append(FieldProblem(key, str(value), "invalid"))
            else:
                out[key] = value
            continue
        if key not in IMAGING_NUMBERS:
            problems.append(FieldProblem(key, str(value), "invalid"))
            continue
        if isinstance(value, bool):
            problems.append(FieldProblem(key, str(value), "not_a_number"))
            continue
        text = ("" if value is None else str(value)).strip().replace(",", ".")
        if not text:
            continue
        num = _number(text)
        low, high = IMAGING_NUMBERS[key]
        if num is None:
            problems.append(FieldProblem(key, text, "not_a_number"))
        elif not low <= num <= high:
            problems.append(FieldProblem(key, text, "out_of_range", str(low), str(high)))
        else:
            out[key] = int(num) if num == num.to_integral_value() else float(num)
    return out, tuple(problems)


def check_vital_status(status: str | None, death_date: date | str | None, *,
                       today: date | None = None
                       ) -> tuple[VitalStatus | None, tuple[FieldProblem, ...]]:
    """(vital status or None when not assessed, problems). A death needs its date (ISO text or
    a date), not after ``today``; "alive" takes no date."""
    if status in (None, ""):
        if death_date not in (None, ""):
            return None, (FieldProblem("death_date", str(death_date), "not_allowed"),)
        return None, ()
    if status not in VITAL_STATUSES:
        return None, (FieldProblem("vital_status", str(status), "invalid"),)
    if status == "alive":
        if death_date not in (None, ""):
            return None, (FieldProblem("death_date", str(death_date), "not_allowed"),)
        return VitalStatus("alive"), ()
    if death_date in (None, ""):
        return None, (FieldProblem("death_date", "", "required"),)
    if isinstance(death_date, str):
        try:
            death_date = date.fromisoformat(death_date.strip())
        except ValueError:
            return None, (FieldProblem("death_date", death_date, "invalid"),)
    if not isinstance(death_date, date):
        return None, (FieldProblem("death_date", str(death_date), "invalid"),)
    if today is not None and death_date > today:
        return None, (FieldProblem("death_date", death_date.isoformat(), "future"),)
    return VitalStatus("died", death_date), ()
