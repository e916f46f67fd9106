"""Every export and import is itself audited: who, when, what (format, scope) and file hashes.

Writes one ``export.created`` event (``patients.imported`` is written by the enrolment
service, storage.services.enrolment.enrol_many) through the storage audit trail
(``storage.audit.log_event`` inside ``storage.services._tx.tx``, which also checks the actor's
permission and records a denial). The event's ``new_value`` is a JSON object with the format,
the scope (subject, since), and the SHA-256 and size of every file written; no patient data.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable

from storage import audit
from storage.actors import Actor
from storage.db import Database
from storage.services._tx import check_permission, tx


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def file_manifest(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    return {p.name: {"sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in sorted(paths) if p.is_file()}


def require_export_permission(db: Database, actor: Actor) -> None:
    """Refuse (and audit the denial) before any data is read."""
    check_permission(db, actor, "export")


def record_export(db: Database, actor: Actor, *, fmt: str, files: Iterable[Path],
                  subject: str | None, since: str | None, rows: dict[str, int] | None = None
                  ) -> dict[str, Any]:
    detail = {"format": fmt, "subject": subject, "since": since,
              "files": file_manifest(files), "rows": rows or {}}
    with tx(db, actor, "export.created", permission="export") as s:
        audit.log_event(s, "export.created", detail=json.dumps(detail, sort_keys=True))
    return detail
