"""Screening at enrolment in the CSV export: ``enrolment.csv`` and ``enrolment_criteria.csv``.

Read-only: what storage stored with each enrolment (``storage.services.enrolment_records``):
the raw screening inputs as typed columns (labs as value + unit, each exclusion of the protocol
as its own column; the date of birth only as the birth year and the age in completed years at
screening, the age criterion's rule: a full date of birth identifies), the Child-Pugh and MELD
storage derived, the result, the override and the allocation number; one row per criterion in
the long file. Patients enrolled before protocol files have no row.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from forms.enrolment import SCREENING_LABS
from forms.screening_rules import age_in_years
from reports.export.csvsafe import write_csv
from reports.export.dictionary import columns
from storage import services as sv

BASE_COLUMNS = ("subject_id", "protocol_id", "protocol_version", "result", "screening_date",
                "birth_year", "age_at_screening", "consent_date", "decompensated",
                "decompensation_kinds") + tuple(
    c for lab in SCREENING_LABS for c in (lab, f"{lab}_unit")) + (
    "ascites", "encephalopathy", "child_pugh", "meld", "life_expectancy_over_2_months", "hbv",
    "antiviral")
TAIL_COLUMNS = ("override_by", "override_reason", "allocation_sequence", "arm", "recorded_at")
CRITERIA_COLUMNS = columns("enrolment_criteria.csv")
_YES_NO = {True: "yes", False: "no", None: ""}


def _exclusion_ids(records: list[tuple[str, sv.EnrolmentRecord]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for _subject, rec in records:
        for c in rec.criteria:
            if c.kind == "exclusion":
                seen.setdefault(c.id)
    return tuple(seen)


def enrolment_header(records: list[tuple[str, sv.EnrolmentRecord]]) -> tuple[str, ...]:
    """enrolment.csv's columns: one ``exclusion_<id>`` column per exclusion of the records."""
    return BASE_COLUMNS + tuple(f"exclusion_{e}" for e in _exclusion_ids(records)) + \
        TAIL_COLUMNS


def _row(subject: str, rec: sv.EnrolmentRecord, exclusions: tuple[str, ...]) -> list[Any]:
    r = rec.screening
    score = {k: (rec.derived.get(k) or {}).get("score") for k in ("child_pugh", "meld")}
    labs = [v for lab in SCREENING_LABS
            for v in ((r.labs.get(lab) or {}).get("value", ""),
                      (r.labs.get(lab) or {}).get("unit", ""))]
    born = r.birth_date                   # the year and the age only: a full date of birth
    age = age_in_years(born, r.screening_date) if born and r.screening_date else None
    return [subject, rec.protocol_id, rec.protocol_version, rec.result, r.screening_date,
            born.year if born else None, age, r.consent_date, _YES_NO[r.decompensated],
            ";".join(r.decompensation_kinds), *labs, r.ascites or "", r.encephalopathy or "",
            score["child_pugh"], score["meld"], _YES_NO[r.life_expectancy_over_2_months],
            _YES_NO[r.hbv], _YES_NO[r.antiviral],
            *(_YES_NO[r.exclusions.get(e)] for e in exclusions),
            rec.override_by or "", rec.override_reason or "", rec.allocation_sequence,
            rec.arm, rec.recorded_at.isoformat()]


def _criteria(records: list[tuple[str, sv.EnrolmentRecord]]) -> Iterator[list[Any]]:
    for subject, rec in records:
        for c in rec.criteria:
            yield [subject, c.id, c.kind, _YES_NO[c.met]]


def write_enrolment_files(db: sv.Database, out_dir: Path, subject: str | None = None,
                          records: list[tuple[str, sv.EnrolmentRecord]] | None = None
                          ) -> dict[str, int]:
    """Write both files into ``out_dir``; returns rows per file. ``records``: every
    ``sv.enrolment_records(db)`` when the caller read them already (filtered here by
    ``subject``)."""
    if records is None:
        records = sv.enrolment_records(db, subject)
    elif subject is not None:
        records = [(s, r) for s, r in records if s == subject]
    exclusions = _exclusion_ids(records)
    header = enrolment_header(records)
    return {"enrolment.csv": write_csv(out_dir / "enrolment.csv", header,
                                       (_row(s, r, exclusions) for s, r in records)),
            "enrolment_criteria.csv": write_csv(out_dir / "enrolment_criteria.csv",
                                                CRITERIA_COLUMNS, _criteria(records))}
