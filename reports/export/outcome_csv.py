"""Outcome files of the CSV export (issue 15 item 4) and their data-dictionary rows.

subjects.csv          one row per subject: site, arm id + label, allocation sequence and method,
                      consent and enrolment (day 1) dates, eligibility result + override and one
                      ``criterion_<id>`` column per criterion (met / not_met / empty = not known),
                      disposition (completed | terminated | died | ongoing), early termination
                      date and reason, death date and cause, last known alive, overall-survival
                      days (to 365) and event, first HCC diagnosis date
visit_measures.csv    one row per done visit: Child-Pugh, MELD, key labs (canonical units),
                      SF-36 scales (the study's primary scoring), PCS, MCS, CSC TSB and RSS
imaging.csv, hcc.csv, vital_status.csv, early_termination.csv, adverse_events.csv,
infusions.csv         one row per outcome record, one typed column per form field (codes;
                      several codes joined by ``;``), with the subject's arm
The rows are ``reports.outcome_report.dataset``'s: the outcome report computes from them alone.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from forms.outcome_defs import FORMS, choice_label
from reports.export.csvsafe import write_csv
from reports.export.dictionary import plain_codes
from reports.export.sdtm_trial import study_site
from reports.outcome_report.dataset import (OUTCOME_FILES, OUTCOME_HEAD, OUTCOME_TAIL,
                                            SUBJECT_COLUMNS,
                                            SUBJECT_TAIL, Dataset, outcome_columns)

_SUBJECT_LABELS = {
    "subject_id": "Subject id", "site": "Site code", "arm": "Arm id (dose group)",
    "arm_label": "Arm label", "allocation_sequence": "Allocation sequence number",
    "allocation_method": "Allocation method of the protocol", "consent_date": "Consent date",
    "enrolment_date": "Enrolment (day 1) date", "eligibility_result": "Eligibility result",
    "eligibility_override": "Ineligible/undetermined enrolment overridden (yes/no)",
    "disposition": "Disposition", "termination_date": "Early termination date",
    "termination_reason": "Early termination reason", "death_date": "Date of death",
    "death_cause": "Cause of death", "last_known_alive": "Last known alive date",
    "os_days": "Overall survival time, days from day 1 (censored at 365)",
    "os_event": "Death within the survival time (1) or censored (0)",
    "hcc_date": "First HCC diagnosis date"}
_CODES = {"disposition": plain_codes(("completed", "terminated", "died", "ongoing")),
          "os_event": "1=Death | 0=Censored",
          "eligibility_result": plain_codes(("eligible", "ineligible", "undetermined")),
          "eligibility_override": plain_codes(("yes", "no"))}


def subject_columns(ds: Dataset) -> tuple[str, ...]:
    return SUBJECT_COLUMNS + tuple(f"criterion_{c}" for c in ds.criteria) + SUBJECT_TAIL


def _cell(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return ";".join(map(str, v))
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _rows(rows: Iterable[dict], cols: tuple[str, ...], subject: str | None) -> Iterator[list]:
    for r in rows:
        if subject is None or r.get("subject_id") == subject:
            yield [_cell(r.get(c)) for c in cols]


def file_columns(kind: str) -> tuple[str, ...]:
    """The columns of an outcome form's file: a form field named like a head column (the
    infusion record's ``arm``, the arm infused, beside the subject's ``arm``) is
    ``<kind>_<field>`` (``infusion_arm``), so no file has one name twice."""
    head = set(OUTCOME_HEAD)
    keys = outcome_columns(kind)
    fields = keys[len(OUTCOME_HEAD):]
    return OUTCOME_HEAD + tuple(f"{kind}_{k}" if k in head else k for k in fields)


def _outcome_rows(ds: Dataset, kind: str, subject: str | None) -> Iterator[list]:
    """Rows of an outcome form's file; a head column a field shadows in the dataset row (see
    :func:`file_columns`) is taken from the subject (its arm)."""
    keys = outcome_columns(kind)
    shadowed = {k for k in keys[len(OUTCOME_HEAD):] if k in OUTCOME_HEAD}
    arm_of = {r["subject_id"]: r.get("arm") for r in ds.subjects}
    for row in _rows(ds.outcomes.get(kind, []), keys, subject):
        if "arm" in shadowed:
            row[OUTCOME_HEAD.index("arm")] = arm_of.get(row[0])
        yield row


def write_outcome_files(ds: Dataset, out_dir: Path, subject: str | None = None
                        ) -> dict[str, int]:
    """Write subjects.csv, visit_measures.csv and the outcome files; rows per file. A subject
    stored without a site has the protocol's only site (``study_site``, as SDTM SITEID)."""
    site = study_site(ds.protocol, None)[0] if ds.protocol is not None else None
    subjects = [{**r, "site": r.get("site") or site} for r in ds.subjects]
    counts = {"subjects.csv": write_csv(out_dir / "subjects.csv", subject_columns(ds),
                                        _rows(subjects, subject_columns(ds), subject)),
              "visit_measures.csv": write_csv(out_dir / "visit_measures.csv",
                                              ds.measure_columns,
                                              _rows(ds.measures, ds.measure_columns, subject))}
    for kind, name in OUTCOME_FILES.items():
        counts[name] = write_csv(out_dir / name, file_columns(kind),
                                 _outcome_rows(ds, kind, subject))
    return counts


