"""The SQLite file itself: is a database there, was one ever made there, is it still the file
that was opened. Nothing here creates a database (``storage.db.open_database`` does, only when
asked to: ``init``, demo data, the first run at the default location)."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event
from sqlalchemy.engine import Engine

from storage.errors import DatabaseMissingError, DatabaseVanishedError

if TYPE_CHECKING:
    from storage.migrate import FileState

log = logging.getLogger("storage.db")


def refuse_missing(path: Path, state: FileState) -> None:
    """Opening (not ``init``) needs an existing ePRO Desk database; nothing is made here."""
    where = f"{path.name} in {path.parent}"
    if not state.exists:
        raise DatabaseMissingError(
            f"No database file {where}; nothing was created. A new study database is made "
            "only by `epro init` (or the set-up wizard); if the database was there before, "
            "restore it from a backup.")
    if path.stat().st_size == 0:
        raise DatabaseMissingError(
            f"The database file {where} is empty (0 bytes); it was not replaced. Restore it "
            "from a backup (admin), or remove it and run `epro init` for a new study.")
    if state.revision is None:
        raise DatabaseMissingError(
            f"The file {where} holds no ePRO Desk database yet; nothing was changed. Run "
            "`epro init` to create one.")


def created_marker(path: Path) -> Path:
    return path.with_name(path.name + ".created")


def is_first_run(path: Path, home: Path) -> bool:
    """True when no database was ever made at ``path`` in ``home`` (the user data folder): the
    file is not there and nothing of a previous one is beside it (``<name>.created`` written
    when it was made, ``-wal``/``-shm``, backups ``<name>.….bak``). Only then may the
    workstation make it (through the set-up wizard); a database that disappeared is never
    replaced."""
    if path.parent != home or path.exists():
        return False
    if not path.parent.is_dir():
        return True
    return not any(p.name.startswith(path.name) for p in path.parent.iterdir())


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file now at ``path``; None when nothing is there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def vanished_error() -> DatabaseVanishedError:
    return DatabaseVanishedError(
        "The database file is no longer where it was opened (deleted, moved or replaced): "
        "this was NOT saved and nothing more can be saved. Earlier saved data are in the "
        "moved file or in the backups. Close the app and call the administrator.")


def guard_file_identity(engine: Engine, path: Path) -> None:
    """Before every commit, check that ``path`` is still the file the engine opened (same
    device and inode): a write into a deleted or replaced file is refused and rolled back, so
    nothing is acknowledged that no later start would find. One ``stat`` per commit."""
    expected = file_identity(path)

    @event.listens_for(engine, "commit")
    def _check_identity(_conn):  # noqa: ANN001
        if file_identity(path) != expected:
            log.error("database file vanished or was replaced; commit refused")
            raise vanished_error()
