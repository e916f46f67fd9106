"""The kiosk's autosave of one answer, without ORM object loading (``record_answer``).

The common case — an in-progress, unlocked administration of the acting patient — is written
with Core statements: one SELECT (administration + visit + the item's answer row), one INSERT
or optimistic-locking UPDATE of the answer, and the audit rows through
``audit.append_changes`` (the same row that the ORM flush listener writes;
the hash chain, BEGIN IMMEDIATE and one transaction are unchanged). Every other case
(missing, interrupted, submitted or locked administration, another patient's administration)
returns False before anything is written and the ORM path of ``administrations`` handles it,
so errors and side effects (resume from interrupted) stay exactly as before.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from forms.errors import UserError
from storage import audit
from storage.actors import Actor
from storage.db import Database
from storage.models import Administration, Answer, Visit

_A, _V, _N = Administration.__table__, Visit.__table__, Answer.__table__
_FIELDS = audit.audited_columns(Answer)        # audited columns, in mapper (column) order
_OLD = ("id", "status", "code", "skip_reason", "answered_at", "saved_at", "change_count",
        "ms_on_item", "version_id")

_CONTEXT = (
    select(_A.c.status.label("adm_status"), _A.c.instrument_id, _A.c.instrument_version,
           _A.c.visit_id, _V.c.patient_id, _V.c.locked_at,
           *(_N.c[k].label("ans_" + k) for k in _OLD))
    .join(_V, _V.c.id == _A.c.visit_id)
    .outerjoin(_N, and_(_N.c.administration_id == _A.c.id,
                        _N.c.item_id == bindparam("item_id")))
    .where(_A.c.id == bindparam("adm_id")))
_INSERT = insert(_N)
_UPDATE = (update(_N).where(_N.c.id == bindparam("b_id"),
                            _N.c.version_id == bindparam("b_version"))
           .values(status=bindparam("b_status"), code=bindparam("b_code"),
                   skip_reason=bindparam("b_skip_reason"),
                   answered_at=bindparam("b_answered_at"), saved_at=bindparam("b_saved_at"),
                   change_count=bindparam("b_change_count"),
                   ms_on_item=bindparam("b_ms_on_item"),
                   version_id=bindparam("b_new_version")))


def record_fast(s: Session, db: Database, actor: Actor, administration_id: int, item_id: str,
                code: object, answered_at: datetime | None, ms_on_item: int | None) -> bool:
    """Record the answer and return True, or return False (nothing done) when the ORM path
    must handle the call. Checks, in the ORM path's order: ms_on_item, code, times."""
    from storage.services.administrations import _times, instrument_for, validate_code
    conn = s.connection()
    r = conn.execute(_CONTEXT, {"adm_id": administration_id, "item_id": item_id}).first()
    if r is None or r.adm_status != "in_progress" or r.locked_at is not None \
            or (actor.kind == "patient" and (actor.patient_id, actor.visit_id)
                != (r.patient_id, r.visit_id)):
        return False
    ctx = audit.context(s)
    assert ctx is not None
    ctx.patient_id = r.patient_id
    if ms_on_item is not None and (not isinstance(ms_on_item, int) or ms_on_item < 0):
        raise UserError("ms_on_item must be a non-negative integer.")
    code = validate_code(instrument_for(db, r.instrument_id), item_id, code)
    at, saved = _times(answered_at)
    if r.ans_id is None:
        new = {"administration_id": administration_id, "instrument_id": r.instrument_id,
               "instrument_version": r.instrument_version, "item_id": item_id,
               "status": "answered", "code": code, "skip_reason": None, "answered_at": at,
               "saved_at": saved, "change_count": 0, "ms_on_item": ms_on_item,
               "version_id": 1}
        answer_id = conn.execute(_INSERT, new).inserted_primary_key[0]
        audit.append_changes(s, "answer", answer_id, "insert",
                             [(k, None, new[k]) for k in _FIELDS])
        return True
    if r.ans_status == "answered" and r.ans_code == code:
        return True                                  # same answer again: nothing to do
    old = {k: getattr(r, "ans_" + k) for k in _OLD}
    new = {**old, "status": "answered", "code": code, "skip_reason": None,
           "change_count": old["change_count"] + 1, "answered_at": at, "saved_at": saved}
    if ms_on_item is not None:
        new["ms_on_item"] = ms_on_item
    params = {"b_" + k: new[k] for k in _OLD if k not in ("id", "version_id")}
    params.update(b_id=old["id"], b_version=old["version_id"],
                  b_new_version=old["version_id"] + 1)
    if conn.execute(_UPDATE, params).rowcount != 1:
        raise StaleDataError("answer changed concurrently")
    ctx.action = "answer.change_before_submit"
    audit.append_changes(s, "answer", old["id"], "update",
                         [(k, old[k], new[k]) for k in _FIELDS if k in new])
    ctx.action = "answer.record"
    return True
