"""``--format csv``: a folder of UTF-8-with-BOM CSV files for spreadsheet and stats users.

administrations_wide.csv  one row per administration: ids, visit, dates, status, language,
                          instrument version and hash, every item code of every instrument,
                          every score, and the algorithm version of each algorithm; and one
                          per questionnaire recorded not done (status not_done, reason code
                          and text, no administration id)
answers_long.csv          one row per stored answer: code, label, status, skip reason, times
scores.csv                one row per score value: algorithm id and version, the score's one
                          name (as in the wide file), a number in ``value``, a text code (alert
                          level) in ``level`` or structured detail as JSON in ``detail_json``
clinical.csv              one row per clinical-assessment field (labs with units, dialysis,
                          Child-Pugh variant, grades, derived Child-Pugh/MELD with formula ids;
                          numbers in ``value``, codes/ids/dates in ``text_value``: clinical_csv)
audit.csv                 the audit trail rows in sequence order (hash chain columns included)
data_dictionary.csv       every variable above with labels, codes and versions

Numbers are written as numbers at full precision; free text is defanged (csvsafe). Missing is an
empty cell, never 0. All times are UTC ISO 8601 with offset.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from math import isfinite
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterator, Sequence

from forms.instrument import BASE_LANGUAGE, Instrument
from reports.export.audit_csv import AUDIT_COLUMNS, audit_rows
from reports.export.clinical_csv import CLINICAL_COLUMNS, clinical_rows
from reports.export.csvsafe import CsvOut, defang, render_fields
from reports.export.dictionary import (ADMIN_COLUMNS, columns, long_file_rows,
                                       write_data_dictionary)
from reports.export.enrolment_csv import enrolment_header, write_enrolment_files
from reports.export.outcome_csv import outcome_dictionary_rows, write_outcome_files
from reports.outcome_report.dataset import build_dataset
from reports.export.reader import LEAN_ANSWER_COLUMNS, PatientData, iso_utc, iter_patients
from reports.export.scoredefs import algorithm_version_column, algorithms, score_name
from reports.export.sdtm_trial import study_site
from reports.export.variables import item_variable, scores_for
from storage.db import Database
from storage.services import enrolment_records
from storage.services.protocol_store import current_protocol

FILES = ("administrations_wide.csv", "answers_long.csv", "scores.csv", "clinical.csv",
         "audit.csv", "data_dictionary.csv", "enrolment.csv", "enrolment_criteria.csv",
         "subjects.csv", "visit_measures.csv", "imaging.csv", "hcc.csv", "vital_status.csv",
         "early_termination.csv", "adverse_events.csv", "infusions.csv")
ANSWER_COLUMNS = columns("answers_long.csv")
SCORE_COLUMNS = columns("scores.csv")
# one line per audit row (one change: ``changes`` = {"field": [old, new]} canonical JSON; an
# event's ``detail``); prev hash = the row_hash of the line before
def iso(v: datetime | date | None) -> str | None:
    if v is None:
        return None
    return v.isoformat()


def wide_header(insts: Sequence[Instrument]) -> list[str]:
    cols = [c for c, _, _ in ADMIN_COLUMNS]
    for inst in insts:
        cols += [item_variable(inst, it) for it in inst.items]
    for inst in insts:
        cols += [s.name for s in scores_for(inst)]
        cols += [algorithm_version_column(a) for a in algorithms(inst.id)]
    return cols


def _study_day(day1: date, d: date | None) -> int | None:
    if d is None:
        return None
    from forms.schedule import study_day
    return study_day(day1, d)


# answer rows are read by position: a Row's attribute access costs ten times its indexing
_ITEM_STATUS_CODE = ("item_id", "status", "code")
_ANSWER_LINE_FIELDS = ("item_id", "status", "code", "skip_reason", "answered_at", "saved_at",
                       "change_count", "ms_on_item")
_WIDE_ADMIN_FIELDS = ("id", "instrument_id", "instrument_version", "content_hash", "language",
                      "text_version", "text_sha256", "status", "started_at", "submitted_at",
                      "station_id", "originator", "proxy_user_id")
_GETTERS: dict[tuple[tuple[str, ...], tuple[str, ...]], itemgetter] = {}


def _fields_of(rows: Sequence[Any], names: tuple[str, ...]) -> itemgetter:
    """``itemgetter`` of ``names`` for rows of one query (Core rows, or the reader's lean
    answer tuples)."""
    if not rows:
        return itemgetter(*range(len(names)))    # never called
    key = (getattr(rows[0], "_fields", LEAN_ANSWER_COLUMNS), names)
    getter = _GETTERS.get(key)
    if getter is None:
        getter = _GETTERS[key] = itemgetter(*map(key[0].index, names))
    return getter


class WideWriter:
    """Rows of administrations_wide.csv; header, column index and item lookups built once."""

    def __init__(self, insts: Sequence[Instrument], site: str | None = None) -> None:
        """``site``: the site of a subject stored without one (the protocol's only site)."""
        self.site = defang(site or "")
        self.header = wide_header(insts)
        index = {c: i for i, c in enumerate(self.header)}
        self.n = len(self.header)
        self.items = {i.id: {it.id: index[item_variable(i, it)] for it in i.items}
                      for i in insts}
        self.scores = {i.id: [(index[s.name], s.key) for s in scores_for(i)] for i in insts}
        self.versions = {a: index[algorithm_version_column(a)]
                         for i in insts for a in algorithms(i.id)}

    def rows(self, pd: PatientData) -> Iterator[list[Any]]:
        p = pd.patient
        sid, site = defang(p.subject_id), defang(pd.site_code) or self.site
        for vd in pd.visits:
            for ad in vd.administrations:
                a, v = ad.adm, vd.visit
                (aid, inst_id, version, content_hash, language, text_version, text_sha256, status,
                 started, submitted, station, originator, proxy) = _fields_of(
                    (a,), _WIDE_ADMIN_FIELDS)(a)
                row: list[Any] = [None] * self.n
                row[:len(ADMIN_COLUMNS)] = [
                    sid, site, defang(v.code), iso(v.actual_date),
                    _study_day(p.day1_date, v.actual_date), aid, defang(inst_id),
                    defang(version), content_hash, defang(language),
                    defang(text_version or "") or None, text_sha256, status,
                    iso(started), iso(submitted), defang(station or "") or None,
                    "participant" if originator == "patient" else f"proxy:{proxy}", None, None]
                cols = self.items.get(inst_id)
                if cols is not None:
                    for item_id, status, code in map(_fields_of(ad.answers, _ITEM_STATUS_CODE),
                                                     ad.answers):
                        col = cols.get(item_id)
                        if col is not None and status == "answered":
                            row[col] = code
                    values = ad.score_values()
                    for col, key in self.scores[inst_id]:
                        val = values.get(key)
                        row[col] = val if type(val) is float and isfinite(val) else _scalar(val)
                    for alg, sc in ad.scores.items():
                        col = self.versions.get(alg)
                        if col is not None:
                            row[col] = defang(sc.algorithm_version)
                yield row
            for rec in vd.not_done.values():      # recorded not done (no administration)
                yield self._not_done_row(pd, vd.visit, rec)

    def _not_done_row(self, pd: PatientData, v: Any, rec: Any) -> list[Any]:
        """A questionnaire recorded not done: no administration id, text or times; status
        ``not_done``, the reason code and the staff's text."""
        p = pd.patient
        row: list[Any] = [None] * self.n
        row[:len(ADMIN_COLUMNS)] = [
            defang(p.subject_id), defang(pd.site_code) or self.site, defang(v.code),
            iso(v.actual_date),
            _study_day(p.day1_date, v.actual_date), None, defang(rec.instrument_id), None,
            None, None, None, None, "not_done", None, None, None, None, rec.reason,
            defang(rec.text) or None]
        return row


def _scalar(val: Any) -> Any:
    """A score value as a CSV-ready scalar (bool -> 1/0, text defanged, containers empty)."""
    if val is None or isinstance(val, (dict, list)):
        return None
    if isinstance(val, bool):
        return int(val)
    if isinstance(val, float) and not isfinite(val):
        return None
    if isinstance(val, str):
        return defang(val)
    return val


def wide_rows(patients: Iterator[PatientData], insts: Sequence[Instrument]
              ) -> Iterator[list[Any]]:
    w = WideWriter(insts)
    for pd in patients:
        yield from w.rows(pd)


def _write(path: Path, header: Sequence[str], rows: Iterator[Sequence[Any]]) -> int:
    with CsvOut(path, header) as out:
        for r in rows:
            out.write(r)
        return out.rows


def _item_lookup(inst: Instrument) -> dict[str, tuple[str, str, dict[int, str]]]:
    """item id -> (variable, English text, code -> English label), defanged once."""
    return {it.id: (item_variable(inst, it), defang(it.text.get(BASE_LANGUAGE, "")),
                    {o.code: defang(o.label[BASE_LANGUAGE])
                     for o in inst.options_for(it).options})
            for it in inst.items}


def _answer_rows(pd: PatientData, lookups: dict[str, dict[str, tuple[str, str, dict[int, str]]]]
                 ) -> Iterator[list[Any]]:
    """Rows of answers_long.csv as values (reference for :class:`AnswerLines`; ``pd`` read
    with datetimes, ``lean_answers=False``)."""
    sid = defang(pd.patient.subject_id)
    for vd, ad in pd.administrations:
        a = ad.adm
        lk = lookups.get(a.instrument_id, {})
        visit, inst_id, version = defang(vd.visit.code), defang(a.instrument_id), \
            defang(a.instrument_version)
        for ans in ad.answers:
            var, label, labels = lk.get(ans.item_id, (None, None, {}))
            yield [sid, visit, a.id, inst_id, version,
                   defang(ans.item_id), var, label, ans.status, ans.code,
                   labels.get(ans.code) if ans.code is not None else None, ans.skip_reason,
                   ans.answered_at.isoformat(), ans.saved_at.isoformat(), ans.change_count,
                   ans.ms_on_item]


def _int_text(v: Any) -> str:
    """A number cell as csv.writer writes it (ints are the common case)."""
    if v is None:
        return ""
    return str(v) if type(v) is int else render_fields([v])


class AnswerLines:
    """answers_long.csv as CSV text, the same bytes as :func:`_answer_rows` through csv.writer.

    1.8 M rows for 10 000 patients, so the constant parts are rendered once: the
    administration's columns per administration, and (item, variable, label, status, code,
    code label, skip reason) per distinct combination (a few hundred per instrument). Per
    answer only the two times (``iso_utc`` of the stored text) and two numbers are formatted.
    ``pd`` must be read with ``lean_answers=True`` (stored times).
    """

    def __init__(self, lookups: dict[str, dict[str, tuple[str, str, dict[int, str]]]]) -> None:
        self.lookups = lookups
        self.pieces: dict[tuple[str, str, str, int | None, str | None], str] = {}

    def _piece(self, key: tuple[str, str, str, int | None, str | None]) -> str:
        inst_id, item_id, status, code, reason = key
        var, label, labels = self.lookups.get(inst_id, {}).get(item_id, (None, None, {}))
        piece = render_fields([defang(item_id), var, label, status, code,
                               labels.get(code) if code is not None else None, reason])
        self.pieces[key] = piece
        return piece

    def text(self, pd: PatientData) -> tuple[str, int]:
        sid = defang(pd.patient.subject_id)
        lines: list[str] = []
        add = lines.append
        pieces = self.pieces
        times: dict[Any, str] = {}     # this patient's stored time -> ISO text

        def iso(value: Any) -> str:
            text = times[value] = iso_utc(value)  # type: ignore[assignment]
            return text
        for vd, ad in pd.administrations:
            a = ad.adm
            inst = a.instrument_id
            prefix = render_fields([sid, defang(vd.visit.code), a.id, defang(inst),
                                    defang(a.instrument_version)])
            for item, status, code, reason, answered, saved, cc, ms in map(
                    _fields_of(ad.answers, _ANSWER_LINE_FIELDS), ad.answers):
                key = (inst, item, status, code, reason)
                piece = pieces.get(key) or self._piece(key)
                add(f"{prefix},{piece},{times.get(answered) or iso(answered)},"
                    f"{times.get(saved) or iso(saved)},"
                    f"{cc if type(cc) is int else _int_text(cc)},"
                    f"{'' if ms is None else ms if type(ms) is int else _int_text(ms)}\r\n")
        return "".join(lines), len(lines)


def _score_cells(val: Any) -> tuple[Any, Any, Any]:
    """(value, level, detail_json) of a stored score value: numbers (flags 1/0) in ``value``,
    a text code (the CSC alert level) in ``level``, a structured supporting value (item
    changes, alert reasons) as JSON in ``detail_json`` -- one type per column (issue 17)."""
    if isinstance(val, (dict, list)):
        return None, None, defang(json.dumps(val, ensure_ascii=False, sort_keys=True))
    if isinstance(val, str):
        return None, defang(val) or None, None
    return _scalar(val), None, None


def _score_rows(pd: PatientData) -> Iterator[list[Any]]:
    """Rows of scores.csv as values (reference for :func:`score_text`)."""
    sid = defang(pd.patient.subject_id)
    for vd, ad in pd.administrations:
        visit, inst_id = defang(vd.visit.code), defang(ad.adm.instrument_id)
        for alg, sc in sorted(ad.scores.items()):
            computed, alg_, ver = iso(sc.computed_at), defang(alg), defang(sc.algorithm_version)
            for key, val in (sc.values or {}).items():
                yield [sid, visit, ad.adm.id, inst_id, alg_, ver,
                       defang(score_name(ad.adm.instrument_id, key)), *_score_cells(val),
                       computed]


def _value_text(val: Any) -> str:
    """The value, level and detail_json cells of a score value, as :func:`_score_rows` +
    csv.writer write them."""
    t = type(val)
    if t is float:
        return f"{repr(val)},," if isfinite(val) else ",,"
    if t is int:
        return f"{val},,"
    if val is None:
        return ",,"
    return render_fields(list(_score_cells(val)))


def score_text(pd: PatientData, keys: dict[tuple[str, str], str]) -> tuple[str, int]:
    """scores.csv rows of one patient as CSV text (same bytes as :func:`_score_rows` through
    csv.writer); ``keys`` caches the rendered score-name cells per (instrument, key)."""
    sid = defang(pd.patient.subject_id)
    lines: list[str] = []
    add = lines.append
    for vd, ad in pd.administrations:
        inst = ad.adm.instrument_id
        prefix = render_fields([sid, defang(vd.visit.code), ad.adm.id, defang(inst)])
        for alg, sc in sorted(ad.scores.items()):
            head = f"{prefix},{render_fields([defang(alg), defang(sc.algorithm_version)])}"
            tail = f",{render_fields([iso(sc.computed_at)])}\r\n"
            for key, val in (sc.values or {}).items():
                k = keys.get((inst, key))
                if k is None:
                    k = keys[(inst, key)] = render_fields([defang(score_name(inst, key))])
                add(f"{head},{k},"
                    f"{f'{val!r},,' if type(val) is float and isfinite(val) else _value_text(val)}"
                    f"{tail}")
    return "".join(lines), len(lines)


def export_csv(db: Database, out_dir: Path, insts: Sequence[Instrument], *,
               subject: str | None = None, since: datetime | None = None,
               batch: int | None = None) -> dict[str, int]:
    """Write the CSV folder; returns rows written per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    answer_lines = AnswerLines({i.id: _item_lookup(i) for i in insts})
    score_keys: dict[tuple[str, str], str] = {}
    site = study_site(current_protocol(db), None)[0]   # issue 17: the site column filled
    ww = WideWriter(insts, site)
    counts: dict[str, int] = {}
    wide = CsvOut(out_dir / "administrations_wide.csv", wide_header(insts))
    answers = CsvOut(out_dir / "answers_long.csv", ANSWER_COLUMNS)
    scores = CsvOut(out_dir / "scores.csv", SCORE_COLUMNS)
    clinical = CsvOut(out_dir / "clinical.csv", CLINICAL_COLUMNS)
    patient_filter: int | None = None
    try:
        for pd in iter_patients(db, subject=subject, since=since, lean_answers=True,
                                **({"batch": batch} if batch else {})):
            if subject is not None:
                patient_filter = pd.patient.id
            # hot loops: every text value is defanged where it is produced (write_trusted)
            for r in ww.rows(pd):
                wide.write_trusted(r)
            answers.write_text(*answer_lines.text(pd))
            scores.write_text(*score_text(pd, score_keys))
            for r in clinical_rows(pd):
                clinical.write(r)
    finally:
        for f in (wide, answers, scores, clinical):
            f.close()
            counts[f.path.name] = f.rows
    if subject is not None and patient_filter is None:
        patient_filter = -1  # unknown subject: no audit rows either
    counts["audit.csv"] = _write(out_dir / "audit.csv", AUDIT_COLUMNS,
                                 audit_rows(db, patient_id=patient_filter, since=since))
    enrolment = enrolment_records(db)                            # read once, written twice
    ds = build_dataset(db, enrolment=enrolment)                  # outcome files (issue 15)
    header = enrolment_header([(s, r) for s, r in enrolment if subject in (None, s)])

    def more(n_langs: int) -> Iterator[list[Any]]:     # every column of every file (issue 17)
        yield from long_file_rows(header, insts, n_langs)
        yield from outcome_dictionary_rows(ds, n_langs)
    counts["data_dictionary.csv"] = write_data_dictionary(out_dir / "data_dictionary.csv",
                                                          insts, more)
    counts.update(write_enrolment_files(db, out_dir, subject,    # screening at enrolment
                                        enrolment))
    counts.update(write_outcome_files(ds, out_dir, subject))
    return counts
