"""Opening never makes a database (issue 13 item 3): only ``init``, the first-run wizard and the
demo database do. A missing, zero-byte or schema-less database is refused and nothing is
created; a database file that vanishes while the app runs refuses the next write and every
write after it. Real SQLite files throughout."""
from __future__ import annotations

import argparse
import ast
import os
import sqlite3
from pathlib import Path

import pytest

import main
from storage import services as sv
from storage.commands import open_from_args
from storage.db import data_dir, open_database
from storage.db_files import is_first_run
from storage.errors import DatabaseMissingError, DatabaseVanishedError
from pg_server import pg_server_url  # noqa: F401  (session fixture)
from storage_fixtures import (enrol, new_pg_database, pg_template, sqlite_db,  # noqa: F401
                              sqlite_template, staff)

ROOT = Path(__file__).resolve().parent.parent


def _args(database: str | None, demo: bool = False) -> argparse.Namespace:
    return argparse.Namespace(database=database, demo=demo, lang="en", kiosk=False,
                              verbose=False)


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def user_data(tmp_path, monkeypatch) -> Path:
    """The platformdirs user data folder (default database location) inside tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("EPRO_DATABASE_URL", raising=False)
    return data_dir()


# ------------------------------------------------------------------------------ opening
def test_missing_file_and_folder_are_not_created(tmp_path):
    url = f"sqlite:///{tmp_path / 'typo' / 'epro.db'}"
    with pytest.raises(DatabaseMissingError, match="nothing was created"):
        open_database(url, create=False)
    assert _tree(tmp_path) == []


def test_zero_byte_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "epro.db"
    path.touch()
    with pytest.raises(DatabaseMissingError, match="empty"):
        open_database(f"sqlite:///{path}", create=False)
    assert path.stat().st_size == 0 and _tree(tmp_path) == ["epro.db"]


def test_sqlite_file_without_our_schema_is_refused(tmp_path):
    path = tmp_path / "epro.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 1")     # a valid, non-empty SQLite file, no tables
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseMissingError, match="epro init"):
        open_database(f"sqlite:///{path}", create=False)
    assert path.read_bytes() == before and _tree(tmp_path) == ["epro.db"]


def test_init_creates_and_then_opening_works(tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'epro.db'}"
    open_database(url, create=True).dispose()
    open_database(url, create=False).dispose()


def test_audit_verify_on_a_mistyped_path_creates_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'epro.db'}"
    assert main.main(["--database", url, "audit", "verify"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("epro: error: No database file") and err.count("\n") == 1
    assert _tree(tmp_path) == []


def test_backup_of_a_missing_database_creates_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'epro.db'}"
    assert main.main(["--database", url, "backup", str(tmp_path / "b.db"), "--user", "a",
                      "--password-file", str(tmp_path / "pw")]) == 2
    assert "No database file" in capsys.readouterr().err
    assert _tree(tmp_path) == []


# ------------------------------------------------------------------------------ workstation
def test_first_run_at_the_default_location_makes_the_database(user_data):
    path = user_data / "epro.db"
    assert is_first_run(path, user_data)
    db = open_from_args(_args(None))
    try:
        assert sv.needs_setup(db)                 # the set-up wizard follows
    finally:
        db.dispose()
    assert path.is_file() and (user_data / "epro.db.created").is_file()


def test_a_default_database_that_disappeared_is_not_replaced(user_data):
    open_from_args(_args(None)).dispose()
    for name in os.listdir(user_data):
        if name in ("epro.db", "epro.db-wal", "epro.db-shm"):
            os.remove(user_data / name)           # deleted while the app was closed
    assert not is_first_run(user_data / "epro.db", user_data)
    with pytest.raises(DatabaseMissingError, match="restore it from a backup"):
        open_from_args(_args(None))
    assert not (user_data / "epro.db").exists()


def test_an_explicit_missing_database_is_refused_not_made(tmp_path, user_data):
    with pytest.raises(DatabaseMissingError):
        open_from_args(_args(f"sqlite:///{tmp_path / 'site.db'}"))
    assert not (tmp_path / "site.db").exists()


def test_demo_database_is_still_made(tmp_path, user_data, monkeypatch):
    made: list[object] = []
    monkeypatch.setattr("storage.demo.generate_demo_data", lambda db: made.append(db))
    db = open_from_args(_args(None, demo=True))
    db.dispose()
    assert (user_data / "epro-demo.db").is_file() and len(made) == 1


def test_every_product_open_says_whether_it_may_create():
    """A new call of open_database in the product must decide: create=False unless it is
    init, the first-run wizard or the demo database."""
    missing = []
    for folder in ("forms", "storage", "reports", "ui"):
        for py in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(
                        node.func, "attr", None)) == "open_database"
                        and not any(k.arg == "create" for k in node.keywords)):
                    missing.append(f"{py.relative_to(ROOT)}:{node.lineno}")
    assert missing == []


# ------------------------------------------------------------------------------ mid-session
@pytest.mark.parametrize("how", ["deleted", "renamed", "replaced"])
def test_vanished_file_refuses_the_next_write_and_every_later_one(sqlite_db, tmp_path, how):  # noqa: F811
    db = sqlite_db
    nurse = staff(db, "nurse")
    v = enrol(db)
    aid = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id="csc",
                                  language="en")
    sv.record_answer(db, nurse, aid, "C1", 1)     # acknowledged while the file is in place
    path = db.path
    moved = tmp_path / "moved.db"
    if how == "deleted":
        path.unlink()
    else:                                          # moved with its write-ahead log
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{path}{suffix}").exists():
                Path(f"{path}{suffix}").rename(f"{moved}{suffix}")
        if how == "replaced":
            open_database(f"sqlite:///{path}", create=True).dispose()
    for item in ("C2", "C3", "C4"):
        with pytest.raises(DatabaseVanishedError, match="NOT saved"):
            sv.record_answer(db, nurse, aid, item, 1)
    with pytest.raises(DatabaseVanishedError):
        sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id="rand36",
                                language="en")
    db.dispose()
    if how != "deleted":                           # the moved file has exactly what was acked
        con = sqlite3.connect(moved)
        rows = con.execute("SELECT item_id FROM answer").fetchall()
        con.close()
        assert rows == [("C1",)]


@pytest.mark.postgres
def test_postgres_database_without_schema_is_refused(pg_template):  # noqa: F811
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    admin = create_engine(pg_template, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql("CREATE DATABASE t_no_schema")
    admin.dispose()
    url = make_url(pg_template).set(database="t_no_schema").render_as_string(False)
    with pytest.raises(DatabaseMissingError, match="no ePRO Desk schema"):
        open_database(url, create=False)
    open_database(new_pg_database(pg_template), create=False).dispose()   # set-up: opens
