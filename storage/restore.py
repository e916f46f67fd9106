"""Restore a SQLite backup INTO the live database file, safely (issue 13 item 2).

The old way renamed the live file and deleted its ``-wal``: a station that still had it open
went on acknowledging answers into the orphaned file. Now:

- the restore takes an EXCLUSIVE lock on the live file first (``locking_mode=EXCLUSIVE``; in WAL
  mode every open connection holds a shared lock on the file), so it is refused while any other
  connection (station, kiosk, program) has the database open, and nobody can open it meanwhile;
- the old content is copied through that connection to a unique ``<name>.<UTC µs>.bak``;
- the backup is copied into the live file through the SQLite backup API (same file, same inode,
  its WAL included), integrity-checked and checkpointed;
- before that, the backup must be an ePRO Desk database of THIS study (same protocol id), and a
  backup with fewer audit events than the live file, or whose audit chain is not a beginning of
  the live one, is only restored after an explicit confirmation (``--yes`` or a prompt).
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from storage.backup import backup_sqlite_file, check_backup_file, sha256_file
from storage.errors import DatabaseError


@dataclass(frozen=True)
class DbFacts:
    """What a database file holds, read read-only, for the restore decision and the audit."""
    protocol_ids: tuple[str, ...]
    audit_events: int
    head_seq: int
    head_hash: str | None
    patients: int
    answers: int
    accounts: int

    def describe(self) -> str:
        return (f"{self.patients} patient(s), {self.answers} answer(s), {self.accounts} staff "
                f"account(s), {self.audit_events} audit event(s)")

    def holds_less_than(self, other: DbFacts) -> bool:
        """Less study data (audit events are not compared: every login and backup adds one)."""
        return (self.patients < other.patients or self.answers < other.answers
                or self.accounts < other.accounts)


def _facts(con: sqlite3.Connection) -> DbFacts:
    def count(table: str) -> int:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]   # fixed names only
    head = con.execute("SELECT seq, row_hash FROM audit_event ORDER BY seq DESC LIMIT 1"
                       ).fetchone()
    return DbFacts(tuple(r[0] for r in con.execute("SELECT protocol_id FROM study ORDER BY id")),
                   count("audit_event"), head[0] if head else 0, head[1] if head else None,
                   count("patient"), count("answer"), count("user_account"))


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)


def backup_facts(backup: Path) -> DbFacts:
    """Checked (integrity, our schema) facts of a backup, read from a private copy."""
    check_backup_file(backup)
    with tempfile.TemporaryDirectory() as tmpdir:
        copy = Path(tmpdir) / "facts.db"
        copy.write_bytes(Path(backup).read_bytes())
        con = _ro(copy)
        try:
            return _facts(con)
        finally:
            con.close()


def live_facts(target: Path) -> DbFacts | None:
    """Facts of the live file; None when it is missing or cannot be read as our database (a
    damaged file is what restores are for)."""
    if not target.is_file() or target.stat().st_size == 0:
        return None
    try:
        con = _ro(target)
        try:
            return _facts(con)
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None


def live_hash_at(target: Path, seq: int) -> str | None:
    con = _ro(target)
    try:
        row = con.execute("SELECT row_hash FROM audit_event WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def concerns(backup: DbFacts, live: DbFacts | None, live_hash: str | None) -> list[str]:
    """Why replacing the live database needs a confirmation (empty: nothing unusual). Raises
    when the backup belongs to another study (never restored over it)."""
    if live is None:
        return []
    if live.protocol_ids and backup.protocol_ids != live.protocol_ids:
        theirs = ", ".join(backup.protocol_ids) or "(none)"
        raise DatabaseError(f"The backup belongs to study {theirs}, this database to "
                            f"{', '.join(live.protocol_ids)}; nothing was changed.")
    out = []
    if backup.holds_less_than(live):
        out.append(f"The backup holds less than the database: backup {backup.describe()}; "
                   f"database now {live.describe()}. What is not in the backup is replaced "
                   "(the current file is kept as a .bak).")
    if backup.head_hash is not None and live_hash != backup.head_hash:
        out.append("The backup's audit trail is not a beginning of this database's audit trail "
                   "(a different history).")
    return out


def unique_bak_name(target: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    base = target.with_name(f"{target.name}.{stamp}")
    for n in range(1000):
        candidate = Path(f"{base}{'' if n == 0 else f'-{n}'}.bak")
        if not candidate.exists():
            return candidate
    raise DatabaseError("Could not find a free name for the .bak copy; nothing was changed.")


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
    if os.name == "posix":
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def exclusive_connection(target: Path) -> sqlite3.Connection:
    """An exclusive hold on the live file, or DatabaseError when another connection has it."""
    con = sqlite3.connect(f"file:{quote(str(target.resolve()))}?mode=rw", uri=True,
                          isolation_level=None, timeout=0)
    try:
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("COMMIT")                    # the lock stays (exclusive locking mode)
    except sqlite3.DatabaseError:
        con.close()
        raise DatabaseError("The database is open in another window, station or program: close "
                            "every ePRO Desk window and kiosk using it, then restore. Nothing was "
                            "changed.") from None
    return con


def _replace_unreadable(backup: Path, target: Path) -> Path:
    """A live file that cannot be read as our database is kept as it is (with its -wal/-shm,
    renamed beside the unique .bak) and the backup written in its place."""
    kept = unique_bak_name(target)
    os.rename(target, kept)
    for side in ("-wal", "-shm"):
        if Path(f"{target}{side}").exists():
            os.rename(f"{target}{side}", f"{kept}{side}")
    backup_sqlite_file(backup, target)
    return kept


def restore_into_live_file(backup: Path, target: Path) -> Path | None:
    """Copy the old content to a unique ``.bak`` and the backup into the live file, under an
    exclusive lock. Returns the ``.bak`` path (None when there was no live file)."""
    if not target.exists():
        backup_sqlite_file(backup, target)
        return None
    if live_facts(target) is None:               # damaged / not ours: nobody can be using it
        return _replace_unreadable(backup, target)
    live = exclusive_connection(target)
    try:
        kept = unique_bak_name(target)
        partial = kept.with_name(kept.name + ".partial")
        bak = sqlite3.connect(partial)
        try:
            live.backup(bak)
            bak.execute("PRAGMA journal_mode=DELETE")
        finally:
            bak.close()
        _fsync(partial)
        os.link(partial, kept)                   # fails rather than overwrite an existing .bak
        partial.unlink()
        src = _ro(backup)
        try:
            src.backup(live)
        finally:
            src.close()
        if live.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise DatabaseError("The restored database failed its integrity check; the previous "
                                f"content is in {kept.name}.")
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        live.close()
    return kept


__all__ = ["DbFacts", "backup_facts", "concerns", "exclusive_connection", "live_facts",
           "live_hash_at", "restore_into_live_file", "sha256_file", "unique_bak_name"]
