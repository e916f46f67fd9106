"""Engine set-up: pragmas, BEGIN IMMEDIATE, aware datetimes, refusal of unsafe files."""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, text
from sqlalchemy.exc import StatementError

from storage.db import open_database, read_sqlite_pragmas
from storage.errors import DatabaseError
from storage.fs_checks import network_share_reason
from storage.types import UtcDateTime
from storage_fixtures import sqlite_db, sqlite_template  # noqa: F401


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pragmas_are_set_and_read_back(sqlite_db) -> None:  # noqa: F811
    got = read_sqlite_pragmas(sqlite_db.engine)
    assert got["journal_mode"] == "wal"
    assert got["synchronous"] == 2
    assert got["foreign_keys"] == 1
    assert got["busy_timeout"] >= 5000


def test_refuses_to_run_when_a_pragma_does_not_take(tmp_path, monkeypatch) -> None:
    import storage.db as dbmod
    monkeypatch.setitem(dbmod._EXPECTED, "synchronous", 3)   # simulate FULL not taking
    with pytest.raises(DatabaseError, match="synchronous"):
        open_database(f"sqlite:///{tmp_path / 'x.db'}")


def test_transactions_begin_immediate(sqlite_db) -> None:  # noqa: F811
    """The begin event takes the write lock: a second writer cannot even start."""
    with sqlite_db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))             # autobegin -> BEGIN IMMEDIATE
        other = sqlite3.connect(sqlite_db.path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        conn.rollback()


def test_read_modify_write_from_two_threads_loses_nothing(sqlite_db) -> None:  # noqa: F811
    md = MetaData()
    counter = Table("counter_t", md, Column("id", Integer, primary_key=True), Column("n", Integer))
    md.create_all(sqlite_db.engine)
    with sqlite_db.engine.begin() as c:
        c.execute(counter.insert().values(id=1, n=0))
    errors: list[Exception] = []

    def bump() -> None:
        try:
            for _ in range(5):
                with sqlite_db.engine.begin() as c:
                    n = c.execute(select(counter.c.n)).scalar_one()
                    c.execute(counter.update().values(n=n + 1))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite_db.engine.connect() as c:
        assert c.execute(select(counter.c.n)).scalar_one() == 20
    # why nothing is lost, without timing: a transaction that has only read already holds the
    # write lock (BEGIN IMMEDIATE), so no other writer can begin between its read and its write
    # (a deferred BEGIN would let this one in and lose an update)
    with sqlite_db.engine.begin() as c:
        c.execute(select(counter.c.n)).scalar_one()
        other = sqlite3.connect(sqlite_db.path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


@pytest.fixture
def dt_table(sqlite_db):  # noqa: F811
    md = MetaData()
    t = Table("dt_t", md, Column("id", Integer, primary_key=True), Column("at", UtcDateTime()))
    md.create_all(sqlite_db.engine)
    return t


def test_aware_datetime_round_trips_as_utc(sqlite_db, dt_table) -> None:  # noqa: F811
    shanghai = timezone(timedelta(hours=8))
    value = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=shanghai)
    with sqlite_db.engine.begin() as c:
        c.execute(dt_table.insert().values(id=1, at=value))
    with sqlite_db.engine.connect() as c:
        got = c.execute(select(dt_table.c.at)).scalar_one()
    assert got == value
    assert got.tzinfo == timezone.utc
    assert got.hour == 1


def test_naive_datetime_is_rejected(sqlite_db, dt_table) -> None:  # noqa: F811
    with pytest.raises(StatementError, match="naive"):
        with sqlite_db.engine.begin() as c:
            c.execute(dt_table.insert().values(id=1, at=datetime(2025, 3, 1, 9, 30)))


def test_garbage_file_refused_and_left_unmodified(tmp_path) -> None:
    path = tmp_path / "epro.db"
    path.write_bytes(b"this is not a database\n" * 100)
    before = sha(path)
    with pytest.raises(DatabaseError, match="not an ePRO Desk database"):
        open_database(f"sqlite:///{path}")
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epro.db"]


def test_damaged_database_refused_and_left_unmodified(sqlite_template, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "epro.db"
    data = bytearray(sqlite_template.read_bytes())
    page = 4096
    data[page * 2: page * 2 + 512] = b"\xff" * 512      # damage a b-tree page
    path.write_bytes(bytes(data))
    before = sha(path)
    with pytest.raises(DatabaseError, match="damaged"):
        open_database(f"sqlite:///{path}")
    assert sha(path) == before


def test_newer_schema_refused_byte_identical(sqlite_template, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "epro.db"
    path.write_bytes(sqlite_template.read_bytes())
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = sha(path)
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(f"sqlite:///{path}")
    assert sha(path) == before


def test_foreign_database_refused(tmp_path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE stuff (x)")
    con.commit()
    con.close()
    before = sha(path)
    with pytest.raises(DatabaseError, match="another application"):
        open_database(f"sqlite:///{path}")
    assert sha(path) == before


def test_locked_database_gives_clear_error(sqlite_template, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "epro.db"
    path.write_bytes(sqlite_template.read_bytes())
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError, match="locked"):
            open_database(f"sqlite:///{path}", busy_timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_read_only_database_gives_clear_error(sqlite_template, tmp_path, monkeypatch) -> None:  # noqa: F811
    import storage.db as dbmod
    path = tmp_path / "epro.db"
    path.write_bytes(sqlite_template.read_bytes())

    def read_only(url, busy):  # noqa: ANN001, ANN202  (root ignores chmod: open with mode=ro)
        from sqlalchemy import create_engine
        ro = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", hide_parameters=True)
        return dbmod.configure_sqlite(ro, busy)
    monkeypatch.setattr(dbmod, "_sqlite_engine", read_only)
    with pytest.raises(DatabaseError, match="read-only"):
        open_database(f"sqlite:///{path}")


def test_network_share_refused(tmp_path, monkeypatch) -> None:
    import storage.fs_checks as fs
    mounts = [("/", "ext4"), (str(tmp_path), "cifs")]
    assert "cifs" in (network_share_reason(tmp_path / "x.db", mounts) or "")
    assert network_share_reason(tmp_path / "x.db", [("/", "ext4")]) is None
    assert network_share_reason(Path("//server/share/epro.db")) is not None
    monkeypatch.setattr(fs, "read_mounts", lambda path=fs.MOUNTS_FILE: mounts)
    with pytest.raises(DatabaseError, match="network"):
        open_database(f"sqlite:///{tmp_path / 'epro.db'}")
    assert not (tmp_path / "epro.db").exists()


def test_older_database_is_backed_up_then_upgraded(tmp_path) -> None:
    """A file at an older revision (here: none, i.e. an empty schema-less ePRO file) gets an
    online backup before migrations run."""
    path = tmp_path / "epro.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.commit()
    con.close()
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    backups = list(tmp_path.glob("epro.db.pre-upgrade-none-*.bak"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name='patient'").fetchone() == (0,)
    con.close()
