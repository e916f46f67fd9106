"""Check the audit trail: the hash chain, and current data == last audited value."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from storage.models import AuditEvent, Base

if TYPE_CHECKING:
    from storage.db import Database


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    values: int
    first_problem: str | None = None

    def __str__(self) -> str:
        if self.ok:
            return f"audit OK: {self.events} events in an unbroken chain, {self.values} values " \
                   "match their last audited value"
        return f"audit FAILED: {self.first_problem}"


def _audited_models() -> list[type]:
    return [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__audited__", False)]


def verify_audit(db: "Database") -> VerifyResult:
    """Messages name tables, ids and fields only, never values (they may be patient data)."""
    with db.session() as s:   # one transaction: the trail and the data are one snapshot
        return _verify(s)


def _verify(s) -> VerifyResult:  # noqa: ANN001
    from storage.audit import GENESIS, audited_columns, canon, row_hash

    last: dict[tuple[str, int, str], str | None] = {}
    deleted: set[tuple[str, int]] = set()
    created: set[tuple[str, int]] = set()
    n = 0
    prev = GENESIS
    rows = s.execute(select(AuditEvent.__table__).order_by(AuditEvent.seq))
    for r in rows.mappings():
        n += 1
        if r["seq"] != n:
            return VerifyResult(False, n - 1, 0, f"audit chain broken: expected seq {n}, "
                                f"found seq {r['seq']} (a row is missing or inserted)")
        if r["prev_hash"] != prev:
            return VerifyResult(False, n - 1, 0, f"audit chain broken at seq {n}: previous "
                                "hash does not match (a row was removed or reordered)")
        if row_hash(dict(r)) != r["row_hash"]:
            return VerifyResult(False, n - 1, 0, f"audit chain broken at seq {n}: row "
                                "content does not match its hash (the row was edited)")
        prev = r["row_hash"]
        if r["entity"] is None or r["operation"] == "event":
            continue
        key = (r["entity"], r["entity_id"])
        if r["operation"] == "delete":
            deleted.add(key)
        else:
            created.add(key)
            deleted.discard(key)
            last[(r["entity"], r["entity_id"], r["field"])] = r["new_value"]
    values = 0
    for model in sorted(_audited_models(), key=lambda m: m.__tablename__):
        table = model.__tablename__
        cols = audited_columns(model)
        present: set[int] = set()
        for obj in s.scalars(select(model).order_by(model.id)):
            present.add(obj.id)
            if (table, obj.id) not in created:
                return VerifyResult(False, n, values, f"{table} id {obj.id} has no audit "
                                    "record (inserted outside the application)")
            for col in cols:
                values += 1
                if canon(getattr(obj, col)) != last.get((table, obj.id, col)):
                    return VerifyResult(False, n, values, f"{table} id {obj.id} field "
                                        f"'{col}' differs from its last audited value "
                                        "(changed outside the application)")
        for (t, eid) in sorted(k for k in created if k[0] == table):
            if eid not in present and (t, eid) not in deleted:
                return VerifyResult(False, n, values, f"{table} id {eid} was deleted "
                                    "outside the application (no audited delete)")
    return VerifyResult(True, n, values)