def _dict_row(var: str, label: str, typ: str, codes: str, kind: str, lo: Any = None,
              hi: Any = None) -> list[Any]:
    # HEADER of reports.export.dictionary: variable, label, type, codes, instrument, version,
    # kind, item, algorithm, shown_if, minimum, maximum, matrix_group
    return [var, label, typ, codes, "", "", kind, "", "", "", lo, hi, ""]


_HEAD_LABELS = {
    "subject_id": ("Subject id", "text"), "arm": ("Subject's arm id (dose group)", "text"),
    "visit": ("Visit code the record was entered at (empty: entered without a visit)", "text"),
    "record_id": ("Outcome record id", "integer"),
    "version": ("Record version (1, +1 per correction)", "integer"),
    "entered_by": ("User name of who entered the record", "text"),
    "entered_at_utc": ("Record entered (UTC, ISO 8601)", "datetime")}
_SUBJECT_TYPES = {"allocation_sequence": "integer", "os_days": "integer", "os_event": "integer"}
_MEASURE_TYPES = {"subject_id": "text", "arm": "text", "visit": "text", "visit_day": "integer",
                  "actual_date": "date", "child_pugh": "integer", "meld": "integer"}


def outcome_dictionary_rows(ds: Dataset, n_langs: int = 0) -> Iterator[list[Any]]:
    """One row per column of every file above (``kind`` = the file name)."""
    pad = [""] * n_langs
    arms = " | ".join(f"{a}={lab.get('en', a)}" for a, lab in ds.arms)   # the protocol's arms
    for c in subject_columns(ds):
        if c.startswith("criterion_"):
            yield _dict_row(c, f"Eligibility criterion {c[10:]}", "text",
                            plain_codes(("met", "not_met")), "subjects.csv") + pad
        else:
            typ = "date" if c.endswith("_date") or c == "last_known_alive" else \
                _SUBJECT_TYPES.get(c, "text")
            codes = arms if c == "arm" else _CODES.get(c, "")
            yield _dict_row(c, _SUBJECT_LABELS[c], typ, codes, "subjects.csv") + pad
    for c in ds.measure_columns:
        yield _dict_row(c, f"Visit measure {c}", _MEASURE_TYPES.get(c, "float"),
                        arms if c == "arm" else "", "visit_measures.csv") + pad
    for kind, name in OUTCOME_FILES.items():
        fields = {f.key: f for f in FORMS[kind].fields}
        keys = outcome_columns(kind)
        for i, (c, key) in enumerate(zip(file_columns(kind), keys)):
            f = fields.get(key) if len(OUTCOME_HEAD) <= i < len(keys) - len(OUTCOME_TAIL) \
                else None
            if f is None:
                label, typ = _HEAD_LABELS.get(c, (f"Record {c}", "text"))
                yield _dict_row(c, label, typ, arms if c == "arm" else "", name) + pad
                continue
            if (kind, key) == ("infusion", "arm"):      # filled by storage: the subject's arm
                yield _dict_row(c, f.label.get("en", c), "choice", arms, name) + pad
                continue
            label = f.label.get("en", c) + (f" ({f.unit})" if f.unit else "")
            codes = " | ".join(f"{k}={choice_label(f, k, 'en')}" for k in f.choices)
            typ = {"number": "float", "choices": "codes"}.get(f.type, f.type)
            lo, hi = (None if x is None else float(x) for x in (f.low, f.high))
            yield _dict_row(c, label, typ, codes, name, lo, hi) + pad
