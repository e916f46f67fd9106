"""Engine and session set-up: SQLite (default, one file per workstation) or PostgreSQL.

SQLite follows SQLAlchemy's documented pysqlite recipe: the driver's own transaction handling is
switched off at connect (``isolation_level = None``) and the ``begin`` event emits
``BEGIN IMMEDIATE`` so a writer takes the lock up front (a deferred BEGIN makes read-then-write
races fail at once with "database is locked"). WAL + ``synchronous=FULL`` makes every commit
durable; the pragmas are read back and the app refuses to run if they did not take.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import platformdirs
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage import audit_key
from storage.db_files import created_marker, guard_file_identity, refuse_missing
from storage.private_files import create_private_file, make_private_dirs
from storage.errors import DatabaseError, DatabaseMissingError, StorageFullError

log = logging.getLogger(__name__)
# SQLAlchemy logs result rows (patient data) at DEBUG: never inherit a verbose root level.
# Statements at INFO carry no values because every engine uses hide_parameters=True.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

APP_NAME = "epro-desk"
DB_FILE = "epro.db"
DEMO_DB_FILE = "epro-demo.db"
BUSY_TIMEOUT_S = 10.0
READ_ONLY_OPTION = "epro_read_only"   # connection execution option set by read_session()
_EXPECTED = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_url(demo: bool = False) -> str:
    """SQLite file in the user data folder; the demo database is a separate file."""
    return f"sqlite:///{data_dir() / (DEMO_DB_FILE if demo else DB_FILE)}"


def sqlite_path(url: str) -> Path | None:
    """File path of a SQLite URL (None for other back ends)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return None
    if not u.database or u.database == ":memory:" or u.database.startswith("file:"):
        raise DatabaseError("Use a SQLite file path (sqlite:///path/to/file.db); in-memory and "
                            "URI-style SQLite databases are not supported.")
    return Path(u.database)


def compact_json(value: object) -> str:
    """JSON columns (labs, derived scores, score values, outcome fields …) written without
    spaces, as the audit trail's canonical JSON already is: ~1 KB less per patient (issue 16,
    ``db_kb_per_patient``). Older rows keep their spaces; both read the same."""
    return json.dumps(value, separators=(",", ":"))


def _sqlite_engine(path: Path, busy_timeout: float) -> Engine:
    """Connections open the EXISTING file only (URI ``mode=rw``): a pooled connection opened
    after the file vanished fails instead of creating a new empty database in its place."""
    uri = f"sqlite:///file:{quote(str(path))}?mode=rw&uri=true"
    engine = create_engine(uri, hide_parameters=True, json_serializer=compact_json,
                           connect_args={"timeout": busy_timeout})
    return configure_sqlite(engine, busy_timeout)


