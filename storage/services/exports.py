"""Every export is itself audited: who, when, what (format, scope) and the file hashes.

``reports/`` builds the files and their manifest and only reads the data; the audit row is
written here, in one transaction that also checks the actor's permission (a denial is
recorded). The event's ``detail`` is a JSON object with the format, the scope (subject,
since), the row counts and the SHA-256 and size of every file written; no patient data.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from storage import audit
from storage.audit_verify import checkpoint_head
from storage.actors import Actor
from storage.db import Database
from storage.services._tx import check_permission, tx


def require_export_permission(db: Database, actor: Actor) -> None:
    """Refuse (and audit the denial) before any data is read."""
    check_permission(db, actor, "export")


def record_export(db: Database, actor: Actor, detail: Mapping[str, Any]) -> None:
    """One ``export.created`` audit event carrying ``detail`` (JSON, keys sorted)."""
    with tx(db, actor, "export.created", permission="export") as s:
        audit.log_event(s, "export.created", detail=json.dumps(dict(detail), sort_keys=True))


def sign_audit_checkpoint(db: Database) -> str:
    """Signed checkpoint of the audit head (``SEQ:HASH:TIME:HMAC``), appended to the site log
    beside the key (outside the database) and printed after an export or a backup."""
    return checkpoint_head(db)


__all__ = ["record_export", "require_export_permission", "sign_audit_checkpoint"]
