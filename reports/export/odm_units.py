"""ODM MeasurementUnits: the units a number of the export may be in (labs: every unit
``forms.labs`` accepts, the entered one rides on each value; fixed units of the clinician and
outcome forms), and their OIDs."""
from __future__ import annotations

from forms.labs import UNIT_CHOICES
from reports.export.clinical_meta import CLINICAL_VARS, LABS, SUBJECT_VARS, FieldVar
from reports.export.outcome_meta import measurement_units as outcome_units
from reports.export.variables import safe_name


def unit_oid(unit: str) -> str:
    return f"MU.{safe_name(unit.replace('^', '_'))}"


def field_units(v: FieldVar) -> list[str]:
    """Units a subject/clinician number may be in: a lab value in any unit ``forms.labs``
    accepts (the one entered rides on its ItemData), else its fixed unit."""
    if v.name.startswith("lab_") and v.name[4:] in LABS:
        return [u for u in UNIT_CHOICES[v.name[4:]] if u]
    return [v.unit] if v.unit else []


def measurement_units() -> list[str]:
    out: dict[str, None] = {}
    for v in (*SUBJECT_VARS, *CLINICAL_VARS):
        for u in field_units(v):
            out.setdefault(u)
    for u in outcome_units():
        out.setdefault(u)
    return list(out)
