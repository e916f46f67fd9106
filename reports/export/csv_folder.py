"""``--format csv``: a folder of UTF-8-with-BOM CSV files for spreadsheet and stats users.

administrations_wide.csv  one row per administration: ids, visit, dates, status, language,
                          instrument version and hash, every item code of every instrument,
                          every score, and the algorithm version of each algorithm
answers_long.csv          one row per stored answer: code, label, status, skip reason, times
scores.csv                one row per score value: algorithm id and version, computed-at
clinical.csv              one row per clinical-assessment field (labs with units, grades,
                          derived Child-Pugh/MELD values with formula ids)
audit.csv                 the audit trail rows in sequence order (hash chain columns included)
data_dictionary.csv       every variable above with labels, codes and versions

Numbers are written as numbers at full precision; free text is defanged (csvsafe). Missing is an
empty cell, never 0. All times are UTC ISO 8601 with offset.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, Sequence

from sqlalchemy import select

from forms.instrument import BASE_LANGUAGE, Instrument
from reports.export.csvsafe import CsvOut
from reports.export.dictionary import ADMIN_COLUMNS, write_data_dictionary
from reports.export.reader import PatientData, iter_patients
from reports.export.scoredefs import algorithm_version_column, algorithms
from reports.export.variables import item_variable, scores_for
from storage.db import Database
from storage.models import AuditEvent

FILES = ("administrations_wide.csv", "answers_long.csv", "scores.csv", "clinical.csv",
         "audit.csv", "data_dictionary.csv")
ANSWER_COLUMNS = ("subject_id", "visit", "administration_id", "instrument",
                  "instrument_version", "item", "variable", "label", "status", "code",
                  "code_label", "skip_reason", "answered_at_utc", "saved_at_utc",
                  "change_count", "ms_on_item")
SCORE_COLUMNS = ("subject_id", "visit", "administration_id", "instrument", "algorithm",
                 "algorithm_version", "score", "value", "computed_at_utc")
CLINICAL_COLUMNS = ("subject_id", "visit", "assessment_id", "sample_date", "field", "value",
                    "unit", "detail", "entered_by_user_id", "entered_at_utc")
AUDIT_COLUMNS = ("seq", "at_utc", "action", "operation", "entity", "entity_id", "field",
                 "old_value", "new_value", "reason", "actor_kind", "actor_user_id",
                 "actor_username", "actor_role", "station_id", "patient_id", "prev_hash",
                 "row_hash")


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


def wide_rows(patients: Iterator[PatientData], insts: Sequence[Instrument]
              ) -> Iterator[list[Any]]:
    header = wide_header(insts)
    index = {c: i for i, c in enumerate(header)}
    by_id = {i.id: i for i in insts}
    for pd in patients:
        p = pd.patient
        for vd, ad in pd.administrations:
            a, v = ad.adm, vd.visit
            row: list[Any] = [None] * len(header)
            row[:len(ADMIN_COLUMNS)] = [
                p.subject_id, pd.site_code, v.code, iso(v.actual_date),
                _study_day(p.day1_date, v.actual_date), a.id, a.instrument_id,
                a.instrument_version, a.content_hash, a.language, a.status, iso(a.started_at),
                iso(a.submitted_at), a.station_id,
                "participant" if a.originator == "patient" else f"proxy:{a.proxy_user_id}"]
            inst = by_id.get(a.instrument_id)
            if inst is not None:
                for ans in ad.answers:
                    col = index.get(item_variable(inst, ans.item_id))
                    if col is not None and ans.status == "answered":
                        row[col] = ans.code
                values = ad.score_values()
                for s in scores_for(inst):
                    val = values.get(s.key)
                    row[index[s.name]] = val if not isinstance(val, (dict, list)) else None
                for alg, sc in ad.scores.items():
                    col = index.get(algorithm_version_column(alg))
                    if col is not None:
                        row[col] = sc.algorithm_version
            yield row


def _write(path: Path, header: Sequence[str], rows: Iterator[Sequence[Any]]) -> int:
    with CsvOut(path, header) as out:
        for r in rows:
            out.write(r)
        return out.rows


def _answer_rows(pd: PatientData, by_id: dict[str, Instrument]) -> Iterator[list[Any]]:
    for vd, ad in pd.administrations:
        a = ad.adm
        inst = by_id.get(a.instrument_id)
        for ans in ad.answers:
            label = var = code_label = None
            if inst is not None and ans.item_id in inst.item_ids:
                it = inst.item(ans.item_id)
                var, label = item_variable(inst, it), it.text.get(BASE_LANGUAGE)
                if ans.code is not None:
                    code_label = inst.options_for(it).label(ans.code)
            yield [pd.patient.subject_id, vd.visit.code, a.id, a.instrument_id,
                   a.instrument_version, ans.item_id, var, label, ans.status, ans.code,
                   code_label, ans.skip_reason, iso(ans.answered_at), iso(ans.saved_at),
                   ans.change_count, ans.ms_on_item]


def _score_rows(pd: PatientData) -> Iterator[list[Any]]:
    for vd, ad in pd.administrations:
        for alg, sc in sorted(ad.scores.items()):
            for key, val in (sc.values or {}).items():
                if isinstance(val, (dict, list)):
                    val = json.dumps(val, ensure_ascii=False, sort_keys=True)
                yield [pd.patient.subject_id, vd.visit.code, ad.adm.id, ad.adm.instrument_id,
                       alg, sc.algorithm_version, key, val, iso(sc.computed_at)]


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any, Any, Any]]:
    """(field, value, unit, detail) rows of a JSON value; {"value", "unit"} dicts stay one row."""
    if isinstance(value, dict):
        if "value" in value:
            rest = {k: v for k, v in value.items() if k not in ("value", "unit")}
            yield (prefix, value.get("value"), value.get("unit"),
                   json.dumps(rest, ensure_ascii=False, sort_keys=True) if rest else None)
            return
        for k, v in value.items():
            yield from _flatten(f"{prefix}.{k}" if prefix else str(k), v)
    elif isinstance(value, list):
        yield (prefix, json.dumps(value, ensure_ascii=False), None, None)
    else:
        yield (prefix, value, None, None)


def _clinical_rows(pd: PatientData) -> Iterator[list[Any]]:
    for vd in pd.visits:
        c = vd.clinical
        if c is None:
            continue
        fields: list[tuple[str, Any, Any, Any]] = []
        for name in ("ascites", "encephalopathy", "vital_status", "imaging"):
            fields.append((name, getattr(c, name), None, None))
        fields += _flatten("labs", c.labs or {})
        fields += _flatten("symptoms", c.symptom_grades or {})
        fields += _flatten("derived", c.derived or {})
        for f, val, unit, detail in fields:
            if isinstance(val, bool):
                val = int(val)
            yield [pd.patient.subject_id, vd.visit.code, c.id, iso(c.sample_date), f, val, unit,
                   detail, c.entered_by, iso(c.entered_at)]


def audit_rows(db: Database, *, patient_id: int | None = None,
               since: datetime | None = None, page: int = 5000) -> Iterator[list[Any]]:
    """Audit trail in seq order, read in pages of ``page`` rows (keyset on ``seq``), each page in
    its own short transaction so a long export never holds the database."""
    cols = [getattr(AuditEvent, c if c != "at_utc" else "at") for c in AUDIT_COLUMNS]
    last = 0
    while True:
        q = select(*cols).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(page)
        if patient_id is not None:
            q = q.where(AuditEvent.patient_id == patient_id)
        if since is not None:
            q = q.where(AuditEvent.at >= since)
        with db.session() as s:
            rows = [list(r) for r in s.execute(q)]
        for row in rows:
            row[1] = iso(row[1])
            yield row
        if len(rows) < page:
            return
        last = rows[-1][0]


def export_csv(db: Database, out_dir: Path, insts: Sequence[Instrument], *,
               subject: str | None = None, since: datetime | None = None) -> dict[str, int]:
    """Write the CSV folder; returns rows written per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    by_id = {i.id: i for i in insts}
    counts: dict[str, int] = {}
    wide = CsvOut(out_dir / "administrations_wide.csv", wide_header(insts))
    answers = CsvOut(out_dir / "answers_long.csv", ANSWER_COLUMNS)
    scores = CsvOut(out_dir / "scores.csv", SCORE_COLUMNS)
    clinical = CsvOut(out_dir / "clinical.csv", CLINICAL_COLUMNS)
    patient_filter: int | None = None
    try:
        for pd in iter_patients(db, subject=subject, since=since):
            if subject is not None:
                patient_filter = pd.patient.id
            for r in wide_rows(iter([pd]), insts):
                wide.write(r)
            for r in _answer_rows(pd, by_id):
                answers.write(r)
            for r in _score_rows(pd):
                scores.write(r)
            for r in _clinical_rows(pd):
                clinical.write(r)
    finally:
        for f in (wide, answers, scores, clinical):
            f.close()
            counts[f.path.name] = f.rows
    if subject is not None and patient_filter is None:
        patient_filter = -1  # unknown subject: no audit rows either
    counts["audit.csv"] = _write(out_dir / "audit.csv", AUDIT_COLUMNS,
                                 audit_rows(db, patient_id=patient_filter, since=since))
    counts["data_dictionary.csv"] = write_data_dictionary(out_dir / "data_dictionary.csv", insts)
    return counts
