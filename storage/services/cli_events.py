"""Audited events of command-line work on patient data that is not a data change: visit
summaries written by ``epro summary``, backups written by ``epro backup``, demo data added to an
existing demo study. Each needs the acting account's permission (checked before any data is
read) and records who did it (issue 13 item 4)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import func, select

from storage import audit
from storage.actors import Actor
from storage.db import Database
from storage.models import Study, User
from storage.services._tx import check_permission, tx


def require_cli_permission(db: Database, actor: Actor, permission: str) -> Actor:
    """The authenticated account if it may ``permission`` (e.g. ``print``, ``backup``);
    PermissionDenied / AuthError (audited) otherwise — before anything is read."""
    return check_permission(db, actor, permission)


def record_cli_event(db: Database, actor: Actor, action: str, permission: str,
                     detail: Mapping[str, Any]) -> None:
    """One audit event ``action`` by ``actor`` with ``detail`` as JSON (keys sorted; subject
    ids and visit codes, file names and hashes — never patient values)."""
    with tx(db, actor, action, permission=permission) as s:
        audit.log_event(s, action, detail=json.dumps(dict(detail), sort_keys=True))


@dataclass(frozen=True)
class DatabaseState:
    """What ``init`` and ``demo-data`` must know before they change anything."""
    has_study: bool
    is_demo: bool
    accounts: int


def database_state(db: Database) -> DatabaseState:
    with db.read_session() as s:
        demo = s.scalar(select(Study.is_demo).order_by(Study.id).limit(1))
        accounts = s.scalar(select(func.count(User.id))) or 0
    return DatabaseState(demo is not None, bool(demo), accounts)


__all__ = ["DatabaseState", "database_state", "require_cli_permission", "record_cli_event"]
