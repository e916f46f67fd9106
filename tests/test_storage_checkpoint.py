"""WAL checkpoints run by a thread, not inside an autosave's COMMIT (storage/checkpoint.py)."""
from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import text

import storage.db as dbmod
from storage.db import check_sqlite_pragmas, open_database, read_sqlite_pragmas
from storage.errors import DatabaseError


def _autockpt_in_transaction(db) -> int:  # noqa: ANN001
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))                # the begin event runs here
        value = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        conn.rollback()
    return value


def _wait(cond, timeout: float = 10.0) -> bool:  # noqa: ANN001
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)      # polling a background thread (no Qt here)
    return cond()


@pytest.fixture
def db(tmp_path):  # noqa: ANN001, ANN201
    d = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    yield d
    d.dispose()


def test_app_connections_do_not_checkpoint_while_the_thread_runs(db) -> None:  # noqa: ANN001
    assert db.checkpointer is not None and db.checkpointer.healthy()
    assert _autockpt_in_transaction(db) == 0
    assert read_sqlite_pragmas(db.engine)["wal_autocheckpoint"] == 0
    check_sqlite_pragmas(db.engine)                   # 0 is accepted while the thread runs


def test_thread_checkpoints_after_commits(db) -> None:  # noqa: ANN001
    ckpt = db.checkpointer
    with db.engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    runs = ckpt.runs
    for i in range(ckpt.every_commits):
        with db.engine.begin() as c:
            c.exec_driver_sql("INSERT INTO t VALUES (?)", (i,))
    assert _wait(lambda: ckpt.runs > runs)
    # the committed rows reach the main file (read without the WAL: immutable=1)
    assert _wait(lambda: _main_file_rows(db.path) == ckpt.every_commits)


def _main_file_rows(path) -> int:  # noqa: ANN001
    try:
        con = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            return con.execute("SELECT count(*) FROM t").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return -1


def test_dead_thread_falls_back_to_sqlite_autocheckpoint(db) -> None:  # noqa: ANN001
    db.checkpointer.stop(truncate=False)              # the thread is gone
    assert not db.checkpointer.healthy()
    assert _autockpt_in_transaction(db) == 1000       # connections checkpoint themselves again
    check_sqlite_pragmas(db.engine)


def test_thread_far_behind_falls_back(db, monkeypatch) -> None:  # noqa: ANN001
    ckpt = db.checkpointer
    monkeypatch.setattr(ckpt, "checkpoint", lambda mode="PASSIVE": None)   # checkpoints fail
    for _ in range(ckpt.fallback_commits):
        ckpt.note_commit()
    assert not ckpt.healthy()
    assert _autockpt_in_transaction(db) == 1000


def test_pragma_check_refuses_autocheckpoint_off_without_thread(db) -> None:  # noqa: ANN001
    db.checkpointer.stop(truncate=False)
    dbmod._CHECKPOINTERS.pop(db.engine)
    raw = db.engine.raw_connection()
    raw.dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")
    raw.close()                                       # back to the pool with 0
    with pytest.raises(DatabaseError, match="wal_autocheckpoint"):
        check_sqlite_pragmas(db.engine)


def test_dispose_copies_the_wal_and_truncates_it(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "d.db"
    d = open_database(f"sqlite:///{path}")
    with d.engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        c.exec_driver_sql("INSERT INTO t VALUES (7)")
    keep = sqlite3.connect(path)                      # another reader: the WAL file stays
    keep.execute("SELECT 1")
    thread = d.checkpointer._thread
    d.dispose()
    assert not thread.is_alive()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    keep.close()
    copy = tmp_path / "copy.db"
    copy.write_bytes(path.read_bytes())
    assert sqlite3.connect(copy).execute("SELECT x FROM t").fetchall() == [(7,)]
