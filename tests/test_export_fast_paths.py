"""The CSV export's fast paths write exactly what the plain csv.writer reference writes, and
export reads do not take SQLite's write lock."""
from __future__ import annotations

import csv
import io
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.export_db import build_bulk, build_small
from reports.export.csv_folder import AnswerLines, _answer_rows, _item_lookup, _score_rows, \
    score_text
from reports.export.csvsafe import render_fields
from reports.export.reader import LEAN_ANSWER_COLUMNS, iso_utc, iter_patients
from reports.export.variables import instruments
from storage.db import open_database


def csv_text(rows) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = tmp_path_factory.mktemp("fast")
    database = open_database(f"sqlite:///{d / 'f.db'}")
    build_small(database)          # services: corrections, skips, formulas, real microseconds
    build_bulk(database, 4, visits_done=2)
    yield database
    database.dispose()


cells = st.one_of(st.none(), st.integers(), st.text(max_size=8),
                  st.sampled_from(["a,b", 'say "hi"', "x\ny", "r\rn", " lead", "", "=1+2"]))


@given(st.lists(cells, min_size=1, max_size=6), st.lists(cells, min_size=1, max_size=6))
def test_rendered_pieces_joined_equal_csv_writer(left, right):
    line = f"{render_fields(left)},{render_fields(right)}\r\n"
    assert line == csv_text([left + right])


def test_iso_utc_equals_isoformat_of_the_aware_utc_datetime():
    for text, want in [
            ("2026-01-05 09:00:00.000000", "2026-01-05T09:00:00+00:00"),
            ("2026-01-05 09:00:00.120000", "2026-01-05T09:00:00.120000+00:00"),
            ("2026-01-05 09:00:00", "2026-01-05T09:00:00+00:00"),        # not the stored form
            ("2026-01-05T09:00:00.5+00:00", "2026-01-05T09:00:00.500000+00:00")]:
        assert iso_utc(text) == want
    cet = timezone(timedelta(hours=1))
    assert iso_utc(datetime(2026, 1, 5, 10, 0, 0, 7, tzinfo=cet)) == \
        "2026-01-05T09:00:00.000007+00:00"
    assert iso_utc(datetime(2026, 1, 5, 9)) == "2026-01-05T09:00:00+00:00"   # naive = UTC
    assert iso_utc(None) is None


def test_answer_and_score_text_equal_the_csv_writer_reference(db):
    insts = instruments()
    lookups = {i.id: _item_lookup(i) for i in insts}
    reference = list(iter_patients(db, batch=3))
    lean = list(iter_patients(db, batch=3, lean_answers=True))
    assert [p.patient.id for p in reference] == [p.patient.id for p in lean]
    assert any(a.answers for p in lean for _, a in p.administrations)
    first = next(a.answers[0] for p in lean for _, a in p.administrations if a.answers)
    assert type(first) is tuple and len(first) == len(LEAN_ANSWER_COLUMNS)
    lines, keys = AnswerLines(lookups), {}
    n_answers = n_scores = 0
    for ref, fast in zip(reference, lean):
        want = csv_text(_answer_rows(ref, lookups))
        got, n = lines.text(fast)
        assert got == want
        n_answers += n
        want = csv_text(_score_rows(ref))
        got, n = score_text(fast, keys)
        assert got == want
        n_scores += n
    assert n_answers > 300 and n_scores > 50


def test_export_reads_leave_the_write_lock_free(db):
    path = db.path
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with db.read_session() as s:
            assert list(iter_patients(db, batch=2))             # reads in its own sessions too
            s.connection().exec_driver_sql("SELECT count(*) FROM answer").scalar()
            other.execute("BEGIN IMMEDIATE")                     # a station could save now
            other.execute("ROLLBACK")
        with db.session() as s:                                  # a write session holds it
            s.connection().exec_driver_sql("SELECT 1")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
