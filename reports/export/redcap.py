"""REDCap data dictionary (``redcap_data_dictionary.csv``) and event names.

The 18 columns, in REDCap's order and spelling, are ``REDCAP_COLUMNS``. Forms: ``subject``
(record id and enrolment fields, baseline event), one form per instrument (items as radio fields,
grids as matrix groups with the stem as the matrix header, then the computed scores as read-only
number fields). Branching logic uses REDCap syntax: ``[csc_c2] >= 1``; a visit condition uses the
``[event-name]`` smart variable with the unique event names REDCap derives from the event labels
(``baseline`` -> ``baseline_arm_1``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping, Sequence

from forms.instrument import BASE_LANGUAGE, Condition, Instrument
from reports.export.csvsafe import write_csv
from reports.export.variables import item_variable, item_vars, safe_name, scores_for

REDCAP_COLUMNS: tuple[str, ...] = (
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name", "Matrix Ranking?",
    "Field Annotation",
)
RECORD_ID = "record_id"
SUBJECT_FORM = "subject"
# REDCap writes "not equal" as <>
_OPS = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "==": "=", "!=": "<>"}
COMPLETE_CODES = {"incomplete": 0, "unverified": 1, "complete": 2}


def event_name(visit_code: str, arm: int = 1) -> str:
    """REDCap's unique event name for an event labelled ``visit_code`` in arm ``arm``."""
    return f"{safe_name(visit_code)}_arm_{arm}"


def form_name(inst: Instrument | str) -> str:
    return safe_name(inst if isinstance(inst, str) else inst.id)


def choices(pairs: Sequence[tuple[object, str]]) -> str:
    """``1, Excellent | 2, Very good | …``"""
    return " | ".join(f"{c}, {lab}" for c, lab in pairs)


def branching(cond: Condition, inst: Instrument,
              visit_kinds: Mapping[str, Sequence[str]] | None = None) -> str:
    """REDCap branching logic; a condition on the visit's protocol kind becomes a test of the
    event names of the visits of that kind (``visit_kinds``: kind -> visit codes)."""
    op = _OPS[cond.op]
    if cond.item is not None:
        return f"[{item_variable(inst, cond.item)}] {op} {cond.value}"
    if cond.context == "visit":
        return f"[event-name] {op} '{event_name(str(cond.value))}'"
    if cond.context == "visit_kind" and cond.op in ("==", "!="):
        codes = (visit_kinds or {}).get(str(cond.value), ())
        join = " and " if cond.op == "!=" else " or "
        return join.join(f"[event-name] {op} '{event_name(c)}'" for c in codes)
    raise ValueError(f"no REDCap form for a condition on '{cond.context}'")


def _row(**kw: object) -> list[object]:
    keys = ("name", "form", "section", "type", "label", "choices", "note", "validation", "vmin",
            "vmax", "identifier", "branching", "required", "align", "qnum", "matrix",
            "ranking", "annotation")
    unknown = set(kw) - set(keys)
    assert not unknown, unknown
    return [kw.get(k, "") for k in keys]


def subject_rows() -> list[list[object]]:
    f = SUBJECT_FORM
    return [
        _row(name=RECORD_ID, form=f, type="text", label="Subject ID"),
        _row(name="arm", form=f, type="text", label="Treatment arm"),
        _row(name="sex", form=f, type="radio", label="Sex",
             choices=choices([("F", "Female"), ("M", "Male")])),
        _row(name="birth_year", form=f, type="text", label="Year of birth",
             validation="integer", vmin=1900, vmax=2100),
        _row(name="day1_date", form=f, type="text", label="Day 1 (first infusion) date",
             validation="date_ymd"),
        _row(name="consent_date", form=f, type="text", label="Informed consent date",
             validation="date_ymd"),
    ]


def instrument_rows(inst: Instrument, lang: str = BASE_LANGUAGE,
                    visit_kinds: Mapping[str, Sequence[str]] | None = None
                    ) -> Iterator[list[object]]:
    form = form_name(inst)
    previous_group: str | None = None
    for n, v in enumerate(item_vars(inst)):
        it = v.item
        rs = inst.options_for(it)
        section = ""
        if v.matrix_group and v.matrix_group != previous_group:
            # matrix header: the shared stem, or the block's introduction
            src = it.stem if it.stem else (inst.blocks[it.block].intro if it.block else None)
            section = (src or {}).get(lang) or (src or {}).get(BASE_LANGUAGE, "")
        elif n == 0:
            section = inst.intro.get(lang) or inst.intro.get(BASE_LANGUAGE, "")
        previous_group = v.matrix_group
        yield _row(
            name=v.name, form=form, section=section, type="radio", label=v.label(lang),
            choices=choices([(o.code, o.label.get(lang) or o.label[BASE_LANGUAGE])
                             for o in rs.options]),
            branching=branching(it.condition, inst, visit_kinds) if it.condition else "",
            qnum=it.number, matrix=v.matrix_group or "",
            annotation=f"ePRO Desk {inst.id} {inst.version} item {it.id}")
    for i, s in enumerate(scores_for(inst)):
        section = "Scores computed by ePRO Desk" if i == 0 else ""
        common = dict(name=s.name, form=form, section=section, label=s.label,
                      note=f"algorithm {s.algorithm}",
                      # an action tag may stand anywhere in the annotation; starting the cell
                      # with text keeps it from looking like a formula to a spreadsheet
                      annotation=f"Computed by ePRO Desk ({s.algorithm}) @READONLY")
        if s.type == "text":
            yield _row(type="dropdown", choices=choices(s.codes), **common)
        elif s.type == "boolean":
            yield _row(type="yesno", **common)
        else:
            yield _row(type="text", validation="integer" if s.type == "integer" else "number",
                       vmin="" if s.minimum is None else s.minimum,
                       vmax="" if s.maximum is None else s.maximum, **common)


CLINICAL_FORM = "clinical"
_VALIDATION = {"integer": "integer", "float": "number", "date": "date_ymd"}


def clinical_rows() -> Iterator[list[object]]:
    from reports.export.clinical_meta import CLINICAL_VARS
    for i, v in enumerate(CLINICAL_VARS):
        section = "Clinician assessment (entered by staff)" if i == 0 else ""
        if v.type == "boolean":          # import data 1/0 (redcap_data._fmt)
            yield _row(name=v.name, form=CLINICAL_FORM, type="yesno", label=v.label,
                       section=section)
        elif v.codes:
            yield _row(name=v.name, form=CLINICAL_FORM, type="dropdown", label=v.label,
                       choices=choices(v.codes), section=section)
        else:
            yield _row(name=v.name, form=CLINICAL_FORM,
                       type="notes" if v.name == "imaging" else "text", label=v.label,
                       validation=_VALIDATION.get(v.type, ""), section=section)


def dictionary_rows(insts: Sequence[Instrument],
                    visit_kinds: Mapping[str, Sequence[str]] | None = None
                    ) -> Iterator[list[object]]:
    yield from subject_rows()
    for inst in insts:
        yield from instrument_rows(inst, visit_kinds=visit_kinds)
    yield from clinical_rows()


def write_redcap_dictionary(path: Path | str, insts: Sequence[Instrument],
                            visit_kinds: Mapping[str, Sequence[str]] | None = None) -> int:
    """Write the REDCap data dictionary CSV; returns the number of fields. ``visit_kinds``
    (protocol kind -> visit codes) turns conditions on the visit kind into event tests."""
    return write_csv(path, REDCAP_COLUMNS, dictionary_rows(insts, visit_kinds))
