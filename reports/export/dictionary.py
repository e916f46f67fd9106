"""``data_dictionary.csv``: one row per column of every file of the CSV export.

``kind`` ``id``/``item``/``score``: the columns of ``administrations_wide.csv``; every other
row's ``kind`` is its file (``scores.csv``, ``subjects.csv`` …). ``type``: text, integer, float,
date, datetime, time, boolean, json, choice (one code), codes (several, ``;``-joined).

Columns: variable, label, type, codes (``code=label | …``), instrument, version, then kind, item,
algorithm, shown_if (branching), minimum, maximum, matrix_group and one ``label_<lang>`` per
further language.
"""
from __future__ import annotations

from pathlib import Path
import itertools
from typing import Callable, Iterable, Iterator, Sequence

from forms.calculators import ASCITES, ENCEPHALOPATHY
from forms.enrolment import SCREENING_LABS
from forms.instrument import BASE_LANGUAGE, Instrument
from forms.not_done import REASONS, reason_label
from reports.export.csvsafe import write_csv
from reports.export.scoredefs import algorithm_version_column, algorithms
from reports.export.variables import condition_text, item_vars, scores_for
from storage.models import ANSWER_STATUSES, SKIP_REASONS

# columns of administrations_wide.csv before the item and score columns
ADMIN_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("subject_id", "Subject identifier (pseudonymous)", "text"),
    ("site", "Site code", "text"),
    ("visit", "Visit code (schedule)", "text"),
    ("visit_date", "Actual visit date (local calendar date, ISO 8601)", "date"),
    ("study_day", "CDISC study day of the visit (day 1 = first infusion, no day 0)", "integer"),
    ("administration_id", "Administration identifier (database id)", "integer"),
    ("instrument", "Instrument id", "text"),
    ("instrument_version", "Instrument version", "text"),
    ("instrument_hash", "SHA-256 of the instrument text the patient saw", "text"),
    ("language", "Language the instrument was shown in", "text"),
    ("text_version", "Version id of the text shown in that language (empty before 0006)",
     "text"),
    ("text_sha256", "SHA-256 of that language's text as shown (empty before 0006)", "text"),
    ("status", "Administration status", "text"),
    ("started_at_utc", "Administration started (UTC, ISO 8601)", "datetime"),
    ("submitted_at_utc", "Administration submitted (UTC, ISO 8601)", "datetime"),
    ("station", "Station (kiosk/workstation) id", "text"),
    ("originator", "Data originator (participant or proxy)", "text"),
    ("not_done_reason", "Why the questionnaire was not done (status not_done; CDISC QSREASND)",
     "text"),
    ("not_done_text", "Staff's words on why it was not done (required for reason 'other')",
     "text"),
)
STATUS_CODES = (("in_progress", "In progress"), ("interrupted", "Interrupted"),
                ("submitted", "Submitted"), ("entered_in_error", "Entered in error"),
                ("not_done", "Not done (recorded by staff with a reason; no administration)"))
NOT_DONE_CODES = tuple((r, reason_label(r)) for r in REASONS)

HEADER = ("variable", "label", "type", "codes", "instrument", "version", "kind", "item",
          "algorithm", "shown_if", "minimum", "maximum", "matrix_group")


def _codes(pairs: Sequence[tuple[object, str]]) -> str:
    return " | ".join(f"{c}={lab}" for c, lab in pairs)


def plain_codes(codes: Iterable[str]) -> str:
    """Codes without labels in the dictionary's one format: ``met=Met | not_met=Not met``."""
    return _codes([(c, c.replace("_", " ").capitalize()) for c in codes])


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def extra_languages(insts: Sequence[Instrument]) -> list[str]:
    langs: dict[str, None] = {}
    for inst in insts:
        for lang in inst.languages:
            if lang != BASE_LANGUAGE:
                langs.setdefault(lang)
    return list(langs)


