"""Outcome data in the REDCap project (issue 15 item 4): the instruments, their place on the
events, and the import rows.

Instruments: ``disposition`` (the DM-like ``subjects.csv`` columns, on the first visit's event
with the subject form) and one per outcome form of ``forms.outcome_defs`` (imaging, hcc,
vital_status, early_termination, infusion as event instruments on every visit event; the
adverse events as a REPEATING instrument on the outcome log event). Every field comes from
``outcome_meta``: dates ``date_ymd`` (identifiers), times ``time``, numbers ``number`` /
``integer`` with the form's range, one code (and the CTCAE grade) → dropdown, several codes →
checkbox (import columns ``<field>___<code>`` = 1/0; all empty when none was given), codes made
REDCap-safe with ``rc_code``; a field asked only for some answers carries branching logic.

Rows: a record entered at a visit fills its form on that visit's event row (an unscheduled
visit: the instance of the repeating event); a record entered without a visit fills its
protocol visit's event (``outcome_meta.home_visits``: SCR, D1). Adverse events, and a record
whose event row already holds one of its form (two imaging records at one visit) or that has no
event, go to the outcome log as repeating instances (1, 2 … by record id per subject and
form); the ``<prefix>_visit`` field names the visit it was entered at.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Sequence

from forms.outcome_defs import FORMS
from forms.protocol import Arm
from reports.export.outcome_meta import (DISPOSITION_FORM, REPEATING_KIND, OutcomeVar,
                                         disposition_vars, outcome_vars, value_text)
from reports.export.redcap import choices, dict_row, event_name, rc_code
from reports.export.redcap_events import RedcapEvent

_VALIDATION = {"date": "date_ymd", "time": "time", "number": "number", "integer": "integer"}
Row = list[Any]


def _field_row(v: OutcomeVar, form: str, section: str = "") -> Row:
    common: dict[str, Any] = dict(
        name=v.name, form=form, section=section, label=v.label["en"],
        note=f"unit {v.unit}" if v.unit else "", identifier="y" if v.identifier else "",
        required="y" if v.required else "",
        branching=" or ".join(f"[{v.when[0]}] = '{rc_code(c)}'" for c in v.when[1])
        if v.when else "",
        # text first: a cell starting with @ would be quoted against formula injection
        annotation="Set by ePRO Desk @READONLY" if v.key in ("record", "visit") else "")
    if v.codes:
        return dict_row(type="checkbox" if v.type == "choices" else "dropdown",
                    choices=choices([(rc_code(c), lab["en"]) for c, lab in v.codes]), **common)
    if v.long_text:
        return dict_row(type="notes", **common)
    return dict_row(type="text", validation=_VALIDATION.get(v.type, ""),
                vmin="" if v.low is None else v.low, vmax="" if v.high is None else v.high,
                **common)


def dictionary_rows(arms: Sequence[Arm] = ()) -> Iterator[Row]:
    """The disposition form, then one instrument per outcome form."""
    for i, v in enumerate(disposition_vars()):
        yield _field_row(v, DISPOSITION_FORM,
                         "Disposition (derived by ePRO Desk from the outcome records)"
                         if i == 0 else "")
    for kind, form in FORMS.items():
        for i, v in enumerate(outcome_vars(kind, arms)):
            yield _field_row(v, kind, f"{form.label['en']} (entered by staff)" if i == 0 else "")


def _columns(v: OutcomeVar) -> list[str]:
    if v.type == "choices":
        return [f"{v.name}___{rc_code(c)}" for c, _ in v.codes]
    return [v.name]


def header(arms: Sequence[Arm] = ()) -> list[str]:
    cols = [c for v in disposition_vars() for c in _columns(v)] + [f"{DISPOSITION_FORM}_complete"]
    for kind in FORMS:
        cols += [c for v in outcome_vars(kind, arms) for c in _columns(v)]
        cols.append(f"{kind}_complete")
    return cols


def _fill(row: Row, index: Mapping[str, int], v: OutcomeVar, value: Any) -> None:
    if v.type == "choices":
        if not value:                # not asked (e.g. no criteria of a non-serious AE)
            return
        chosen = set(value)
        for c, _ in v.codes:
            row[index[f"{v.name}___{rc_code(c)}"]] = 1 if c in chosen else 0
        return
    text = value_text(v, value)
    if text is not None:
        row[index[v.name]] = rc_code(text) if v.codes else text


def fill_disposition(row: Row, index: Mapping[str, int], subject_row: Mapping[str, Any] | None
                     ) -> None:
    if subject_row is None:
        return
    for v in disposition_vars():
        _fill(row, index, v, subject_row.get(v.key))
    row[index[f"{DISPOSITION_FORM}_complete"]] = 2


def _fill_record(row: Row, index: Mapping[str, int], rec: Mapping[str, Any],
                 arms: Sequence[Arm]) -> None:
    kind = rec["kind"]
    values = {**rec, "record": rec["record_id"]}
    for v in outcome_vars(kind, arms):
        _fill(row, index, v, values.get(v.key))
    row[index[f"{kind}_complete"]] = 2


def place_records(subject: str, records: Iterable[Mapping[str, Any]], rows: dict[tuple, Row],
                  index: Mapping[str, int], events: Sequence[RedcapEvent],
                  homes: Mapping[str, str], event_of: Any, arms: Sequence[Arm] = ()
                  ) -> list[Row]:
    """Fill the subject's outcome records into ``rows`` ((event, instance) -> import row,
    created when missing) and return the outcome-log rows (repeating instances).
    ``records``: outcome rows of the dataset (``kind`` added), ``event_of``: visit code ->
    (unique event name, repeat instance)."""
    log = next((e for e in events if e.role == "log"), None)
    on_events = {e.unique: e for e in events}
    extra: list[Row] = []
    instances: dict[str, int] = {}

    def new_row(event: str, instrument: str | None, instance: int | None) -> Row:
        row: Row = [None] * len(index)
        row[0], row[1], row[2], row[3] = subject, event, instrument, instance
        return row

    for rec in sorted(records, key=lambda r: r["record_id"]):
        kind = rec["kind"]
        key = None
        if kind != REPEATING_KIND:
            if rec.get("visit"):
                key = event_of(rec["visit"])
            elif kind in homes:
                key = (event_name(homes[kind]), None)
            ev = on_events.get(key[0]) if key else None
            if ev is None or (ev.role == "outcome" and kind not in ev.outcome_kinds):
                key = None
        if key is not None:
            row = rows.setdefault(key, new_row(key[0], None, key[1]))
            if row[index[f"{kind}_complete"]] is None:
                _fill_record(row, index, rec, arms)
                continue
        if log is None:
            continue
        instances[kind] = instances.get(kind, 0) + 1
        row = new_row(log.unique, kind, instances[kind])
        _fill_record(row, index, rec, arms)
        extra.append(row)
    return extra


def event_map(events: Sequence[RedcapEvent], visit_forms: Sequence[str]) -> Iterator[tuple]:
    """(arm_num, unique_event_name, form) of every form on every event: ``visit_forms`` (the
    subject form first) on the app's visit events (the subject and disposition forms on the
    first only), the outcome forms as described above."""
    first = next((e for e in events if e.role == "visit"), None)
    subject_form, rest = visit_forms[0], visit_forms[1:]
    for e in events:
        if e.role == "visit":
            if e is first:
                yield 1, e.unique, subject_form
                yield 1, e.unique, DISPOSITION_FORM
            for f in rest:
                yield 1, e.unique, f
            for kind in FORMS:
                if kind != REPEATING_KIND:
                    yield 1, e.unique, kind
        elif e.role == "outcome":
            for kind in e.outcome_kinds:
                yield 1, e.unique, kind
        else:
            for kind in FORMS:
                yield 1, e.unique, kind


def repeating_rows(events: Sequence[RedcapEvent]) -> Iterator[tuple[str, str, str]]:
    """redcap_repeating_events.csv: the whole repeating event, and every outcome form on the
    outcome log as a repeating instrument."""
    for e in events:
        if e.repeating:
            yield e.unique, "", ""
        elif e.role == "log":
            for kind, form in FORMS.items():
                yield e.unique, kind, form.label["en"]
