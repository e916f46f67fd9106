"""Check the audit trail: the hash chain, and current data == last audited value.

The chain proves every row up to the newest one, but cannot show that the newest rows were
removed (the truncated chain is still a valid chain). Against that, ``audit verify`` and
``backup`` print the chain HEAD (``SEQ:HASH`` of the newest row); a head written down
elsewhere (a site log, the monitoring system, a ticket) is an anchor:
``audit verify --expect-head SEQ:HASH`` fails when the chain is shorter than SEQ or its row SEQ
has another hash. The trail may have grown since; that is fine."""
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
    head: str = ""          # "SEQ:HASH" of the newest verified row ("0:000…" when empty)

    def __str__(self) -> str:
        if self.ok:
            return f"audit OK: {self.events} events in an unbroken chain, {self.values} values " \
                   f"match their last audited value\naudit chain head: {self.head}"
        return f"audit FAILED: {self.first_problem}"


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` (as printed by ``audit verify`` / ``backup``) -> (seq, hash)."""
    from forms.errors import UserError
    seq, sep, digest = str(text).strip().partition(":")
    digest = digest.lower()
    if not sep or not seq.isdigit() or int(seq) < 1 or len(digest) != 64 \
            or any(c not in "0123456789abcdef" for c in digest):
        raise UserError("--expect-head must be SEQ:HASH as printed by `audit verify` or "
                        "`backup` (e.g. 1234:9f86d0…, 64 hex digits).")
    return int(seq), digest


def audit_head(db: "Database") -> str:
    """``SEQ:HASH`` of the newest audit row (not verified; see verify_audit)."""
    from storage.audit import GENESIS
    with db.session() as s:
        row = s.execute(select(AuditEvent.seq, AuditEvent.row_hash)
                        .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return f"{row[0]}:{row[1]}" if row else f"0:{GENESIS}"


def _audited_models() -> list[type]:
    return [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__audited__", False)]


def verify_audit(db: "Database", expect_head: str | None = None) -> VerifyResult:
    """Messages name tables, ids and fields only, never values (they may be patient data).

    ``expect_head`` (``SEQ:HASH``, an anchor recorded earlier) also fails the check when the
    chain no longer reaches SEQ (newest rows removed, or an older copy) or differs there."""
    anchor = parse_head(expect_head) if expect_head is not None else None
    with db.session() as s:   # one transaction: the trail and the data are one snapshot
        return _verify(s, anchor)


def _verify(s, anchor: tuple[int, str] | None = None) -> VerifyResult:  # noqa: ANN001
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
        if anchor is not None and n == anchor[0] and prev != anchor[1]:
            return VerifyResult(False, n, 0, f"audit chain differs from the expected head at "
                                f"seq {n} (the trail was rewritten or this is another "
                                "database)", f"{n}:{prev}")
        if r["entity"] is None or r["operation"] == "event":
            continue
        key = (r["entity"], r["entity_id"])
        if r["operation"] == "delete":
            deleted.add(key)
        else:
            created.add(key)
            deleted.discard(key)
            last[(r["entity"], r["entity_id"], r["field"])] = r["new_value"]
    head = f"{n}:{prev}"
    if anchor is not None and n < anchor[0]:
        return VerifyResult(False, n, 0, f"audit chain ends at seq {n} but the expected head "
                            f"is seq {anchor[0]}: the newest {anchor[0] - n} audit row(s) were "
                            "removed, or this is an older copy of the database", head)
    values = 0
    for model in sorted(_audited_models(), key=lambda m: m.__tablename__):
        table = model.__tablename__
        cols = audited_columns(model)
        present: set[int] = set()
        for obj in s.scalars(select(model).order_by(model.id)):
            present.add(obj.id)
            if (table, obj.id) not in created:
                return VerifyResult(False, n, values, f"{table} id {obj.id} has no audit "
                                    "record (inserted outside the application)", head)
            for col in cols:
                values += 1
                if canon(getattr(obj, col)) != last.get((table, obj.id, col)):
                    return VerifyResult(False, n, values, f"{table} id {obj.id} field "
                                        f"'{col}' differs from its last audited value "
                                        "(changed outside the application)", head)
        for (t, eid) in sorted(k for k in created if k[0] == table):
            if eid not in present and (t, eid) not in deleted:
                return VerifyResult(False, n, values, f"{table} id {eid} was deleted "
                                    "outside the application (no audited delete)", head)
    return VerifyResult(True, n, values, head=head)