def dictionary_rows(insts: Sequence[Instrument]) -> Iterator[list[object]]:
    langs = extra_languages(insts)
    for name, label, typ in ADMIN_COLUMNS:
        codes = (_codes(STATUS_CODES) if name == "status" else
                 _codes(NOT_DONE_CODES) if name == "not_done_reason" else "")
        yield [name, label, typ, codes, "", "", "id", "", "", "", None, None, ""] + [""] * len(langs)
    for inst in insts:
        for v in item_vars(inst):
            rs = inst.options_for(v.item)
            cond = condition_text(v.item.condition, inst) if v.item.condition else ""
            yield ([v.name, v.label(), "integer",
                    _codes([(o.code, o.label[BASE_LANGUAGE]) for o in rs.options]),
                    inst.id, inst.version, "item", v.item.id, "", cond,
                    None, None, v.matrix_group or ""]  # the codes are the range
                   + [v.item.text.get(lang, "") for lang in langs])
        for s in scores_for(inst):
            yield ([s.name, s.label, s.type, _codes(s.codes), inst.id, inst.version, "score",
                    "", s.algorithm, "", _num(s.minimum), _num(s.maximum), ""]
                   + [""] * len(langs))
        for alg in algorithms(inst.id):
            yield ([algorithm_version_column(alg), f"Stored version of algorithm {alg}", "text",
                    "", inst.id, inst.version, "score", "", alg, "", None, None, ""]
                   + [""] * len(langs))


def write_data_dictionary(path: Path | str, insts: Sequence[Instrument],
                          extra: Callable[[int], Iterable[list[object]]] | None = None) -> int:
    """Write ``data_dictionary.csv`` (UTF-8 with BOM); returns the number of variables.
    ``extra(n_label_columns)``: more rows (the outcome files' columns)."""
    langs = extra_languages(insts)
    header = list(HEADER) + [f"label_{lang}" for lang in langs]
    more = extra(len(langs)) if extra is not None else ()
    return write_csv(path, header, itertools.chain(dictionary_rows(insts), more))


