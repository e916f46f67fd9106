"""The version-1 audit trail (one row per FIELD, plain SHA-256 chain; schema ≤ 0008) and its
conversion to the compact keyed form (migration 0009) and back (its downgrade).

Version 1 hashed ``sha256(prev_hash + canonical JSON of the row)``; anyone who could write the
file could rebuild it. The upgrade verifies that chain first and refuses a database whose old
chain does not verify; then consecutive rows of one change (same time, action, operation,
entity, actor, station, patient, reason; each field once) become one compact row, and a
migration record carrying the old head (``SEQ:HASH``) ends the re-chained trail.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from storage.errors import DatabaseError

GENESIS = "0" * 64
V1_HASHED = ("seq", "at", "action", "operation", "entity", "entity_id", "field", "old_value",
             "new_value", "reason", "actor_kind", "actor_user_id", "actor_username",
             "actor_role", "station_id", "patient_id", "prev_hash")
#: what identifies one change (one flush of one entity, or one event) among v1 rows
_IDENTITY = ("at", "action", "operation", "entity", "entity_id", "reason", "actor_kind",
             "actor_user_id", "actor_username", "actor_role", "station_id", "patient_id")
_COMMON = _IDENTITY


def _at_text(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def v1_hash(row: dict[str, Any]) -> str:
    content = {k: row.get(k) for k in V1_HASHED}
    content["at"] = _at_text(row["at"])
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((row["prev_hash"] + blob).encode("utf-8")).hexdigest()


def refused(seq: int, what: str) -> DatabaseError:
    return DatabaseError(
        f"This database's audit trail does not verify (seq {seq}: {what}). It was NOT upgraded "
        "and nothing was changed: an upgrade would re-chain a trail that may have been tampered "
        "with. Restore the last good backup, or ask the vendor to examine the file.")


def verified_v1(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Yield the v1 rows while checking their chain; raise :func:`refused` at the first break
    (the caller must consume every row before writing anything)."""
    prev, n = GENESIS, 0
    for row in rows:
        n += 1
        if row["seq"] != n:
            raise refused(n, "a row is missing or inserted")
        if row["prev_hash"] != prev or v1_hash(row) != row["row_hash"]:
            raise refused(n, "the row does not match its hash")
        prev = row["row_hash"]
        yield row


class Compactor:
    """Verified v1 rows -> compact rows (without seq/hash), streamed: ``head`` (old
    ``SEQ:HASH``) and ``count`` are final once ``rows`` is exhausted."""

    def __init__(self) -> None:
        self.head = f"0:{GENESIS}"
        self.count = 0

    def rows(self, v1_rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        fields: dict[str, list[str | None]] = {}
        cur: dict[str, Any] | None = None
        for row in verified_v1(v1_rows):
            self.count += 1
            self.head = f"{row['seq']}:{row['row_hash']}"
            same = cur is not None and row["operation"] != "event" and \
                cur["operation"] != "event" and row["field"] not in fields and \
                all(cur[k] == row[k] for k in _IDENTITY)
            if not same:
                if cur is not None:
                    yield _closed(cur, fields)
                cur = {k: row[k] for k in _COMMON}
                cur.update(changes=None, detail=None)
                fields = {}
            if row["operation"] == "event":
                cur["detail"] = row["new_value"]
            else:
                fields[row["field"]] = [row["old_value"], row["new_value"]]
        if cur is not None:
            yield _closed(cur, fields)


def _closed(cur: dict[str, Any], fields: dict[str, list[str | None]]) -> dict[str, Any]:
    if cur["operation"] != "event":
        cur["changes"] = json.dumps(fields, sort_keys=True, ensure_ascii=False,
                                    separators=(",", ":"))
    return cur


def expand(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Compact rows -> v1 rows (seq and a plain SHA-256 chain), for the downgrade."""
    prev, seq = GENESIS, 0
    for row in rows:
        base = {k: row[k] for k in _COMMON}
        if row["operation"] == "event":
            parts = [(None, None, row["detail"])]
        else:
            parts = [(f, o, nv) for f, (o, nv) in
                     sorted(json.loads(row["changes"] or "{}").items())]
        for field, old, new in parts:
            seq += 1
            v1 = dict(base, seq=seq, field=field, old_value=old, new_value=new, prev_hash=prev)
            v1["row_hash"] = prev = v1_hash(v1)
            yield v1
