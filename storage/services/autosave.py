"""The kiosk's autosave of answers and skips, without ORM object loading (``record_answer``,
``record_answers``, ``skip_item``: :func:`skip_fast` as :func:`record_fast`).

The common case — an in-progress, unlocked administration of the acting patient — is written
with Core statements: one SELECT (administration + visit + the item's answer row), one INSERT
or optimistic-locking UPDATE of the answer, and the audit rows through
``audit.append_changes`` (the same row that the ORM flush listener writes;
the hash chain, BEGIN IMMEDIATE and one transaction are unchanged). A page of answers
(:func:`record_batch`) reads the administration and its answers once, inserts the new answers
with one multi-row INSERT and audits them with one ``audit.append_many`` (one chain-head read,
one executemany): the rows and audit rows the answers saved one by one in one flush give.
Every other case (missing, interrupted, submitted or locked administration, another patient's
administration) returns False before anything is written and the ORM path of
``administrations`` handles it, so errors and side effects (resume from interrupted) stay
exactly as before.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from forms.errors import UserError
from forms.instrument import Instrument, load_instrument
from forms.instrument_model import Item
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.models import Administration, Answer, Visit


def instrument_for(db: Database, instrument_id: str) -> Instrument:
    return load_instrument(instrument_id, db.instrument_dir)


def answer_times(answered_at: datetime | None) -> tuple[datetime, datetime]:
    """(answered_at, saved_at) of an answer saved now; a given time must be aware and past."""
    saved = utcnow()
    if answered_at is None:
        return saved, saved
    if answered_at.tzinfo is None or answered_at.utcoffset() is None:
        raise UserError("answered_at must be timezone-aware.")
    if answered_at > saved:
        raise UserError("answered_at lies in the future (check the station clock).")
    return answered_at, saved


def known_item(inst: Instrument, item_id: str) -> Item:
    """The instrument's item ``item_id``, or a UserError naming both."""
    try:
        return inst.item(item_id)
    except KeyError:
        raise UserError(f"{inst.id} has no item {item_id!r}.") from None


def validate_code(inst: Instrument, item_id: str, code: object) -> int:
    item = known_item(inst, item_id)
    if not isinstance(code, int) or isinstance(code, bool) or code not in \
            inst.options_for(item).codes:
        raise UserError(f"Answer code {code!r} is not a valid option for {inst.id} item "
                        f"{item_id}.")
    return code


def check_ms(ms_on_item: int | None) -> None:
    if ms_on_item is not None and (not isinstance(ms_on_item, int) or ms_on_item < 0):
        raise UserError("ms_on_item must be a non-negative integer.")


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
# RETURNING the item with the id: the rows come back in any order (a multi-row VALUES; with
# sort_by_parameter_order SQLite would get one INSERT per row), each is matched by its item
INSERT_IDS = insert(_N).returning(_N.c.item_id, _N.c.id)
_ADM = (select(_A.c.status.label("adm_status"), _A.c.instrument_id, _A.c.instrument_version,
               _A.c.visit_id, _V.c.patient_id, _V.c.locked_at)
        .join(_V, _V.c.id == _A.c.visit_id).where(_A.c.id == bindparam("adm_id")))
_ANSWERS = (select(_N.c.item_id, *(_N.c[k].label("ans_" + k) for k in _OLD))
            .where(_N.c.administration_id == bindparam("adm_id")))
_UPDATE = (update(_N).where(_N.c.id == bindparam("b_id"),
                            _N.c.version_id == bindparam("b_version"))
           .values(status=bindparam("b_status"), code=bindparam("b_code"),
                   skip_reason=bindparam("b_skip_reason"),
                   answered_at=bindparam("b_answered_at"), saved_at=bindparam("b_saved_at"),
                   change_count=bindparam("b_change_count"),
                   ms_on_item=bindparam("b_ms_on_item"),
                   version_id=bindparam("b_new_version")))


def _fast_case(r: Any, actor: Actor) -> bool:
    """The administration (row of ``_CONTEXT``/``_ADM``) takes answers on the fast path."""
    return r is not None and r.adm_status == "in_progress" and r.locked_at is None \
        and not (actor.kind == "patient" and (actor.patient_id, actor.visit_id)
                 != (r.patient_id, r.visit_id))


def _new_row(administration_id: int, r: Any, item_id: str, code: int, at: datetime,
             saved: datetime, ms_on_item: int | None) -> dict[str, Any]:
    return {"administration_id": administration_id, "instrument_id": r.instrument_id,
            "instrument_version": r.instrument_version, "item_id": item_id,
            "status": "answered", "code": code, "skip_reason": None, "answered_at": at,
            "saved_at": saved, "change_count": 0, "ms_on_item": ms_on_item, "version_id": 1}


def inserted(row: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(k, None, row[k]) for k in _FIELDS]


def _change(s: Session, conn: Connection, r: Any, code: int, at: datetime, saved: datetime,
            ms_on_item: int | None) -> None:
    """UPDATE the answer in ``r`` (``ans_*`` columns) to ``code`` with its version check, and
    audit it as a change before submit (as the ORM path does)."""
    changes = {"status": "answered", "code": code, "skip_reason": None, "answered_at": at,
               "saved_at": saved}
    if ms_on_item is not None:
        changes["ms_on_item"] = ms_on_item
    ctx = audit.context(s)
    assert ctx is not None
    action, ctx.action = ctx.action, "answer.change_before_submit"
    _update(s, conn, r, changes)
    ctx.action = action


