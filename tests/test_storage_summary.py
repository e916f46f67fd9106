"""patient_summary (derived cache behind the nurse list) equals a slow reference computation
after random submits, corrections and interruptions, on SQLite and PostgreSQL."""
from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from forms import csc, schedule as sched, sf36
from forms.instrument import load_instrument
from storage import services as sv
from storage.demo import eligible_screening
from storage.db import open_database
from storage.models import PatientSummary
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (at_kiosk, db, pg_template, sqlite_db,  # noqa: F401
                              sqlite_template, staff)


def reference_rows(database) -> dict[str, tuple]:  # noqa: ANN001
    """The list, computed the slow way: every visit and its scores through the services."""
    from storage.services.patients import local_today
    today = local_today()
    out = {}
    with database.session() as s:
        from storage.models import Patient
        pids = [(p.id, p.subject_id) for p in s.scalars(select(Patient))]
    for pid, subject in pids:
        visits = sv.patient_visits(database, pid)
        nxt = next((v for v in visits if v.status in ("planned", "in_progress")), None)
        pcs = mcs = rss = None
        alert = ""
        seen_sf = seen_csc = False
        for v in reversed(visits):
            scores = sv.visit_scores(database, v.id)
            if not seen_sf and sf36.SF36V1_ALGORITHM in scores.get("rand36", {}):
                vals = scores["rand36"][sf36.SF36V1_ALGORITHM]["values"]
                pcs, mcs, seen_sf = vals.get("sf36_pcs"), vals.get("sf36_mcs"), True
            if not seen_csc and csc.ALGORITHM_ID in scores.get("csc", {}):
                vals = scores["csc"][csc.ALGORITHM_ID]["values"]
                rss, alert, seen_csc = vals.get("rss"), vals.get("alert") or "", True
        out[subject] = (nxt.code if nxt else None, nxt.planned_date if nxt else None,
                        nxt.window_status if nxt else None, pcs, mcs, rss, alert)
        assert nxt is None or nxt.window_status == sched.window_status(   # in progress: dated
            sched.PlannedVisit(nxt.code, nxt.target_day, nxt.planned_date, nxt.earliest_date,
                               nxt.latest_date), today, nxt.actual_date)
    return out


def listed(database) -> dict[str, tuple]:  # noqa: ANN001
    return {r.subject_id: (r.next_visit_code, r.next_visit_date, r.next_visit_window_status,
                           r.last_pcs, r.last_mcs, r.last_rss, r.alert)
            for r in sv.list_patients(database)}


def stored(database) -> dict[int, tuple]:  # noqa: ANN001
    with database.session() as s:
        return {r.patient_id: (r.next_visit_code, r.next_visit_date, r.last_pcs, r.last_mcs,
                               r.last_rss, r.alert) for r in s.scalars(select(PatientSummary))}


def codes_for(instrument: str, visit_code: str, rng: random.Random) -> dict[str, int]:
    inst = load_instrument(instrument)
    codes: dict[str, int] = {}
    context = {"visit": visit_code, "visit_kind": "baseline" if visit_code == "BL" else ""}
    for item in inst.items:
        if inst.is_applicable(item, codes, context):
            codes[item.id] = rng.choice(inst.options_for(item).codes)
    return codes


def test_summary_equals_slow_reference_after_random_changes(db) -> None:  # noqa: F811
    rng = random.Random(20240611)
    nurse = staff(db, "nurse")
    today = date.today()
    pids = []
    for i in range(4):
        day1 = today - timedelta(days=rng.choice((0, 20, 60, 200)))
        pids.append(sv.enrol_patient(db, nurse, subject_id=f"R-{i}", initials="RR", sex="F",
                                     day1_date=day1, screening=eligible_screening(
                                         sv.current_protocol(db), day1,
                                         birth_date=date(1960, 6, 1))))
    assert listed(db) == reference_rows(db)
    submitted: list[tuple[int, str, str]] = []
    for step in range(14):
        pid = rng.choice(pids)
        op = rng.random()
        if op < 0.25 and submitted:                 # correction after submit
            adm, inst_id, visit_code = rng.choice(submitted)
            state = sv.administration_state(db, adm)
            item = rng.choice(sorted(state.answers))
            options = [c for c in load_instrument(inst_id).options_for(item).codes
                       if c != state.answers[item]]
            sv.correct_answer(db, nurse, adm, item, rng.choice(options),
                              reason=f"random correction {step}")
        else:                                       # next open visit: answer and submit
            visit = next((v for v in sv.patient_visits(db, pid)
                          if v.status in ("planned", "in_progress")), None)
            if visit is None:
                continue
            pat = at_kiosk(db, visit.id)
            todo = sv.remaining_battery(db, visit.id)    # a visit in progress: what is left
            for inst_id in rng.sample(todo, k=rng.randint(1, len(todo))) if todo else ():
                adm = sv.start_administration(db, nurse, visit_id=visit.id,
                                              instrument_id=inst_id, language="en",
                                              override_reason="test: compressed timeline")
                sv.record_answers(db, pat, adm, codes_for(inst_id, visit.code, rng))
                if rng.random() < 0.2:              # interrupted, then resumed and submitted
                    sv.mark_interrupted(db, pat, adm)
                sv.submit_administration(db, pat, adm)
                submitted.append((adm, inst_id, visit.code))
        assert listed(db) == reference_rows(db), f"after step {step}"
        with db.session() as s:
            from storage.patient_summary import compute
            assert stored(db) == {pid: (r["next_visit_code"], r["next_visit_date"],
                                        r["last_pcs"], r["last_mcs"], r["last_rss"], r["alert"])
                                  for pid, r in compute(s.connection()).items()}
    assert any(r[3] is not None for r in listed(db).values())     # scores did reach the list
    assert len(stored(db)) == len(pids)                           # one row per patient


