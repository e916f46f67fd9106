"""Scores of a submitted administration, via the instrument registry (``forms.registry``): the
entry's scorer computes them, storage stores what it returns (one Score row per algorithm)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from forms import schedule as sched
from forms.alerts import AlertFinding
from forms.instrument_defs import InstrumentEntry
from forms.registry import registry
from storage import audit, patient_summary
from storage.clock import utcnow
from storage.models import Administration, Answer, Score, Visit
from storage.services.protocol_store import patient_protocol

_INSERT_IDS = insert(Score.__table__).returning(Score.__table__.c.algorithm_id,
                                                Score.__table__.c.id)
_FIELDS = audit.audited_columns(Score)


# built once (issue 16: a statement built per call cost more than running it)
_CODES = select(Answer.item_id, Answer.code).where(
    Answer.administration_id == bindparam("adm_id"))


def answer_codes(s: Session, administration_id: int) -> dict[str, int | None]:
    rows = s.execute(_CODES, {"adm_id": administration_id})
    return {item: code for item, code in rows}


def _submitted_at_visit(where) -> Any:  # noqa: ANN001
    """The id only: the scores need its answers (``answer_codes``), not an ORM object."""
    return (select(Administration.id).join(Visit, Visit.id == Administration.visit_id)
            .where(Visit.patient_id == bindparam("patient_id"), where,
                   Administration.instrument_id == bindparam("instrument_id"),
                   Administration.status == "submitted")
            .order_by(Visit.sequence.desc(), Administration.submitted_at.desc())
            .limit(1))


_BASELINE = _submitted_at_visit(Visit.code.in_(bindparam("codes", expanding=True)))
_PREVIOUS = _submitted_at_visit(Visit.sequence < bindparam("sequence"))


def _history(s: Session, adm: Administration) -> tuple[int | None, int | None]:
    """The ids of the patient's baseline and previous submitted administrations of the same
    instrument (either is None when it is this one or there is none)."""
    visit = s.get(Visit, adm.visit_id)
    assert visit is not None
    who = {"patient_id": visit.patient_id, "instrument_id": adm.instrument_id}
    codes = list(sched.baseline_codes(patient_protocol(s, visit.patient_id)))
    base = s.scalar(_BASELINE, {**who, "codes": codes}) if codes else None
    prev = s.scalar(_PREVIOUS, {**who, "sequence": visit.sequence})
    return (base if base != adm.id else None, prev if prev != adm.id else None)


@dataclass(frozen=True)
class _Inputs:
    """What an administration's scores and warning signs are computed from, read once."""
    entry: InstrumentEntry
    codes: dict[str, int | None]
    base: int | None = None               # administration ids
    prev: int | None = None
    base_codes: dict[str, int | None] | None = None
    prev_codes: dict[str, int | None] | None = None


def _read(s: Session, adm: Administration,
          codes: dict[str, int | None] | None = None) -> _Inputs | None:
    entry = registry().find(adm.instrument_id)
    if entry is None:
        return None
    if codes is None:
        codes = answer_codes(s, adm.id)
    if not entry.uses_history:
        return _Inputs(entry, codes)
    base, prev = _history(s, adm)
    return _Inputs(entry, codes, base, prev,
                   answer_codes(s, base) if base is not None else None,
                   answer_codes(s, prev) if prev is not None else None)


def _scores(i: _Inputs) -> dict[str, dict[str, Any]]:
    if not i.entry.uses_history:
        return i.entry.score(i.codes)
    out = i.entry.score(i.codes, baseline=i.base_codes, previous=i.prev_codes)
    for values in out.values():
        values["baseline_administration_id"] = i.base
        values["previous_administration_id"] = i.prev
    return out


def _findings(i: _Inputs) -> tuple[AlertFinding, ...]:
    return i.entry.alert_findings(i.codes, i.prev_codes)


def compute(s: Session, adm: Administration) -> dict[str, dict[str, Any]]:
    """algorithm id -> values for this administration (empty for unscored instruments)."""
    i = _read(s, adm)
    return _scores(i) if i is not None else {}


def findings(s: Session, adm: Administration) -> tuple[AlertFinding, ...]:
    """The warning signs of this administration: the instrument's alert rules over its answers
    (and the previous administration's, for rules comparing visits), as the scores use them."""
    i = _read(s, adm)
    return _findings(i) if i is not None else ()


def store(s: Session, adm: Administration) -> dict[str, Any]:
    """Compute and insert/update Score rows (audited); returns the flat values."""
    return store_with_findings(s, adm)[0]


def store_with_findings(s: Session, adm: Administration,
                        codes: dict[str, int | None] | None = None
                        ) -> tuple[dict[str, Any], tuple[AlertFinding, ...]]:
    """:func:`store` and :func:`findings` from one read of the answers and history (a submit
    and a correction need both). ``codes``: item id -> code of every stored answer row when
    the caller has them (a submit just wrote them), else they are read. New Score rows are
    one INSERT, audited as the flush listener would (``audit.append_many``)."""
    i = _read(s, adm, codes)
    flat: dict[str, Any] = {}
    if i is None:
        return flat, ()
    now = utcnow()
    existing = {sc.algorithm_id: sc for sc in
                s.scalars(select(Score).where(Score.administration_id == adm.id))}
    new = []
    for alg, values in _scores(i).items():
        flat.update(values)
        sc = existing.get(alg)
        if sc is None:
            new.append({"administration_id": adm.id, "algorithm_id": alg,
                        "algorithm_version": registry().algorithm_version(alg),
                        "values": values, "computed_at": now, "version_id": 1})
        elif sc.values != values:
            sc.values = values
            sc.computed_at = now
    if new:
        ids = dict(s.connection().execute(_INSERT_IDS, new).all())
        audit.append_many(s, [("score", ids[r["algorithm_id"]], "insert",
                               [(k, None, r[k]) for k in _FIELDS]) for r in new])
        patient_summary.note_written(s, administration_id=adm.id)
    return flat, _findings(i)


def stored_scores(s: Session, administration_id: int) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for sc in s.scalars(select(Score).where(Score.administration_id == administration_id)
                        .order_by(Score.algorithm_id)):
        flat.update(sc.values)
    return flat
