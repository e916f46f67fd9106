"""Demo data one patient per transaction (issue 16): the same service calls, one commit.

``PatientBatch(db)`` is ``db`` (same engine) whose ``session()`` and ``read_session()`` join
one open write transaction while :meth:`PatientBatch.transaction` runs. Each service call
still re-reads its actor's session and account, checks its permission, sets its own audit
context and scores through ``forms``; when the outermost call ends its changes are flushed —
so the audit rows are written under THAT call's context, in order — and the identity map is
emptied, so the next call reads every row afresh as a transaction of its own would. What is
saved is one commit (and one ``patient_summary`` refresh) per patient instead of ~100. An
error in any call rolls the whole patient back and is raised. For generated demo data only.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.orm import Session

from storage.db import Database


class PatientBatch(Database):
    """``db`` with :meth:`transaction`; outside it every call is its own transaction."""

    def __init__(self, db: Database) -> None:
        super().__init__(db.engine, db.url, instrument_dir=db.instrument_dir)
        self._shared: Session | None = None
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Every service call in the block shares one transaction, committed at its end."""
        assert self._shared is None, "transactions do not nest"
        with super().session() as s:
            self._shared = s
            try:
                yield
            finally:
                self._shared = None

    @contextmanager
    def _join(self, write: bool) -> Iterator[Session]:
        s = self._shared
        assert s is not None
        self._depth += 1
        try:
            yield s
        finally:
            self._depth -= 1
        if self._depth == 0:           # the service call is over (not after an error)
            if write:
                s.flush()              # audited under this call's context
            s.expunge_all()            # the next call loads what it reads

    @contextmanager
    def session(self) -> Iterator[Session]:
        if self._shared is None:
            with super().session() as s:
                yield s
        else:
            with self._join(True) as s:
                yield s

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        if self._shared is None:
            with super().read_session() as s:
                yield s
        else:
            with self._join(False) as s:
                yield s
