"""WAL checkpoints off the answer path (SQLite only).

With ``journal_mode=WAL`` and ``synchronous=FULL`` a transaction is durable once its COMMIT has
synced the WAL; a checkpoint only copies committed pages from the WAL into the main file.
SQLite's automatic checkpoint (default every 1 000 WAL pages) runs inside the COMMIT of
whichever connection crosses the threshold, so one autosave in ~40 paid for copying and
syncing the whole WAL. Here app connections run with ``wal_autocheckpoint=0`` and a daemon
thread with its own connection runs ``wal_checkpoint(PASSIVE)`` (never waits for locks) after
``EVERY_COMMITS`` commits or ``INTERVAL_S`` seconds. ``stop()`` (``Database.dispose()``) ends
the thread and runs a TRUNCATE checkpoint.

The WAL cannot grow without bound: ``healthy()`` is False when the thread is not running or
has fallen ``FALLBACK_COMMITS`` commits behind (e.g. its checkpoints keep failing); the
``begin`` event of every app transaction then switches its connection back to SQLite's
automatic checkpoint (``FALLBACK_PAGES``), and back to 0 once the thread is healthy again.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

EVERY_COMMITS = 32           # wake the thread after this many commits (~23 WAL pages each)
INTERVAL_S = 2.0             # ... or after this long when there was any commit
FALLBACK_COMMITS = 400       # thread this far behind -> connections checkpoint themselves
FALLBACK_PAGES = 1000        # SQLite's default wal_autocheckpoint
BUSY_TIMEOUT_MS = 5000       # only the final TRUNCATE checkpoint waits for locks


class Checkpointer:
    """Runs PASSIVE checkpoints of one SQLite file from a daemon thread."""

    def __init__(self, path: Path, *, every_commits: int = EVERY_COMMITS,
                 interval_s: float = INTERVAL_S,
                 fallback_commits: int = FALLBACK_COMMITS) -> None:
        self.path = Path(path)
        self.every_commits = every_commits
        self.interval_s = interval_s
        self.fallback_commits = fallback_commits
        self.runs = 0                   # successful checkpoints (tests, diagnostics)
        self.failures = 0
        self._pending = 0               # commits since the last successful checkpoint
        self._recheck = False
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- app side ------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="epro-wal-checkpoint",
                                        daemon=True)
        self._thread.start()

    def healthy(self) -> bool:
        t = self._thread
        return (t is not None and t.is_alive() and not self._stop.is_set()
                and self._pending < self.fallback_commits)

    def note_commit(self) -> None:
        with self._lock:
            self._pending += 1
            due = self._pending >= self.every_commits
        if due:
            self._wake.set()

    def stop(self, *, truncate: bool = True) -> None:
        """End the thread; then checkpoint everything and truncate the WAL to 0 bytes."""
        self._stop.set()
        self._wake.set()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout=30)
        if truncate:
            self.checkpoint("TRUNCATE")

    # -- checkpoint ----------------------------------------------------------------------
    def checkpoint(self, mode: str = "PASSIVE") -> tuple[int, int, int] | None:
        """One checkpoint on a fresh connection; returns SQLite's (busy, log, checkpointed)
        or None when it failed (logged; the fallback bounds the WAL)."""
        sql = {"PASSIVE": "PRAGMA wal_checkpoint(PASSIVE)",
               "TRUNCATE": "PRAGMA wal_checkpoint(TRUNCATE)"}[mode]   # fixed strings only
        with self._lock:
            seen = self._pending
        try:
            con = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                con.execute("PRAGMA synchronous=FULL")      # sync the main file after copying
                row = con.execute(sql).fetchone()
            finally:
                con.close()
        except sqlite3.Error as exc:
            self.failures += 1
            log.warning("WAL checkpoint (%s) failed: %s", mode,
                        getattr(exc, "sqlite_errorname", type(exc).__name__))
            return None
        with self._lock:
            self._pending = max(0, self._pending - seen)
        # the engine's "commit" event fires just BEFORE the COMMIT, so a commit counted in
        # ``seen`` may land after this checkpoint started: run one more on the next wake-up
        self._recheck = seen > 0
        self.runs += 1
        return tuple(row)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            if self._stop.is_set():
                break
            if (self._pending or self._recheck) and self.path.exists():
                self.checkpoint("PASSIVE")
