"""``clinical.csv`` of the CSV export: one row per stored clinical-assessment field.

Typed columns (issue 17: no column mixes numbers with text): ``value`` holds numbers only (lab
values as entered, grades, derived scores, flags as 1/0), ``text_value`` everything else (codes
such as the ascites grade or the vital status, formula ids, dates in ISO 8601). Labs keep the
unit as entered in ``unit`` and their canonical value in ``detail`` (JSON); the imaging numbers
carry their unit (cm, mm). Vital status and imaging, stored as JSON, are one row per part
(``vital_status.status``, ``vital_status.death_date``, ``imaging.liver_size_cm`` …), read with
the storage's own readers.
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Iterator

from forms.clinical_fields import IMAGING_NUMBERS
from reports.export.dictionary import columns
from reports.export.reader import PatientData
from storage.services.clinical import read_imaging, read_vital_status

CLINICAL_COLUMNS = columns("clinical.csv")
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


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


def typed(val: Any) -> tuple[Any, Any]:
    """(value, text_value) of a stored field value: a number (also a number stored as text, as
    lab values are, kept as written) or a flag goes to ``value``, anything else to
    ``text_value``."""
    if val is None or val == "":
        return None, None
    if isinstance(val, bool):
        return int(val), None
    if isinstance(val, (int, float)):
        return val, None
    if isinstance(val, date):
        return None, val.isoformat()
    text = str(val)
    if _NUMBER.fullmatch(text.strip()):
        return text.strip(), None
    return None, text


def _fields(c: Any) -> list[tuple[str, Any, Any, Any]]:
    fields: list[tuple[str, Any, Any, Any]] = [
        (name, getattr(c, name), None, None)
        for name in ("ascites", "encephalopathy", "dialysis", "child_pugh_variant")]
    vs = read_vital_status(c.vital_status)
    fields += [("vital_status.status", vs and vs.status, None, None),
               ("vital_status.death_date", vs and vs.death_date, None, None)]
    for key, val in read_imaging(c.imaging).items():
        unit = key.rsplit("_", 1)[1] if key in IMAGING_NUMBERS else None
        fields.append((f"imaging.{key}", val, unit, None))
    fields += _flatten("labs", c.labs or {})
    fields += _flatten("symptoms", c.symptom_grades or {})
    fields += _flatten("derived", c.derived or {})
    return fields


def clinical_rows(pd: PatientData) -> Iterator[list[Any]]:
    """Rows of one patient (text is defanged by ``CsvOut.write``)."""
    sid = pd.patient.subject_id
    for vd in pd.visits:
        c = vd.clinical
        if c is None:
            continue
        for f, val, unit, detail in _fields(c):
            yield [sid, vd.visit.code, c.id,
                   c.sample_date.isoformat() if c.sample_date else None, f, *typed(val),
                   unit or None, detail, c.entered_by,
                   c.entered_at.isoformat() if c.entered_at else None]
