"""Consistent copies of a SQLite database (online backup API) and backup checks (the restore
itself: ``storage/restore.py``)."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

from storage.errors import DatabaseError
from storage.private_files import create_private_file


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    if os.name == "posix":
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def audit_head_of_file(path: Path) -> str:
    """``SEQ:HASH`` of the newest audit row held by the SQLite file at ``path`` (opened read-only,
    never created): the head to give ``audit verify --expect-head`` after restoring that file."""
    from storage.audit import GENESIS
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        row = con.execute("SELECT seq, row_hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return f"{row[0]}:{row[1]}" if row else f"0:{GENESIS}"


def backup_sqlite_file(src: Path, dest: Path) -> str:
    """Copy ``src`` to ``dest`` with the backup API (safe while in use), check it, fsync it,
    then rename into place. Returns the SHA-256 of the copy. ``dest`` must not exist."""
    dest = Path(dest)
    if dest.exists():
        raise DatabaseError(f"The backup target exists already: {dest.name}. Choose a new name.")
    if not dest.parent.is_dir():
        raise DatabaseError("The backup folder does not exist.")
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{quote(str(Path(src).resolve()))}?mode=ro", uri=True)
    try:
        create_private_file(tmp)                 # 0600 whatever the umask
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
            ok = target.execute("PRAGMA integrity_check").fetchall()
        finally:
            target.close()
    finally:
        source.close()
    if ok != [("ok",)]:
        tmp.unlink(missing_ok=True)
        raise DatabaseError("The backup copy failed its integrity check; no backup was kept.")
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    _fsync_dir(dest.parent)
    return sha256_file(dest)


def check_backup_file(path: Path) -> str:
    """Integrity, application id and a known schema revision; returns the revision."""
    from storage.migrate import inspect_sqlite_file
    if not Path(path).is_file():
        raise DatabaseError("The backup file does not exist.")
    with tempfile.TemporaryDirectory() as tmpdir:   # checks never touch the backup itself
        copy = Path(tmpdir) / "check.db"
        shutil.copyfile(path, copy)
        state = inspect_sqlite_file(copy)
        if not state.has_data or state.revision is None:
            raise DatabaseError("The file is not an ePRO Desk database backup.")
        con = sqlite3.connect(copy)
        try:
            if con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                raise DatabaseError("The backup file is damaged (integrity check failed).")
        finally:
            con.close()
        return state.revision
