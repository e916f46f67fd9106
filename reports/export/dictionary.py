"""``data_dictionary.csv``: one row per variable of the CSV export (ids, items, scores).

Columns: variable, label, type, codes (``code=label | …``), instrument, version, then kind, item,
algorithm, shown_if (branching), minimum, maximum, matrix_group and one ``label_<lang>`` per
further language.
"""
from __future__ import annotations

from pathlib import Path
import itertools
from typing import Callable, Iterable, Iterator, Sequence

from forms.instrument import BASE_LANGUAGE, Instrument
from forms.not_done import REASONS, reason_label
from reports.export.csvsafe import write_csv
from reports.export.scoredefs import algorithm_version_column, algorithms
from reports.export.variables import condition_text, item_vars, scores_for

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
