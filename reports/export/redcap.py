"""REDCap data dictionary (``redcap_data_dictionary.csv``) and event names.

The 18 columns, in REDCap's order and spelling, are ``REDCAP_COLUMNS``. Forms: ``subject``
(record id and enrolment fields, baseline event), one form per instrument (items as radio fields,
grids as matrix groups with the stem as the matrix header, then the computed scores as read-only
number fields). Branching logic uses REDCap syntax: ``[csc_c2] >= 1``; a visit condition uses the
``[event-name]`` smart variable with the unique event names REDCap derives from the event labels
(``baseline`` -> ``baseline_arm_1``).

Subject and clinician fields come from ``clinical_meta``: a coded value is a dropdown whose
codes are REDCap-safe (``rc_code``: letters, digits, underscore; ``grade1-2`` -> ``grade1_2``),
numbers carry ``integer``/``number`` validation with the plausible range (a lab value as
entered: ``lab_range``), dates ``date_ymd``;
dates and the birth year are flagged as identifiers. The arm codes are the protocol's arms.
"""
from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from forms.instrument import BASE_LANGUAGE, Condition, Instrument
from forms.labs import ANALYTES
from forms.not_done import REASONS, reason_label
from forms.protocol import Arm
from reports.export.clinical_meta import CLINICAL_VARS, SUBJECT_VARS, FieldVar
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


_RC_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def rc_code(code: object) -> str:
    """A stored code as a REDCap choice code (letters, digits and underscores only)."""
    return _RC_UNSAFE.sub("_", str(code))


def event_name(visit_code: str, arm: int = 1) -> str:
    """REDCap's unique event name for an event labelled ``visit_code`` in arm ``arm``."""
    return f"{safe_name(visit_code)}_arm_{arm}"


def form_name(inst: Instrument | str) -> str:
    return safe_name(inst if isinstance(inst, str) else inst.id)


def nd_fields(inst: Instrument | str) -> tuple[str, str]:
    """The instrument form's "not done" fields: the reason (dropdown of ``forms.not_done``
    codes) and the staff's text."""
    form = form_name(inst)
    return f"{form}_nd_reason", f"{form}_nd_text"


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


def dict_row(**kw: object) -> list[object]:
    keys = ("name", "form", "section", "type", "label", "choices", "note", "validation", "vmin",
            "vmax", "identifier", "branching", "required", "align", "qnum", "matrix",
            "ranking", "annotation")
    unknown = set(kw) - set(keys)
    assert not unknown, unknown
    return [kw.get(k, "") for k in keys]


def field_row(v: FieldVar, form: str, section: str = "",
              codes: Sequence[tuple[str, str]] | None = None) -> list[object]:
    """One subject or clinician field: dropdown when coded, else validated text."""
    common: dict[str, Any] = dict(name=v.name, form=form, label=v.label, section=section,
                                  identifier="y" if v.identifier else "",
                                  note=f"unit {v.unit}" if v.unit else "")
    codes = v.codes if codes is None else codes
    if v.type == "boolean":          # import data 1/0 (redcap_data._fmt)
        return dict_row(type="yesno", **common)
    if codes:
        return dict_row(type="dropdown", choices=choices([(rc_code(c), lab) for c, lab in codes]),
                    **common)
    lo, hi = lab_range(v) or (v.minimum, v.maximum)
    return dict_row(type="text", validation=_VALIDATION.get(v.type, ""),
                vmin="" if lo is None else lo, vmax="" if hi is None else hi, **common)


def lab_range(v: FieldVar) -> tuple[str, str] | None:
    """A lab value's validation range as entered: ``forms.labs``' plausible range (canonical
    unit) in the smallest and the largest unit it may be entered in (bilirubin 0.1 mg/dL to
    80 mg/dL = 1368 umol/L); REDCap's min/max cannot depend on the unit field. None for a
    field that is not a lab value."""
    if v.path[0] != "labs" or v.path[-1] != "value" or v.path[1] not in ANALYTES:
        return None
    a = ANALYTES[v.path[1]]
    divisors = [d for _, d in a.divisors.values()]
    return (format((a.low * min(divisors)).normalize(), "f"),
            format((a.high * max(divisors)).normalize(), "f"))


def subject_rows(arms: Sequence[Arm] = ()) -> list[list[object]]:
    arm_codes = [(a.id, a.label.get(BASE_LANGUAGE, a.id)) for a in arms]
    return [dict_row(name=RECORD_ID, form=SUBJECT_FORM, type="text", label="Subject ID"),
            *[field_row(v, SUBJECT_FORM, codes=arm_codes if v.name == "arm" else None)
              for v in SUBJECT_VARS]]


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
        yield dict_row(
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
            yield dict_row(type="dropdown", choices=choices(s.codes), **common)
        elif s.type == "boolean":
            yield dict_row(type="yesno", **common)
        else:
            yield dict_row(type="text", validation="integer" if s.type == "integer" else "number",
                       vmin="" if s.minimum is None else s.minimum,
                       vmax="" if s.maximum is None else s.maximum, **common)
    reason, text = nd_fields(inst)
    yield dict_row(name=reason, form=form, section="Questionnaire not done (recorded by staff)",
                   type="dropdown", label="Reason the questionnaire was not done",
                   choices=choices([(rc_code(r), reason_label(r, lang)) for r in REASONS]),
                   annotation="ePRO Desk not-done record (CDISC QSREASND)")
    yield dict_row(name=text, form=form, type="text", label="Why not done (staff's words)",
                   branching=f"[{reason}] <> ''",
                   annotation="ePRO Desk not-done record: staff's text")


CLINICAL_FORM = "clinical"
_VALIDATION = {"integer": "integer", "float": "number", "date": "date_ymd"}


def clinical_rows() -> Iterator[list[object]]:
    for i, v in enumerate(CLINICAL_VARS):
        yield field_row(v, CLINICAL_FORM,
                        "Clinician assessment (entered by staff)" if i == 0 else "")


def dictionary_rows(insts: Sequence[Instrument],
                    visit_kinds: Mapping[str, Sequence[str]] | None = None,
                    arms: Sequence[Arm] = ()) -> Iterator[list[object]]:
    yield from subject_rows(arms)
    for inst in insts:
        yield from instrument_rows(inst, visit_kinds=visit_kinds)
    yield from clinical_rows()


def write_redcap_dictionary(path: Path | str, insts: Sequence[Instrument],
                            visit_kinds: Mapping[str, Sequence[str]] | None = None,
                            arms: Sequence[Arm] = (), more: Iterable[list[object]] = ()) -> int:
    """Write the REDCap data dictionary CSV; returns the number of fields. ``visit_kinds``
    (protocol kind -> visit codes) turns conditions on the visit kind into event tests;
    ``arms``: the protocol's arms (codes of the ``arm`` dropdown); ``more``: further rows (the
    outcome instruments, ``redcap_outcomes``)."""
    return write_csv(path, REDCAP_COLUMNS,
                     itertools.chain(dictionary_rows(insts, visit_kinds, arms), more))