def _update(s: Session, conn: Connection, r: Any, changes: dict[str, Any]) -> None:
    """UPDATE the answer in ``r`` (``ans_*`` columns) with ``changes`` (its change count + 1)
    under its version check, and audit it under the current action."""
    old = {k: getattr(r, "ans_" + k) for k in _OLD}
    new = {**old, **changes, "change_count": old["change_count"] + 1}
    params = {"b_" + k: new[k] for k in _OLD if k not in ("id", "version_id")}
    params.update(b_id=old["id"], b_version=old["version_id"],
                  b_new_version=old["version_id"] + 1)
    if conn.execute(_UPDATE, params).rowcount != 1:
        raise StaleDataError("answer changed concurrently")
    audit.append_changes(s, "answer", old["id"], "update",
                         [(k, old[k], new[k]) for k in _FIELDS if k in new])


def _fast_context(s: Session, conn: Connection, actor: Actor, administration_id: int,
                  item_id: str) -> Any:
    """The answer's context row when the fast path handles this call (the audit context then
    names the patient), else None. On PostgreSQL the audit chain's lock comes first, so the
    row's status and lock checks and the write are one step (``locks.hold_fresh``)."""
    audit.hold_chain(s)
    r = conn.execute(_CONTEXT, {"adm_id": administration_id, "item_id": item_id}).first()
    if not _fast_case(r, actor):
        return None
    ctx = audit.context(s)
    assert ctx is not None
    ctx.patient_id = r.patient_id
    return r


def skip_fast(s: Session, db: Database, actor: Actor, administration_id: int, item_id: str,
              reason: str) -> bool:
    """Record an explicit skip (``skip_item``) and return True, or return False (nothing done)
    when the ORM path must handle the call: the rows and audit rows it writes."""
    conn = s.connection()
    r = _fast_context(s, conn, actor, administration_id, item_id)
    if r is None:
        return False
    known_item(instrument_for(db, r.instrument_id), item_id)
    at, saved = answer_times(None)
    skipped = {"status": "skipped", "code": None, "skip_reason": reason, "answered_at": at,
               "saved_at": saved}
    if r.ans_id is None:
        new = {**_new_row(administration_id, r, item_id, 0, at, saved, None), **skipped}
        answer_id = conn.execute(_INSERT, new).inserted_primary_key[0]
        audit.append_changes(s, "answer", answer_id, "insert", inserted(new))
    elif not (r.ans_status == "skipped" and r.ans_skip_reason == reason):
        _update(s, conn, r, skipped)
    return True


def record_fast(s: Session, db: Database, actor: Actor, administration_id: int, item_id: str,
                code: object, answered_at: datetime | None, ms_on_item: int | None) -> bool:
    """Record the answer and return True, or return False (nothing done) when the ORM path
    must handle the call. Checks, in the ORM path's order: ms_on_item, code, times."""
    conn = s.connection()
    r = _fast_context(s, conn, actor, administration_id, item_id)
    if r is None:
        return False
    check_ms(ms_on_item)
    code = validate_code(instrument_for(db, r.instrument_id), item_id, code)
    at, saved = answer_times(answered_at)
    if r.ans_id is None:
        new = _new_row(administration_id, r, item_id, code, at, saved, ms_on_item)
        answer_id = conn.execute(_INSERT, new).inserted_primary_key[0]
        audit.append_changes(s, "answer", answer_id, "insert", inserted(new))
    elif not (r.ans_status == "answered" and r.ans_code == code):   # else: same answer again
        _change(s, conn, r, code, at, saved, ms_on_item)
    return True


def record_batch(s: Session, db: Database, actor: Actor, administration_id: int,
                 codes: dict[str, object], answered_at: datetime | None) -> bool:
    """Record several answers (in ``codes`` order) and return True, or return False (nothing
    done) when the ORM path must handle the call. New answers are written by one multi-row
    INSERT and audited by one ``append_many``; a changed answer first writes the new answers
    before it (their audit rows come first, as in the ORM path's flush), then its UPDATE."""
    conn = s.connection()
    r = conn.execute(_ADM, {"adm_id": administration_id}).first()
    if not _fast_case(r, actor):
        return False
    ctx = audit.context(s)
    assert ctx is not None
    ctx.patient_id = r.patient_id
    inst = instrument_for(db, r.instrument_id)
    existing = {a.item_id: a for a in conn.execute(_ANSWERS, {"adm_id": administration_id})}
    pending: list[dict[str, Any]] = []
    for item_id, code in codes.items():
        code = validate_code(inst, item_id, code)
        at, saved = answer_times(answered_at)
        old = existing.get(item_id)
        if old is None:
            pending.append(_new_row(administration_id, r, item_id, code, at, saved, None))
        elif not (old.ans_status == "answered" and old.ans_code == code):
            _insert_many(s, conn, pending)
            _change(s, conn, old, code, at, saved, None)
    _insert_many(s, conn, pending)
    return True


def _insert_many(s: Session, conn: Connection, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (one statement) and audit them in row order; empties ``rows``."""
    if not rows:
        return
    ids = {item: i for item, i in conn.execute(INSERT_IDS, rows)}
    audit.append_many(s, [("answer", ids[row["item_id"]], "insert", inserted(row))
                          for row in rows])
    rows.clear()
