"""A page of answers (``record_answers``) through the batch path (``autosave.record_batch``):
the same answer rows and the SAME audit trail — every column, hash chain included — as the ORM
path saving the same answers one by one in one flush, with one INSERT and one audit executemany
instead of one of each per answer."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from forms.errors import UserError
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.clock import use_clock
from storage.db import Database
from storage.models import Answer, AuditEvent
from storage.services import autosave
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (at_kiosk, enrol, pg_template, sqlite_db,  # noqa: F401
                              sqlite_template, staff)
from test_storage_autosave import _Tick, _trail, _two_databases


def _scenario(db: Database) -> None:
    clock = _Tick()
    with use_clock(clock):
        v = enrol(db)
        nurse = staff(db, "nurse")
        adm = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id="rand36",
                                      language="en", station_id="K-1")
        me = at_kiosk(db, v.visit_id)
        sv.record_answers(db, me, adm, {"q1": 3, "q2": 1, "q3": 2})          # all new
        sv.skip_item(db, me, adm, "q5", "prefer_not_to_answer")
        # same again, new, changed (the new one before it is audited first), skipped ->
        # answered, new
        sv.record_answers(db, me, adm, {"q1": 3, "q4": 2, "q2": 4, "q5": 1, "q6": 3},
                          answered_at=clock.t - timedelta(seconds=1))
        sv.record_answers(db, nurse, adm, {"q7": 1})                # staff for the patient
        sv.mark_interrupted(db, me, adm)
        sv.record_answers(db, me, adm, {"q8": 1, "q9": 2})          # resumes (ORM path)
        sv.record_answers(db, me, adm, {"q8": 2, "q10": 1})         # batch path again


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_batch_writes_the_same_rows_and_audit_chain_as_the_orm_path(
        request, dialect, tmp_path, monkeypatch) -> None:
    batch, orm = _two_databases(request, dialect, tmp_path)
    try:
        used = []
        real = autosave.record_batch
        monkeypatch.setattr(autosave, "record_batch",
                            lambda *a: used.append(r := real(*a)) or r)
        _scenario(batch)
        assert used == [True, True, True, False, True]      # the batch path ran
        monkeypatch.setattr(autosave, "record_batch", lambda *a: False)
        _scenario(orm)
        got, want = _trail(batch), _trail(orm)
        assert len(want) > 30
        assert got == want                     # every column, hashes included
        actions = [r.action for r in _rows(batch) if r.entity == "answer"]
        assert actions.count("answer.change_before_submit") == 3   # q2, q5, q8
        assert verify_audit(batch).ok
    finally:
        batch.dispose()
        orm.dispose()


def _rows(db: Database) -> list:
    with db.session() as s:
        return list(s.execute(select(AuditEvent.action, AuditEvent.entity)
                              .order_by(AuditEvent.seq)))


def test_a_page_of_new_answers_is_one_insert_and_one_audit_insert(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    adm = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="rand36", language="en")
    me = at_kiosk(sqlite_db, v.visit_id)
    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_a) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split()[:3]).upper())

    event.listen(sqlite_db.engine, "before_cursor_execute", spy)
    try:
        sv.record_answers(sqlite_db, me, adm, {f"q{i}": 1 for i in range(1, 13)})
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", spy)
    writes = [w for w in seen if not w.startswith(("SELECT", "BEGIN"))]
    assert writes == ["INSERT INTO ANSWER", "INSERT INTO AUDIT_EVENT"]
    state = sv.administration_state(sqlite_db, adm)
    assert state.answers == {f"q{i}": 1 for i in range(1, 13)}
    with sqlite_db.session() as s:
        rows = list(s.execute(select(AuditEvent.entity_id, AuditEvent.changes)
                              .where(AuditEvent.entity == "answer").order_by(AuditEvent.seq)))
        ids = {item: i for item, i in s.execute(select(Answer.item_id, Answer.id))}
    assert [r.entity_id for r in rows] == [ids[f"q{i}"] for i in range(1, 13)]
    assert all(f'"item_id":[null,"q{i}"]' in r.changes for i, r in zip(range(1, 13), rows))
    assert verify_audit(sqlite_db).ok


def test_a_bad_code_in_a_page_saves_none_of_it(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    adm = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="rand36", language="en")
    me = at_kiosk(sqlite_db, v.visit_id)
    with pytest.raises(UserError, match="not a valid option"):
        sv.record_answers(sqlite_db, me, adm, {"q1": 1, "q2": 99})
    assert sv.administration_state(sqlite_db, adm).answers == {}


def test_the_chain_head_is_read_once_per_transaction(sqlite_db) -> None:  # noqa: F811
    """A page with a changed answer in the middle appends audit rows three times (new answers,
    the change, new answers) in one transaction: the head is read once, the chain verifies."""
    v = enrol(sqlite_db)
    adm = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="rand36", language="en")
    me = at_kiosk(sqlite_db, v.visit_id)
    sv.record_answers(sqlite_db, me, adm, {"q2": 1})
    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_a) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split()))

    event.listen(sqlite_db.engine, "before_cursor_execute", spy)
    try:
        sv.record_answers(sqlite_db, me, adm, {"q1": 1, "q2": 2, "q3": 1})
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", spy)
    assert sum(s.startswith("INSERT INTO audit_event") for s in seen) == 3
    assert sum(s.startswith("SELECT audit_event.seq") for s in seen) == 1
    assert sv.administration_state(sqlite_db, adm).answers == {"q1": 1, "q2": 2, "q3": 1}
    assert verify_audit(sqlite_db).ok
