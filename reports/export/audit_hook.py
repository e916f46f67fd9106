"""Every export is itself audited: who, when, what (format, scope) and file hashes.

This module only builds the manifest (SHA-256 and size of every file written); the audit event
is written by ``storage.services.record_export`` (reports/ reads, it never writes), which also
checks the actor's permission and records a denial.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable

from storage import services as sv


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def file_manifest(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    return {p.name: {"sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in sorted(paths) if p.is_file()}


def require_export_permission(db: sv.Database, actor: sv.Actor) -> None:
    """Refuse (and audit the denial) before any data is read."""
    sv.require_export_permission(db, actor)


def record_export(db: sv.Database, actor: sv.Actor, *, fmt: str, files: Iterable[Path],
                  subject: str | None, since: str | None, rows: dict[str, int] | None = None
                  ) -> dict[str, Any]:
    detail = {"format": fmt, "subject": subject, "since": since,
              "files": file_manifest(files), "rows": rows or {}}
    sv.record_export(db, actor, detail)
    return detail
