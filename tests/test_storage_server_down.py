"""A PostgreSQL server that cannot be reached gives storage.errors.DatabaseError with a clear
message (no driver traceback, no password), at start and in the middle of a session."""
from __future__ import annotations

import socket

import pytest
from sqlalchemy import create_engine, text

import main
from storage import services as sv
from storage.db import Database, open_database
from storage.errors import DatabaseError
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import db, pg_template, sqlite_db, sqlite_template  # noqa: F401


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]            # nobody listens once the socket is closed


def test_open_database_on_a_closed_port_is_a_clear_database_error() -> None:
    port = closed_port()
    url = f"postgresql+psycopg://epro:s3cret-pw@127.0.0.1:{port}/epro?connect_timeout=3"
    with pytest.raises(DatabaseError, match="Cannot reach the PostgreSQL server") as info:
        open_database(url)
    text = str(info.value)
    assert f"127.0.0.1:{port}" in text and "s3cret" not in text and "epro:" not in text
    assert "\n" not in text


def test_cli_prints_one_line_and_exits_2(capsys) -> None:
    port = closed_port()
    url = f"postgresql+psycopg://epro:s3cret-pw@127.0.0.1:{port}/epro?connect_timeout=3"
    assert main.main(["--database", url, "audit", "verify"]) == 2
    err = capsys.readouterr().err
    assert "Cannot reach the PostgreSQL server" in err
    assert "Traceback" not in err and "psycopg" not in err and "s3cret" not in err


def test_server_gone_during_a_session_is_a_database_error() -> None:
    """A Database whose server disappeared (same code path as a crash or restart)."""
    port = closed_port()
    url = f"postgresql+psycopg://epro@127.0.0.1:{port}/epro?connect_timeout=3"
    database = Database(create_engine(url, hide_parameters=True, pool_pre_ping=True), url)
    try:
        with pytest.raises(DatabaseError, match=f"Cannot reach.*127.0.0.1:{port}"):
            sv.list_patients(database)
    finally:
        database.dispose()


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_killed_server_connection_is_replaced_transparently(db, pg_server_url) -> None:  # noqa: F811
    """A backend killed by the server (restart, admin) is not an error: the pool pings and
    reconnects before the next transaction."""
    with db.session() as s:
        pid = s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        assert c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    admin.dispose()
    assert sv.patient_count(db) == 0


def test_sqlite_errors_are_not_taken_for_a_server_outage(sqlite_db) -> None:  # noqa: F811
    with pytest.raises(Exception) as info:
        with sqlite_db.session() as s:
            s.execute(text("SELECT * FROM no_such_table"))
    assert "PostgreSQL" not in str(info.value)
