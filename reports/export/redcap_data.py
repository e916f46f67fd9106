"""``--format redcap``: a folder ready for a longitudinal REDCap project.

redcap_data_dictionary.csv         the 18-column dictionary (``redcap``)
redcap_events.csv                  the events with day offsets and windows (``redcap_events``)
redcap_repeating_events.csv        the repeating event (unscheduled visits; whole event) and
                                   the outcome forms repeating on the outcome log event
redcap_instrument_event_map.csv    arm_num, unique_event_name, form (every instrument and the
                                   clinical form on every visit event; outcome forms as
                                   ``redcap_outcomes`` places them)
redcap_import.csv                  one row per subject and event (instance): record_id,
                                   redcap_event_name, redcap_repeat_instrument (empty, but the
                                   outcome form of an outcome-log row), redcap_repeat_instance
                                   (the n of ``UNSn``; the instance of an outcome-log row),
                                   every field, ``<form>_complete``

A questionnaire recorded not done at a visit fills the form's ``<form>_nd_reason`` (the
``forms.not_done`` code) and ``<form>_nd_text`` on the visit's event row, ``_complete`` 0
Incomplete (REDCap's status of a form without its data).

REDCap keeps one instance of a form per event, so per visit and instrument the submitted
administration is exported (else the latest unfinished one, with ``_complete`` = 0 Incomplete);
entered-in-error administrations are left out (they are in the CSV and ODM exports).
``_complete``: 2 Complete for submitted, 0 Incomplete otherwise. Dates are Y-M-D.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, Sequence

from forms.instrument import Instrument
from forms.protocol import Arm
from reports.export import redcap_outcomes as RO
from reports.export.clinical_meta import CLINICAL_VARS, SUBJECT_VARS, FieldVar
from reports.export.csvsafe import CsvOut
from reports.export.reader import AdminData, PatientData, iter_patients, study_info
from reports.export.redcap import (CLINICAL_FORM, RECORD_ID, SUBJECT_FORM, form_name,
                                   nd_fields, rc_code, write_redcap_dictionary)
from reports.export.outcome_data import Outcomes, read_outcomes
from reports.export.redcap_events import (EVENTS_COLUMNS, REPEATING_COLUMNS, RedcapEvent,
                                          event_of, redcap_events)
from reports.export.scoredefs import score_defs
from reports.export.variables import item_variable
from storage.services.protocol_store import current_protocol

SYSTEM_FIELDS = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")


def import_header(insts: Sequence[Instrument], arms: Sequence[Arm] = ()) -> list[str]:
    cols = [RECORD_ID, *SYSTEM_FIELDS, *[v.name for v in SUBJECT_VARS],
            f"{SUBJECT_FORM}_complete"]
    for inst in insts:
        cols += [item_variable(inst, it) for it in inst.items]
        cols += [s.name for s in score_defs(inst.id)]
        cols += nd_fields(inst)
        cols.append(f"{form_name(inst)}_complete")
    cols += [v.name for v in CLINICAL_VARS] + [f"{CLINICAL_FORM}_complete"]
    return cols + RO.header(arms)


def _pick(ads: list[AdminData]) -> AdminData | None:
    live = [a for a in ads if a.adm.status != "entered_in_error"]
    done = [a for a in live if a.adm.status == "submitted"]
    return (done or live or [None])[-1]


def _fmt(v: Any, var: FieldVar | None = None) -> Any:
    if var is not None and var.codes and v is not None and v != "":
        return rc_code(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()[:10]
    if isinstance(v, bool):
        return int(v)
    return v


def import_rows(pd: PatientData, insts: Sequence[Instrument], header: list[str],
                events: Sequence[RedcapEvent] = (), outcomes: Outcomes | None = None
                ) -> Iterator[list[Any]]:
    index = {c: i for i, c in enumerate(header)}
    p = pd.patient
    rows: dict[tuple[str, int | None], list[Any]] = {}
    for vd in pd.visits:
        row: list[Any] = [None] * len(header)
        row[0] = p.subject_id
        row[1], row[3] = event_of(vd.visit.code, events)
        filled = False
        if vd.visit.sequence == 1:   # the subject form lives on the first (baseline) event
            for v in SUBJECT_VARS:
                row[index[v.name]] = _fmt(v.get(p), v)
            row[index[f"{SUBJECT_FORM}_complete"]] = 2
            if outcomes is not None:
                RO.fill_disposition(row, index, outcomes.subjects.get(p.subject_id))
            filled = True
        for inst in insts:
            nd = vd.not_done.get(inst.id)
            if nd is not None:                # recorded not done: reason, text, Incomplete
                filled = True
                reason, text = nd_fields(inst)
                row[index[reason]], row[index[text]] = rc_code(nd.reason), nd.text or None
                row[index[f"{form_name(inst)}_complete"]] = 0
            ad = _pick([a for a in vd.administrations if a.adm.instrument_id == inst.id])
            if ad is None:
                continue
            filled = True
            for ans in ad.answers:
                col = index.get(item_variable(inst, ans.item_id))
                if col is not None and ans.status == "answered":
                    row[col] = ans.code
            values = ad.score_values()
            for s in score_defs(inst.id):
                val = values.get(s.key)
                if not isinstance(val, (dict, list)) and val != "":
                    row[index[s.name]] = _fmt(val)
            row[index[f"{form_name(inst)}_complete"]] = 2 if ad.adm.status == "submitted" else 0
        if vd.clinical is not None:
            filled = True
            for v in CLINICAL_VARS:
                val = v.get(vd.clinical)
                row[index[v.name]] = None if isinstance(val, (dict, list)) else _fmt(val, v)
            row[index[f"{CLINICAL_FORM}_complete"]] = 2
        if filled:
            rows[(row[1], row[3])] = row
    yield from outcome_rows(p.subject_id, rows, header, events, outcomes)


def outcome_rows(subject: str, rows: dict[tuple[str, int | None], list[Any]],
                 header: list[str], events: Sequence[RedcapEvent],
                 outcomes: Outcomes | None) -> Iterator[list[Any]]:
    """The subject's event rows with its outcome records filled in, then its outcome-log rows
    (``redcap_outcomes.place_records``)."""
    log: list[list[Any]] = []
    if outcomes is not None:
        index = {c: i for i, c in enumerate(header)}
        log = RO.place_records(subject, outcomes.records.get(subject, ()), rows, index, events,
                               outcomes.homes, lambda code: event_of(code, events),
                               outcomes.arms)
    yield from rows.values()
    yield from log


def export_redcap(db, out_dir: Path, insts: Sequence[Instrument], *,  # noqa: ANN001
                  subject: str | None = None, since: datetime | None = None
                  ) -> tuple[list[Path], dict[str, int]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    dd, ev, rep, emap, data = (
        out_dir / "redcap_data_dictionary.csv", out_dir / "redcap_events.csv",
        out_dir / "redcap_repeating_events.csv", out_dir / "redcap_instrument_event_map.csv",
        out_dir / "redcap_import.csv")
    with db.session() as s:
        info = study_info(s)
    protocol = current_protocol(db)
    events = redcap_events(info.schedule, info.visit_kinds, protocol)
    counts = {dd.name: write_redcap_dictionary(dd, insts, info.visit_kinds, protocol.arms,
                                               RO.dictionary_rows(protocol.arms))}
    with CsvOut(ev, EVENTS_COLUMNS) as out:
        for e in events:
            out.write(e.row())
        counts[ev.name] = out.rows
    with CsvOut(rep, REPEATING_COLUMNS) as out:
        for r in RO.repeating_rows(events):
            out.write(r)
        counts[rep.name] = out.rows
    with CsvOut(emap, ("arm_num", "unique_event_name", "form")) as out:
        for r in RO.event_map(events, [SUBJECT_FORM, *map(form_name, insts), CLINICAL_FORM]):
            out.write(r)
        counts[emap.name] = out.rows
    header = import_header(insts, protocol.arms)
    outcomes = read_outcomes(db, [v.code for v in info.schedule], subject=subject, since=since)
    with CsvOut(data, header) as out:
        seen = set()
        for pd in iter_patients(db, subject=subject, since=since):
            seen.add(pd.patient.subject_id)
            for r in import_rows(pd, insts, header, events, outcomes):
                out.write(r)
        for sid in sorted(set(outcomes.records) - seen):   # outcome records only (--since)
            for r in outcome_rows(sid, {}, header, events, outcomes):
                out.write(r)
        counts[data.name] = out.rows
    return [dd, ev, rep, emap, data], counts
