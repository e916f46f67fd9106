"""Where a questionnaire "not done" record is kept: the audit trail (no migration).

The ``administration`` table cannot hold it without a migration (its CHECK allows only
in_progress / submitted / interrupted / entered_in_error, and a row needs instrument text,
language and start time that a questionnaire never shown does not have). So, as the study
settings do (``storage.services.admin``), a record is an audit EVENT on the visit:

- ``questionnaire.not_done``: entity ``visit``, entity_id the visit id, the patient id, the
  reason (label and text) in ``reason``, and ``detail`` the canonical JSON
  ``{"instrument_id", "reason", "text"}`` (codes of ``forms.not_done``);
- ``questionnaire.not_done_withdrawn`` ("it is done after all"): the same entity, ``detail``
  ``{"instrument_id"}``, the staff's reason in ``reason``.

The current state of a (visit, questionnaire) is its LAST such event: not done after
``not_done``, nothing after ``withdrawn``. The rows are append-only, hash-chained and carry who,
role, station and UTC time: the record is its own audit trail. Reads use the audit table's
(entity, entity_id) or patient_id index. Only the services here and in
``storage.services.not_done`` write or read them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from forms.not_done import NotDone
from storage import audit
from storage.errors import ConflictError
from storage.models import AuditEvent

MARK, WITHDRAW = "questionnaire.not_done", "questionnaire.not_done_withdrawn"
ENTITY = "visit"


@dataclass(frozen=True)
class NotDoneRecord:
    """A questionnaire of a visit recorded not done, with who recorded it and when (UTC)."""
    visit_id: int
    instrument_id: str
    reason: str                 # forms.not_done.REASONS
    text: str
    recorded_at: datetime
    recorded_by: str            # user name
    patient_id: int | None = None

    @property
    def not_done(self) -> NotDone:
        return NotDone(self.instrument_id, self.reason, self.text)


def write_mark(s: Session, visit_id: int, nd: NotDone) -> None:
    """Audit event recording ``nd`` at the visit (the context's actor, patient and reason)."""
    audit.log_event(s, MARK, entity=ENTITY, entity_id=visit_id,
                    detail=json.dumps({"instrument_id": nd.instrument_id, "reason": nd.reason,
                                       "text": nd.text}, sort_keys=True, ensure_ascii=False))


def write_withdraw(s: Session, visit_id: int, instrument_id: str) -> None:
    """Audit event withdrawing the not-done record of ``instrument_id`` at the visit."""
    audit.log_event(s, WITHDRAW, entity=ENTITY, entity_id=visit_id,
                    detail=json.dumps({"instrument_id": instrument_id}, sort_keys=True))


def _fold(rows: Iterable) -> dict[int, dict[str, NotDoneRecord]]:  # noqa: ANN001
    """Rows (visit id, action, detail, at, user name, patient id) in sequence order -> the
    current records per visit and questionnaire (the last event of each decides)."""
    out: dict[int, dict[str, NotDoneRecord]] = {}
    for vid, action, detail, at, user, pid in rows:
        d = json.loads(detail or "{}")
        iid = d.get("instrument_id")
        if not iid:
            continue
        if action == MARK:
            out.setdefault(vid, {})[iid] = NotDoneRecord(
                vid, iid, d["reason"], d.get("text", ""), at, user or "", pid)
        else:
            out.get(vid, {}).pop(iid, None)
    return {v: recs for v, recs in out.items() if recs}


_COLUMNS = (AuditEvent.entity_id, AuditEvent.action, AuditEvent.detail, AuditEvent.at,
            AuditEvent.actor_username, AuditEvent.patient_id)


# built once: one visit's look-up runs on every start and submit (issue 16)
_OF_VISITS = select(AuditEvent.seq, *_COLUMNS).where(
    AuditEvent.entity == ENTITY, AuditEvent.entity_id.in_(bindparam("ids", expanding=True)),
    AuditEvent.action.in_((MARK, WITHDRAW)))


def not_done_by_visit(s: Session, visit_ids: Iterable[int]
                      ) -> dict[int, dict[str, NotDoneRecord]]:
    """visit id -> {instrument id: record} of the questionnaires recorded not done now."""
    ids = sorted(set(visit_ids))
    if not ids:
        return {}
    rows = []
    for k in range(0, len(ids), 500):
        rows += s.execute(_OF_VISITS, {"ids": ids[k:k + 500]}).all()
    rows.sort(key=lambda r: r[0])                      # sequence order across the chunks
    return _fold(r[1:] for r in rows)


def not_done_of_patients(s: Session, patient_ids: Iterable[int]
                         ) -> dict[int, dict[str, NotDoneRecord]]:
    """visit id -> {instrument id: record} for every visit of these patients (exports)."""
    ids = sorted(set(patient_ids))
    rows = []
    for k in range(0, len(ids), 500):
        rows += s.execute(select(AuditEvent.seq, *_COLUMNS).where(
            AuditEvent.patient_id.in_(ids[k:k + 500]), AuditEvent.entity == ENTITY,
            AuditEvent.action.in_((MARK, WITHDRAW)))).all()
    rows.sort(key=lambda r: r[0])
    return _fold(r[1:] for r in rows)


def not_done_ids(s: Session, visit_id: int) -> set[str]:
    """The questionnaires of one visit recorded not done now."""
    return set(not_done_by_visit(s, [visit_id]).get(visit_id, {}))


def refuse_not_done(s: Session, visit_id: int, instrument_id: str) -> None:
    """A questionnaire recorded not done at the visit is neither started nor resumed (nor
    answered: a paused one the kiosk offered before it was recorded)."""
    if instrument_id in not_done_ids(s, visit_id):
        raise ConflictError(f"{instrument_id} is recorded as not done at this visit; withdraw "
                            "that record first if the patient answers it after all.")


__all__ = ["ENTITY", "MARK", "NotDoneRecord", "WITHDRAW", "not_done_by_visit", "not_done_ids",
           "not_done_of_patients", "refuse_not_done", "write_mark", "write_withdraw"]