def configure_sqlite(engine: Engine, busy_timeout: float) -> Engine:
    """Attach the pragma and BEGIN IMMEDIATE events (SQLAlchemy's pysqlite recipe)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_con, _record):  # noqa: ANN001
        dbapi_con.isolation_level = None     # let the "begin" event issue BEGIN
        cur = dbapi_con.cursor()
        # fixed strings only, never user input
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # read_session(): a DEFERRED transaction reads a WAL snapshot without the write lock
        deferred = conn.get_execution_options().get(READ_ONLY_OPTION)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    return engine


def read_sqlite_pragmas(engine: Engine) -> dict[str, object]:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        out = {}
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"):
            cur.execute(f"PRAGMA {name}")
            out[name] = cur.fetchone()[0]
        cur.close()
        return out
    finally:
        raw.close()


def check_sqlite_pragmas(engine: Engine) -> dict[str, object]:
    """Read the pragmas back; refuse to run when one did not take."""
    try:
        got = read_sqlite_pragmas(engine)
    except DBAPIError as exc:
        raise map_db_error(exc) from exc
    for key, want in _EXPECTED.items():
        value = got[key].lower() if isinstance(got[key], str) else got[key]
        if value != want:
            raise DatabaseError(f"The database could not be set up safely: PRAGMA {key} is "
                                f"{got[key]!r}, expected {want!r}. Nothing was written.")
    if not got["busy_timeout"]:
        raise DatabaseError("The database could not be set up safely: busy_timeout is 0.")
    return got


def _check_postgres(engine: Engine) -> None:
    with engine.connect() as conn:
        if conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "off":
            raise DatabaseError("PostgreSQL has synchronous_commit=off: commits would not be "
                                "durable. Ask the administrator to turn it on.")
        if conn.exec_driver_sql("SHOW fsync").scalar() == "off":
            log.warning("PostgreSQL runs with fsync=off: commits are not crash-safe")


def sqlite_error_name(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlite_errorname", "") or ""


def _is_connection_failure(exc: DBAPIError) -> bool:
    """The database SERVER cannot be reached (refused, down, restarted, network gone)."""
    orig = getattr(exc, "orig", None)
    if orig is None or not type(orig).__module__.startswith("psycopg"):
        return False                       # SQLite errors are mapped by name below
    sqlstate = getattr(orig, "sqlstate", None) or ""
    return (getattr(exc, "connection_invalidated", False) or sqlstate.startswith("08")
            or sqlstate in ("57P01", "57P02", "57P03")
            or (isinstance(exc, OperationalError) and not sqlstate))


def server_unreachable(where: str | None = None) -> DatabaseError:
    at = f" at {where}" if where else ""
    return DatabaseError(f"Cannot reach the PostgreSQL server{at} (server stopped, connection "
                         "refused or network down). Nothing was saved. Check that the server "
                         "is running and reachable, then try again.")


def server_address(url: URL) -> str:
    """host:port of a server URL, never the user name or password."""
    return f"{url.host or 'localhost'}:{url.port or 5432}"


def map_db_error(exc: DBAPIError, where: str | None = None) -> Exception:
    """Translate a driver error into a clear storage error (never with parameters)."""
    if _is_connection_failure(exc):
        return server_unreachable(where)
    name = sqlite_error_name(exc)
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or ""
    text = str(orig) if orig is not None else ""
    if name.startswith("SQLITE_FULL") or sqlstate == "53100" or "disk is full" in text:
        return StorageFullError("The disk is full: the last action was not saved and nothing "
                                "partial was kept. Earlier data are safe. Please call staff.")
    if name.startswith("SQLITE_IOERR") or sqlstate.startswith("58"):
        return StorageFullError("The disk could not be written (I/O error): the last action "
                                "was not saved. Earlier data are safe. Please call staff.")
    if name.startswith("SQLITE_READONLY"):
        return DatabaseError("The database is read-only: nothing can be saved. Check the file "
                             "permissions or the drive, then restart.")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return DatabaseError("The database is locked by another program and stayed locked too "
                             "long. Nothing was saved; try again, or close the other program.")
    if name.startswith("SQLITE_CANTOPEN"):
        return DatabaseError("The database file cannot be opened (missing, moved or no "
                             "permission). Nothing was saved. Call the administrator.")
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return DatabaseError("The database file is damaged or not a database. It was not "
                             "changed. Restore it from a backup (admin).")
    return exc


READ_ONLY_LOCATION = ("The database is in a read-only location: this account cannot write "
                      "the file or its folder (SQLite writes its -wal/-shm files beside it). "
                      "Nothing was changed and it is not damaged. Check the permissions or the "
                      "drive (a read-only archived copy can still be checked with `epro audit "
                      "verify`).")


def refuse_read_only_location(path: Path) -> None:
    """A file (or its folder) this account cannot write is reported as read-only, never as
    damaged (SQLite's own error for a WAL file there looks like corruption)."""
    if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise DatabaseError(READ_ONLY_LOCATION)


class Database:
    """An open, checked and migrated database. ``session()`` is one transaction."""

    def __init__(self, engine: Engine, url: str, *, instrument_dir: Path | None = None) -> None:
        self.engine = engine
        self.url = url
        self.instrument_dir = instrument_dir
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        from storage import audit, patient_summary  # register the flush/commit listeners
        audit.install(self._sessions)
        patient_summary.install(self._sessions)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    def _raise_mapped(self, exc: DBAPIError) -> None:
        """Raise the one-line storage error a driver error stands for (or the error itself)."""
        where = server_address(self.engine.url) if self.dialect != "sqlite" else None
        mapped = map_db_error(exc, where)
        if mapped is exc:
            raise exc
        log.error("storage error %s: %s", type(mapped).__name__, sqlite_error_name(exc))
        raise mapped from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        s = self._sessions()
        try:
            with s.begin():
                yield s
        except DBAPIError as exc:
            self._raise_mapped(exc)
        finally:
            s.close()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only transaction for every read (staff lists, an opened patient, exports): on
        SQLite a DEFERRED ``BEGIN``, so it reads a consistent WAL snapshot without taking the
        write lock that ``session()``'s ``BEGIN IMMEDIATE`` takes (kiosks keep saving
        meanwhile); on PostgreSQL ``BEGIN READ ONLY`` (a write in it fails). Always rolled
        back."""
        try:
            with self.engine.connect() as conn:
                options: dict[str, object] = {READ_ONLY_OPTION: True}
                if self.dialect == "postgresql":
                    options["postgresql_readonly"] = True
                conn.execution_options(**options)
                s = self._sessions(bind=conn)
                try:
                    yield s
                finally:
                    s.close()          # rollback: nothing written here is ever kept
        except DBAPIError as exc:      # also a server that is gone before the first read
            self._raise_mapped(exc)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def unsynced_bulk_load(self) -> Iterator[None]:
        """For generated DEMO data only: SQLite commits without fsync (synchronous=OFF) while
        the block runs, then a full checkpoint with synchronous=FULL. Never for real data."""
        if self.dialect != "sqlite":
            yield
            return

        def _off(dbapi_con, _rec):  # noqa: ANN001, ANN202
            dbapi_con.execute("PRAGMA synchronous=OFF")
        event.listen(self.engine, "connect", _off)
        self.engine.dispose()
        try:
            yield
        finally:
            event.remove(self.engine, "connect", _off)
            self.engine.dispose()
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(FULL)")
            finally:
                raw.close()
            check_sqlite_pragmas(self.engine)


def open_database(url: str | None = None, *, demo: bool = False, migrate: bool = True,
                  busy_timeout: float = BUSY_TIMEOUT_S,
                  instrument_dir: Path | None = None, create: bool = True,
                  require_key: bool = True) -> Database:
    """Open (and by default upgrade) the database; raise DatabaseError when unsafe.

    ``create=False`` (every product path except ``init``, the first-run wizard and the demo
    database) never makes a database: a missing SQLite file, a missing folder, a zero-byte file
    or a SQLite file without the ePRO Desk schema raise :class:`DatabaseMissingError` and leave
    the disk untouched. ``create=True`` (the default of this library call, used by ``init`` and
    the tests) makes the file and its schema. Without the audit site key (``storage/audit_key``)
    the database is refused unless ``require_key=False`` (``audit verify``: structure only)."""
    from storage import migrate as mig

    url = url or default_database_url(demo)
    path = sqlite_path(url)
    if path is not None:
        path = path.expanduser()
        from storage.fs_checks import network_share_reason
        reason = network_share_reason(path)
        if reason:
            raise DatabaseError(f"Refusing the SQLite database at this location: {reason}. "
                                "SQLite is not safe on network shares; several stations must "
                                "share a PostgreSQL server instead.")
        refuse_read_only_location(path)
        state = mig.inspect_sqlite_file(path)   # read-only: refuses corrupt/foreign/newer
        if not create:
            refuse_missing(path, state)
        elif not path.exists():
            make_private_dirs(path.parent)       # 0700 / 0600 whatever the umask
            create_private_file(path)
            sqlite3.connect(path).close()       # the one place a database file is made
            if path.parent == data_dir():
                created_marker(path).write_text(
                    "ePRO Desk made this database here; if it goes missing, restore it from a "
                    "backup (the app will not make a new one in its place).\n", encoding="utf-8")
        engine = _sqlite_engine(path, busy_timeout)
        url = f"sqlite:///{path}"
        try:
            check_sqlite_pragmas(engine)
            if migrate and state.needs_upgrade:
                if state.has_data:
                    mig.check_integrity(path)        # full check before an upgrade only
                    mig.backup_before_upgrade(path, state.revision)
                mig.upgrade(engine)
            elif not migrate and state.revision != mig.head_revision():
                raise DatabaseError("The database has not been created/upgraded yet: run "
                                    "`epro init` first.")
            mig.check_writable(engine)
            guard_file_identity(engine, path)
        except Exception:
            engine.dispose()
            raise
    else:
        engine = create_engine(url, hide_parameters=True, pool_pre_ping=True,
                               json_serializer=compact_json)
        try:
            _check_postgres(engine)
            revision = mig.check_server_revision(engine)
            if not create and revision is None:
                raise DatabaseMissingError(
                    "The PostgreSQL database has no ePRO Desk schema yet; nothing was created. "
                    "Run `epro init` for a new study, or check the database name.")
            if migrate and revision != mig.head_revision():
                mig.upgrade(engine)
        except DBAPIError as exc:
            engine.dispose()
            mapped = map_db_error(exc, server_address(engine.url))
            if mapped is exc:
                raise
            raise mapped from exc
        except Exception:
            engine.dispose()
            raise
    if require_key:
        try:
            audit_key.load_key()       # no site key: refuse now, not at the first answer
        except audit_key.AuditKeyMissing:
            engine.dispose()
            raise
    return Database(engine, url, instrument_dir=instrument_dir)
