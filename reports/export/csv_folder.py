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
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, Sequence

from sqlalchemy import select

from forms.instrument import BASE_LANGUAGE, Instrument
from reports.export.csvsafe import CsvOut, defang
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


class WideWriter:
    """Rows of administrations_wide.csv; header, column index and item lookups built once."""

    def __init__(self, insts: Sequence[Instrument]) -> None:
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
        sid, site = defang(p.subject_id), defang(pd.site_code)
        for vd, ad in pd.administrations:
            a, v = ad.adm, vd.visit
            row: list[Any] = [None] * self.n
            row[:len(ADMIN_COLUMNS)] = [
                sid, site, defang(v.code), iso(v.actual_date),
                _study_day(p.day1_date, v.actual_date), a.id, defang(a.instrument_id),
                defang(a.instrument_version), a.content_hash, defang(a.language), a.status,
                iso(a.started_at), iso(a.submitted_at), defang(a.station_id or "") or None,
                "participant" if a.originator == "patient" else f"proxy:{a.proxy_user_id}"]
            cols = self.items.get(a.instrument_id)
            if cols is not None:
                for ans in ad.answers:
                    col = cols.get(ans.item_id)
                    if col is not None and ans.status == "answered":
                        row[col] = ans.code
                values = ad.score_values()
                for col, key in self.scores[a.instrument_id]:
                    row[col] = _scalar(values.get(key))
                for alg, sc in ad.scores.items():
                    col = self.versions.get(alg)
                    if col is not None:
                        row[col] = defang(sc.algorithm_version)
            yield row


def _scalar(val: Any) -> Any:
    """A score value as a CSV-ready scalar (bool -> 1/0, text defanged, containers empty)."""
    if val is None or isinstance(val, (dict, list)):
        return None
    if isinstance(val, bool):
        return int(val)
    if isinstance(val, float) and not math.isfinite(val):
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


def _score_rows(pd: PatientData) -> Iterator[list[Any]]:
    sid = defang(pd.patient.subject_id)
    for vd, ad in pd.administrations:
        visit, inst_id = defang(vd.visit.code), defang(ad.adm.instrument_id)
        for alg, sc in sorted(ad.scores.items()):
            computed, alg_, ver = iso(sc.computed_at), defang(alg), defang(sc.algorithm_version)
            for key, val in (sc.values or {}).items():
                if isinstance(val, (dict, list)):
                    val = defang(json.dumps(val, ensure_ascii=False, sort_keys=True))
                else:
                    val = _scalar(val)
                yield [sid, visit, ad.adm.id, inst_id, alg_, ver, defang(key), val, computed]


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
               subject: str | None = None, since: datetime | None = None,
               batch: int | None = None) -> dict[str, int]:
    """Write the CSV folder; returns rows written per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lookups = {i.id: _item_lookup(i) for i in insts}
    ww = WideWriter(insts)
    counts: dict[str, int] = {}
    wide = CsvOut(out_dir / "administrations_wide.csv", wide_header(insts))
    answers = CsvOut(out_dir / "answers_long.csv", ANSWER_COLUMNS)
    scores = CsvOut(out_dir / "scores.csv", SCORE_COLUMNS)
    clinical = CsvOut(out_dir / "clinical.csv", CLINICAL_COLUMNS)
    patient_filter: int | None = None
    try:
        for pd in iter_patients(db, subject=subject, since=since,
                                **({"batch": batch} if batch else {})):
            if subject is not None:
                patient_filter = pd.patient.id
            # hot loops: every text value is defanged where it is produced (write_trusted)
            for r in ww.rows(pd):
                wide.write_trusted(r)
            for r in _answer_rows(pd, lookups):
                answers.write_trusted(r)
            for r in _score_rows(pd):
                scores.write_trusted(r)
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
