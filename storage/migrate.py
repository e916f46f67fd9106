"""Schema checks and Alembic upgrades, run at start.

Before anything writes to an existing SQLite file it is inspected through a read-only
connection: a file that is not a database, is corrupt, belongs to another application or was
made by a newer version is refused and left byte-identical. An upgrade of a file with data is
preceded by an online backup (sqlite3 backup API) and runs in one transaction.

Opening an up-to-date database never imports Alembic (issue 16: nothing heavy before the first
screen): the known revisions and the head are read from the revision files themselves
(``revision`` / ``down_revision`` lines, ``tests/test_storage_lazy_imports.py`` checks them
against Alembic's own answer); Alembic is loaded only to run an upgrade.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from storage.errors import DatabaseError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
APPLICATION_ID = 0x4550524F  # "EPRO" in PRAGMA application_id
SQLITE_HEADER = b"SQLite format 3\x00"
_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]*)?=\s*(None|['\"]([^'\"]+)['\"])", re.M)

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config() -> "Config":
    from alembic.config import Config       # Alembic only for an upgrade (module docstring)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@lru_cache(maxsize=1)
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision, read from ``migrations/versions/*.py`` (linear history)."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev is None or down is None:
            raise RuntimeError(f"migration file without revision/down_revision: {path.name}")
        graph[rev.group(1)] = down.group(2)
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {d for d in graph.values() if d is not None}
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


def newer_version_error(rev: str) -> DatabaseError:
    return DatabaseError(f"This database was made by a newer version of ePRO Desk (schema "
                         f"revision {rev}); this version cannot use it. It was not changed. "
                         "Install the newer version.")


@dataclass(frozen=True)
class FileState:
    exists: bool
    has_data: bool
    revision: str | None

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != head_revision()


def read_only_uri(path: Path) -> str:
    """``mode=ro``; an archived copy (file or folder without write permission bits) is also
    opened ``immutable``: SQLite then needs no -shm/-wal beside it and creates nothing."""
    path = path.resolve()
    archived = not (path.stat().st_mode & 0o222) or not (path.parent.stat().st_mode & 0o222)
    return f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if archived else "")


def _ro_connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)


def inspect_sqlite_file(path: Path) -> FileState:
    """Look at an existing file read-only; raise DatabaseError when it must not be used."""
    if not path.exists():
        return FileState(False, False, None)
    if path.is_dir():
        raise DatabaseError(f"The database path is a folder, not a file: {path.name}")
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except PermissionError:
        raise DatabaseError("The database file cannot be read (permission denied).") from None
    if not header:
        return FileState(True, False, None)  # empty file = empty SQLite database
    if header != SQLITE_HEADER:
        raise DatabaseError("The file is not an ePRO Desk database (not a SQLite file). It was "
                            "not changed. Choose the right file or restore a backup.")
    try:
        con = _ro_connect(path)
        try:
            # cheap checks only (header, application id, schema version): the full
            # integrity_check runs before an upgrade, in backup, restore and `audit verify`
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            rev = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                rev = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            raise DatabaseError("The database is locked by another program; try again.") from None
        raise DatabaseError("The database file is damaged or not a database. It was not "
                            "changed. Restore it from a backup (admin).") from None
    if app_id not in (0, APPLICATION_ID) or (tables and "alembic_version" not in tables):
        raise DatabaseError("The file is a database of another application, not ePRO Desk. It "
                            "was not changed.")
    if rev is not None and rev not in known_revisions():
        raise newer_version_error(rev)
    return FileState(True, bool(tables), rev)


def integrity_problem(path: Path) -> str | None:
    """Full ``PRAGMA integrity_check`` through a read-only connection: None when ok, else the
    first problem SQLite reports (it names pages/tables, never row values)."""
    try:
        con = _ro_connect(path)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return f"the file cannot be read as a database ({exc})"
    return None if rows == [("ok",)] else str(rows[0][0])


def check_integrity(path: Path) -> None:
    problem = integrity_problem(path)
    if problem is not None:
        raise DatabaseError("The database file is damaged (integrity check failed). It was not "
                            "changed. Restore it from a backup (admin).")


def backup_before_upgrade(path: Path, revision: str | None) -> Path:
    from storage.backup import backup_sqlite_file
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.pre-upgrade-{revision or 'none'}-{stamp}.bak")
    backup_sqlite_file(path, dest)
    return dest


def server_revision(engine: Engine) -> str | None:
    """The schema revision of a PostgreSQL database (None: no schema yet), read without
    Alembic."""
    with engine.connect() as conn:
        if not conn.exec_driver_sql(
                "SELECT to_regclass('alembic_version') IS NOT NULL").scalar():
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def check_server_revision(engine: Engine) -> str | None:
    rev = server_revision(engine)
    if rev is not None and rev not in known_revisions():
        raise newer_version_error(rev)
    return rev


def upgrade(engine: Engine) -> None:
    """Run every pending migration in one transaction."""
    from alembic import command             # Alembic only for an upgrade (module docstring)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except DBAPIError as exc:
        from storage.db import map_db_error
        mapped = map_db_error(exc)
        raise (mapped if mapped is not exc else DatabaseError(
            "The database could not be upgraded; nothing was changed.")) from exc


def check_writable(engine: Engine) -> None:
    """A no-op write in a rolled-back transaction: read-only or locked files fail here."""
    from storage.db import map_db_error
    try:
        with engine.connect() as conn:
            trans = conn.begin()
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
            trans.rollback()
    except DBAPIError as exc:
        raise map_db_error(exc) from exc
