"""A questionnaire's start and submit write their rows with Core statements
(``storage.services.administration_rows``, issue 16): the submit writes the SAME rows and the
SAME audit trail — every column, the hash chain included — as its ORM path
(``administrations._submit_orm``) on the same scenario; every stored value equals its last
audited value (``verify_audit``), also the administration a start inserted and the visit it set
in progress; the submit's Core rows are audited in the same append as the visit's changes."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forms import csc
from forms.errors import UserError
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.clock import use_clock
from storage.db import Database
from storage.models import Administration, AuditEvent, Score
from storage.services import administrations, autosave
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (at_kiosk, enrol, pg_template, sqlite_db,  # noqa: F401
                              sqlite_template, staff)
from test_storage_autosave import _Tick, _trail, _two_databases


def _scenario(db: Database) -> tuple[int, int]:
    clock = _Tick()
    with use_clock(clock):
        v = enrol(db)
        nurse = staff(db, "nurse")
        me = at_kiosk(db, v.visit_id)
        sym = sv.start_administration(db, nurse, visit_id=v.visit_id,
                                      instrument_id=csc.INSTRUMENT_ID, language="en")
        inst = sv.shown_instrument(db, csc.INSTRUMENT_ID)
        codes = {}
        for item in inst.items:                    # G2 (not at baseline) stays unanswered
            if item.id != "G2":
                codes[item.id] = 2 if item.id == "C2" else inst.options_for(item).codes[0]
        sv.record_answers(db, me, sym, codes)
        sv.record_answer(db, me, sym, "C2", 0)     # closes C2b: answered -> not applicable
        sv.submit_administration(db, me, sym)
        sf = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id="rand36",
                                     language="en")
        sv.record_answers(db, me, sf, {f"q{i}": 1 for i in range(1, 37)})
        sv.mark_interrupted(db, me, sf)            # resumed by the submit: the ORM path
        sv.submit_administration(db, me, sf)
        return sym, sf


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_submit_writes_the_same_rows_and_audit_chain_as_the_orm_path(
        request, dialect, tmp_path, monkeypatch) -> None:
    core, orm = _two_databases(request, dialect, tmp_path)
    try:
        used: list[str] = []
        real_core, real_orm = administrations._submit_core, administrations._submit_orm
        monkeypatch.setattr(administrations, "_submit_core",
                            lambda *a: used.append("core") or real_core(*a))
        monkeypatch.setattr(administrations, "_submit_orm",
                            lambda *a: used.append("orm") or real_orm(*a))
        sym, _sf = _scenario(core)
        assert used == ["core", "orm"]
        monkeypatch.setattr(administrations, "_submit_core", real_orm)
        _scenario(orm)
        got, want = _content(core), _content(orm)
        assert len(want) > 60
        assert got == want                     # every column but seq and hash
        with core.read_session() as s:
            rows = list(s.execute(select(AuditEvent.entity, AuditEvent.operation,
                                         AuditEvent.changes, AuditEvent.at)
                                  .where(AuditEvent.action == "administration.submit")
                                  .order_by(AuditEvent.seq)))
            assert s.scalar(select(Administration.status)
                            .where(Administration.id == sym)) == "submitted"
            assert s.scalar(select(Score.id).where(Score.administration_id == sym))
        ops = [(e, op) for e, op, _c, _at in rows]
        # the symptom submit: G2 inserted not applicable, C2b changed to it, the
        # administration and the visit — one append (one time)
        assert ops[:4] == [("answer", "insert"), ("answer", "update"),
                           ("administration", "update"), ("visit", "update")]
        assert len({at for *_x, at in rows[:4]}) == 1
        assert '"status":["answered","not_applicable"]' in rows[1][2]
        assert '"status":["in_progress","submitted"]' in rows[2][2]
        result = verify_audit(core)
        assert result.ok, result
    finally:
        core.dispose()
        orm.dispose()


def _content(db: Database) -> list:
    """The audit rows without seq and hash (the ORM flushes changed objects in its identity
    set's order, so the updates of one flush may come in another order: the chain differs,
    not the rows) as a sorted list, then every other row of ``_trail`` exactly."""
    audit_rows = [r for r in _trail(db) if len(r) == len(AuditEvent.__table__.columns)]
    rest = _trail(db)[len(audit_rows):]
    return sorted(repr(r[1:-1]) for r in audit_rows) + rest


def test_start_audits_the_inserted_administration_and_the_visit_in_one_append(
        sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    nurse = staff(sqlite_db, "nurse")
    adm = sv.start_administration(sqlite_db, nurse, visit_id=v.visit_id,
                                  instrument_id="rand36", language="en", station_id="K-9",
                                  proxy_reason="patient cannot hold the tablet")
    with sqlite_db.read_session() as s:
        rows = list(s.execute(select(AuditEvent.entity, AuditEvent.entity_id,
                                     AuditEvent.operation, AuditEvent.changes, AuditEvent.at,
                                     AuditEvent.actor_username)
                              .where(AuditEvent.action == "administration.start")
                              .order_by(AuditEvent.seq)))
    assert [(r.entity, r.operation) for r in rows] == [("administration", "insert"),
                                                       ("visit", "update")]
    assert rows[0].entity_id == adm and rows[1].entity_id == v.visit_id
    assert rows[0].at == rows[1].at and rows[0].actor_username == "nurse"
    for text in ('"originator":[null,"proxy"]', '"station_id":[null,"K-9"]',
                 '"proxy_reason":[null,"patient cannot hold the tablet"]',
                 '"status":[null,"in_progress"]', '"instrument_id":[null,"rand36"]'):
        assert text in rows[0].changes
    assert "submitted_at" not in rows[0].changes and "version_id" not in rows[0].changes
    assert rows[1].changes == '{"status":["planned","in_progress"]}'
    # the same start again resumes nothing new; a second instrument leaves the visit alone
    assert sv.start_administration(sqlite_db, nurse, visit_id=v.visit_id,
                                   instrument_id="rand36", language="en") == adm
    sv.start_administration(sqlite_db, nurse, visit_id=v.visit_id,
                            instrument_id=csc.INSTRUMENT_ID, language="en")
    assert sv.patient_visits(sqlite_db, v.patient_id)[0].status == "in_progress"
    result = verify_audit(sqlite_db)
    assert result.ok, result


def _skips(db: Database) -> None:
    clock = _Tick()
    with use_clock(clock):
        v = enrol(db)
        nurse = staff(db, "nurse")
        adm = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id="rand36",
                                      language="en")
        me = at_kiosk(db, v.visit_id)
        sv.record_answers(db, me, adm, {"q1": 1, "q2": 2})
        sv.skip_item(db, me, adm, "q3", "prefer_not_to_answer")      # new
        sv.skip_item(db, me, adm, "q3", "prefer_not_to_answer")      # same again: nothing
        sv.skip_item(db, me, adm, "q3", "dont_understand")           # another reason
        sv.skip_item(db, me, adm, "q1", "prefer_not_to_answer")      # answered -> skipped
        sv.record_answer(db, me, adm, "q3", 2)                       # skipped -> answered
        sv.mark_interrupted(db, me, adm)
        sv.skip_item(db, me, adm, "q4", "dont_understand")           # resumes: ORM path
        sv.skip_item(db, nurse, adm, "q5", "prefer_not_to_answer")   # staff for the patient
        with pytest.raises(UserError, match="no item"):
            sv.skip_item(db, me, adm, "q99", "prefer_not_to_answer")


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_skip_fast_path_writes_the_same_rows_and_audit_chain_as_the_orm_path(
        request, dialect, tmp_path, monkeypatch) -> None:
    fast, orm = _two_databases(request, dialect, tmp_path)
    try:
        used = []
        real = autosave.skip_fast
        monkeypatch.setattr(autosave, "skip_fast", lambda *a: used.append(r := real(*a)) or r)
        _skips(fast)
        assert used == [True, True, True, True, False, True]     # q99 raised in it
        monkeypatch.setattr(autosave, "skip_fast", lambda *a: False)
        _skips(orm)
        got, want = _trail(fast), _trail(orm)
        assert len(want) > 20
        assert got == want                     # every column, hashes included
        result = verify_audit(fast)
        assert result.ok, result
    finally:
        fast.dispose()
        orm.dispose()
