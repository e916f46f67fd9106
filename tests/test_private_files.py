"""Databases, backups and exports are private (0600 files, 0700 folders) whatever the umask
(issue 13 item 8: they were world-readable, 0644)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reports.export.commands import run_export
from storage.backup import backup_sqlite_file
from storage.db import open_database
from storage_fixtures import sqlite_db, sqlite_template, staff  # noqa: F401


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)                 # a typical permissive umask: 0644 / 0755
    yield
    os.umask(old)


def test_a_new_database_and_its_folders_are_private(tmp_path, open_umask) -> None:
    base = tmp_path / "base"
    base.mkdir(mode=0o755)
    path = base / "new" / "site" / "epro.db"
    db = open_database(f"sqlite:///{path}", create=True)
    try:
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
        assert mode(base) == 0o755                         # folders that existed: untouched
        wal = path.with_name("epro.db-wal")
        assert wal.exists() and mode(wal) == 0o600             # SQLite copies the file's mode
    finally:
        db.dispose()


def test_backups_are_private(sqlite_db, tmp_path, open_umask) -> None:  # noqa: F811
    target = tmp_path / "b.db"
    backup_sqlite_file(sqlite_db.path, target)
    assert mode(target) == 0o600


def test_exports_are_private(sqlite_db, tmp_path, open_umask) -> None:  # noqa: F811
    inv = staff(sqlite_db, "investigator")
    run_export(sqlite_db, inv, "csv", tmp_path / "csv")
    folder = tmp_path / "csv"
    assert mode(folder) == 0o700
    files = list(folder.iterdir())
    assert files and {mode(f) for f in files} == {0o600}
    run_export(sqlite_db, inv, "odm", tmp_path / "study.xml")
    assert mode(tmp_path / "study.xml") == 0o600
    old = tmp_path / "old"                              # an existing, readable folder + --force
    old.mkdir(mode=0o755)
    (old / "audit.csv").write_text("stale")
    os.chmod(old / "audit.csv", 0o644)
    run_export(sqlite_db, inv, "csv", old, force=True)
    assert mode(old) == 0o700 and mode(old / "audit.csv") == 0o600