_YN = plain_codes(("yes", "no"))
#: the long files' columns, in file order: (variable, label, type, codes); their writers take
#: the column names from here (``columns``)
LONG_FILES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "answers_long.csv": (
        ("subject_id", "Subject identifier (pseudonymous)", "text", ""),
        ("visit", "Visit code (schedule)", "text", ""),
        ("administration_id", "Administration identifier (database id)", "integer", ""),
        ("instrument", "Instrument id", "text", ""),
        ("instrument_version", "Instrument version", "text", ""),
        ("item", "Item id in the instrument", "text", ""),
        ("variable", "Column of the item in administrations_wide.csv", "text", ""),
        ("label", "Item text (English)", "text", ""),
        ("status", "Answer status", "text", plain_codes(ANSWER_STATUSES)),
        ("code", "Answer code (precode of the chosen option)", "integer", ""),
        ("code_label", "Label of the chosen option (English)", "text", ""),
        ("skip_reason", "Why the item was skipped", "text", plain_codes(SKIP_REASONS)),
        ("answered_at_utc", "First answered (UTC, ISO 8601)", "datetime", ""),
        ("saved_at_utc", "Last saved (UTC, ISO 8601)", "datetime", ""),
        ("change_count", "Times the answer was changed before submission", "integer", ""),
        ("ms_on_item", "Milliseconds on the item's screen", "integer", "")),
    "scores.csv": (
        ("subject_id", "Subject identifier (pseudonymous)", "text", ""),
        ("visit", "Visit code (schedule)", "text", ""),
        ("administration_id", "Administration identifier (database id)", "integer", ""),
        ("instrument", "Instrument id", "text", ""),
        ("algorithm", "Scoring algorithm id", "text", ""),
        ("algorithm_version", "Stored version of the algorithm", "text", ""),
        ("score", "Score name (the administrations_wide.csv column)", "text", ""),
        ("value", "Numeric score value (flags 1/0)", "float", ""),
        ("level", "Text score value (alert level)", "text", ""),   # codes: the registry's
        ("detail_json", "Structured supporting value (JSON)", "json", ""),
        ("computed_at_utc", "Computed (UTC, ISO 8601)", "datetime", "")),
    "clinical.csv": (
        ("subject_id", "Subject identifier (pseudonymous)", "text", ""),
        ("visit", "Visit code (schedule)", "text", ""),
        ("assessment_id", "Clinician assessment identifier (database id)", "integer", ""),
        ("sample_date", "Lab sample date", "date", ""),
        ("field", "Stored field (labs.<lab>, symptoms.<grade>, derived.<score>.<part>, …)",
         "text", ""),
        ("value", "Numeric value (labs as entered, grades 0-3, derived scores, flags 1/0)",
         "float", ""),
        ("text_value", "Non-numeric value (a code, a formula id or an ISO 8601 date)", "text",
         ""),
        ("unit", "Unit of value (labs: as entered; imaging: cm/mm)", "text", ""),
        ("detail", "Further stored detail (JSON: a lab's canonical value and unit)", "json", ""),
        ("entered_by_user_id", "User id of who entered the assessment", "integer", ""),
        ("entered_at_utc", "Entered (UTC, ISO 8601)", "datetime", "")),
    "audit.csv": (
        ("seq", "Audit row sequence number", "integer", ""),
        ("at_utc", "When (UTC, ISO 8601)", "datetime", ""),
        ("action", "Action", "text", ""),
        ("operation", "Operation", "text", plain_codes(("insert", "update", "delete", "event"))),
        ("entity", "Table of the changed row", "text", ""),
        ("entity_id", "Id of the changed row", "integer", ""),
        ("changes", "Changed fields {field: [old, new]} (JSON; a patient's name and initials "
         "WITHHELD)", "json", ""),
        ("detail", "Event detail", "text", ""),
        ("reason", "Reason given", "text", ""),
        ("actor_kind", "Who acted: user, patient or system", "text", ""),
        ("actor_user_id", "User id of the actor", "integer", ""),
        ("actor_username", "User name of the actor", "text", ""),
        ("actor_role", "Role of the actor", "text", ""),
        ("station_id", "Station id", "text", ""),
        ("patient_id", "Patient (database id) the row concerns", "integer", ""),
        ("row_hash", "HMAC-SHA256 of the row in the audit chain", "text", "")),
    "enrolment_criteria.csv": (
        ("subject_id", "Subject identifier (pseudonymous)", "text", ""),
        ("criterion_id", "Eligibility criterion id of the protocol", "text", ""),
        ("kind", "Criterion kind", "text", plain_codes(("inclusion", "exclusion"))),
        ("met", "Criterion met (empty: not known)", "text", _YN)),
}
#: enrolment.csv columns other than text: name -> (type, codes)
_ENROLMENT_TYPES = {"screening_date": ("date", ""), "birth_year": ("integer", ""),
                    "age_at_screening": ("integer", ""),
                    "consent_date": ("date", ""), "child_pugh": ("integer", ""),
                    "meld": ("integer", ""), "allocation_sequence": ("integer", ""),
                    "recorded_at": ("datetime", ""),
                    "result": ("text", plain_codes(("eligible", "ineligible", "undetermined"))),
                    "ascites": ("text", plain_codes(ASCITES)),
                    "encephalopathy": ("text", plain_codes(ENCEPHALOPATHY)),
                    **{k: ("text", _YN) for k in ("decompensated", "hbv", "antiviral",
                                                  "life_expectancy_over_2_months")},
                    **{lab: ("float", "") for lab in SCREENING_LABS}}


def columns(file: str) -> tuple[str, ...]:
    """The columns of a long file, in order: the writers take them from here (one list)."""
    return tuple(var for var, *_ in LONG_FILES[file])


def long_file_rows(enrolment_header: Sequence[str], insts: Sequence[Instrument] = (),
                   n_langs: int = 0) -> Iterator[list[object]]:
    """Dictionary rows of the long files and of ``enrolment.csv`` (its header: the protocol's
    exclusions are columns); ``kind`` = the file name. ``scores.csv``'s ``level`` lists the
    codes of the instruments' text scores."""
    pad = [""] * n_langs
    levels = _codes(list(dict.fromkeys(c for inst in insts for s in scores_for(inst)
                                       if s.type == "text" for c in s.codes)))
    for name, cols in LONG_FILES.items():
        for var, label, typ, codes in cols:
            codes = levels if (name, var) == ("scores.csv", "level") else codes
            yield [var, label, typ, codes, "", "", name, "", "", "", None, None, ""] + pad
    for var in enrolment_header:
        typ, codes = _ENROLMENT_TYPES.get(var, ("text", ""))
        if var.startswith("exclusion_"):
            typ, codes = "text", _YN
        yield [var, f"Screening at enrolment: {var.replace('_', ' ')}", typ, codes, "", "",
               "enrolment.csv", "", "", "", None, None, ""] + pad