def test_rolled_back_change_leaves_summary_unchanged(sqlite_db) -> None:  # noqa: F811
    nurse = staff(sqlite_db, "nurse")
    pid = sv.enrol_patient(sqlite_db, nurse, subject_id="RB-1", initials="RB", sex="M",
                           day1_date=date.today(),
                           screening=eligible_screening(sv.current_protocol(sqlite_db),
                                                        date.today(), birth_date=date(1970, 6, 1)))
    before = stored(sqlite_db)
    visit = sv.patient_visits(sqlite_db, pid)[0]
    adm = sv.start_administration(sqlite_db, nurse, visit_id=visit.id, instrument_id="rand36",
                                  language="en")
    pat = at_kiosk(sqlite_db, visit.id)
    sv.record_answers(sqlite_db, pat, adm, codes_for("rand36", "BL", random.Random(1)))
    from storage.services import scoring
    real_store = scoring.store_with_findings        # what a submit calls to write its scores

    def failing_store(s, a, *codes):  # noqa: ANN001, ANN202
        real_store(s, a, *codes)
        raise RuntimeError("boom after scores were written")
    scoring.store_with_findings = failing_store
    try:
        with pytest.raises(RuntimeError):
            sv.submit_administration(sqlite_db, pat, adm)
    finally:
        scoring.store_with_findings = real_store
    assert stored(sqlite_db) == before
    sv.submit_administration(sqlite_db, pat, adm)
    assert stored(sqlite_db)[pid][2] is not None                # now the PCS is cached


def test_rebuild_repairs_a_stale_cache_and_list_uses_the_cache(sqlite_db) -> None:  # noqa: F811
    nurse = staff(sqlite_db, "nurse")
    pid = sv.enrol_patient(sqlite_db, nurse, subject_id="ST-1", initials="ST", sex="M",
                           day1_date=date.today(),
                           screening=eligible_screening(sv.current_protocol(sqlite_db),
                                                        date.today(), birth_date=date(1970, 6, 1)))
    with sqlite_db.session() as s:      # a stale cache (e.g. data changed by raw SQL)
        s.execute(text("UPDATE patient_summary SET next_visit_code = 'W48', last_pcs = 1.5 "
                       "WHERE patient_id = :p"), {"p": pid})
    row = sv.list_patients(sqlite_db)[0]
    assert (row.next_visit_code, row.last_pcs) == ("W48", 1.5)     # the list reads the cache
    assert sv.rebuild_patient_summary(sqlite_db) == 1
    row = sv.list_patients(sqlite_db)[0]
    assert (row.next_visit_code, row.last_pcs) == ("BL", None)
    with sqlite_db.session() as s:      # a missing row is computed on the fly, not stored
        s.execute(text("DELETE FROM patient_summary"))
    assert sv.list_patients(sqlite_db)[0].next_visit_code == "BL"
    assert stored(sqlite_db) == {}


def test_migration_0002_fills_the_summary_of_an_existing_database(tmp_path) -> None:
    """A 0001 database with patients and scores gets its cache built by the upgrade."""
    from alembic import command
    from storage import migrate
    path = tmp_path / "old.db"
    db1 = open_database(f"sqlite:///{path}")
    from storage_fixtures import _fill_template
    _fill_template(db1)
    nurse = staff(db1, "nurse")
    pid = sv.enrol_patient(db1, nurse, subject_id="OLD-1", initials="OL", sex="F",
                           day1_date=date.today(),
                           screening=eligible_screening(sv.current_protocol(db1), date.today(),
                                                        birth_date=date(1956, 6, 1)))
    visit = sv.patient_visits(db1, pid)[0]
    adm = sv.start_administration(db1, nurse, visit_id=visit.id, instrument_id="rand36",
                                  language="en")
    pat = at_kiosk(db1, visit.id)
    sv.record_answers(db1, pat, adm, codes_for("rand36", "BL", random.Random(2)))
    sv.submit_administration(db1, pat, adm)
    expected = listed(db1)
    cfg = migrate.alembic_config()
    with db1.engine.begin() as conn:                        # back to schema 0001
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    db1.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    con.close()
    db2 = open_database(f"sqlite:///{path}")                # backup + upgrade to head
    try:
        assert len(list(tmp_path.glob("old.db.pre-upgrade-0001-*.bak"))) == 1
        assert stored(db2)[pid][2] is not None              # filled by the migration
        assert listed(db2) == expected
    finally:
        db2.dispose()
