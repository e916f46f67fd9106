"""The clinician form's old imaging and vital status as typed outcome records (migration 0012).

Before issue 15 the clinician assessment held imaging (liver size cm, portal vein mm, spleen size
cm, new lesion suspicious for HCC) and vital status (alive / died with date) of its visit. This
maps those values, already read back typed (``storage.services.clinical.read_imaging`` /
``read_vital_status``), onto the outcome forms, checked by the one check
``forms.outcomes.check_outcome``:

- imaging: liver size and portal vein width keep their value and unit, dated ``day`` (the day
  the visit took place); the modality was never recorded, so it stays empty (the one "required"
  problem tolerated here; a correction completes it). Spleen *size* in cm is not the form's
  spleen *thickness* in mm and a "new lesion suspicious for HCC" is no HCC diagnosis: those
  values have no typed home and are returned as left over, never guessed.
- vital status: "alive" is a contact on ``day`` with the patient alive (last known alive =
  ``day``); "died DATE" a death on DATE, contacted on ``day`` or the death date if later (the
  cause was never recorded: left empty, tolerated like the modality). A death without a date, or
  any other status, is not converted.
A value the check refuses (out of the form's range, a date before consent or in the future) is
left over too. Standard library only.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from forms.clinical_fields import VitalStatus
from forms.outcomes import check_outcome

__all__ = ["IMAGING_KEYS", "NOT_CAPTURED", "imaging_record", "vital_record"]

#: old imaging keys whose value and unit the imaging form holds unchanged
IMAGING_KEYS = ("liver_size_cm", "portal_vein_mm")
#: fields of the outcome forms the old clinician form never asked (empty after conversion)
NOT_CAPTURED = {"imaging": frozenset({"modality"}), "vital_status": frozenset({"death_cause"})}


def _checked(kind: str, raw: Mapping[str, Any], consent: date | None, today: date
             ) -> tuple[dict[str, Any], set[str]]:
    """(canonical fields, fields refused) — "required" of a never-asked field is no refusal."""
    out, problems = check_outcome(kind, raw, consent_date=consent, today=today)
    bad = {p.field for p in problems
           if not (p.kind == "required" and p.field in NOT_CAPTURED[kind])}
    return out, bad


def imaging_record(imaging: Mapping[str, Any], day: date | None, *, consent: date | None,
                   today: date) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(imaging record fields or None, old values left over) of one clinician assessment's
    typed imaging (``{"note": text}`` — unreadable old text — is left over whole)."""
    if "note" in imaging or day is None:
        return None, dict(imaging)
    raw = {k: imaging[k] for k in IMAGING_KEYS if imaging.get(k) is not None}
    left = {k: v for k, v in imaging.items() if k not in raw}
    if not raw:
        return None, left
    out, bad = _checked("imaging", {"date": day, **raw}, consent, today)
    if "date" in bad:
        return None, dict(imaging)
    for key in bad & set(raw):
        left[key] = imaging[key]
    if not set(out) & set(raw):
        return None, dict(imaging)
    return out, left


def vital_record(vital: VitalStatus, day: date | None, *, consent: date | None, today: date
                 ) -> dict[str, Any] | None:
    """The vital-status record of an old clinician vital status, or None (not convertible)."""
    if day is None:
        return None
    if vital.status == "alive":
        raw = {"contact_date": day, "status": "alive", "last_known_alive": day}
    elif vital.status == "died" and vital.death_date is not None:
        raw = {"contact_date": max(day, vital.death_date), "status": "dead",
               "death_date": vital.death_date}
    else:
        return None
    out, bad = _checked("vital_status", raw, consent, today)
    return None if bad else out
