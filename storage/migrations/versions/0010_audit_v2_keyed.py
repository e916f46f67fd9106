"""audit trail v2: one compact row per change, keyed (HMAC) chain, INTEGER PRIMARY KEY seq.

The old per-field chain is verified first (a database whose old chain does not verify is
refused, unchanged); its rows are grouped into one row per change (``changes`` = canonical JSON
``{"field": [old, new]}``; events keep their detail), credentials get a keyed baseline marker
(they were outside the v1 chain), and a migration record carrying the old head ``SEQ:HASH``
closes the trail, everything re-chained under the site key (created here when missing: ``init``).
No UNIQUE index on the hash, no separate index for ``seq`` (SQLite rowid alias); indexes:
(entity, entity_id) and patient_id. The append-only triggers are re-created. The answer
table's ``ix_answer_administration_id`` goes (the UNIQUE (administration_id, item_id) index
serves the same lookups): one index fewer written per answer.

Revision ID: 0010
Revises: 0009

"""
import json
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from storage import audit, audit_key, audit_legacy
from storage.clock import utcnow
from storage.types import UtcDateTime

revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_ACTORS = "actor_kind IN ('user', 'patient', 'system')"
_OPS = "operation IN ('insert', 'update', 'delete', 'event')"


def _common() -> list:
    return [sa.Column('at', UtcDateTime(), nullable=False),
            sa.Column('action', sa.String(64), nullable=False),
            sa.Column('operation', sa.String(8), nullable=False),
            sa.Column('entity', sa.String(64)),
            sa.Column('entity_id', sa.BigInteger())]


def _actor() -> list:
    return [sa.Column('reason', sa.String(2000)),
            sa.Column('actor_kind', sa.String(8), nullable=False),
            sa.Column('actor_user_id', sa.Integer()),
            sa.Column('actor_username', sa.String(64)),
            sa.Column('actor_role', sa.String(16)),
            sa.Column('station_id', sa.String(64)),
            sa.Column('patient_id', sa.Integer())]


def _checks() -> list:
    return [sa.CheckConstraint(_ACTORS, name=op.f('ck_audit_event_actor_kind')),
            sa.CheckConstraint(_OPS, name=op.f('ck_audit_event_operation')),
            sa.CheckConstraint('seq >= 1', name=op.f('ck_audit_event_seq')),
            sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_event'))]


def _v1_table(meta: sa.MetaData) -> sa.Table:
    return sa.Table('audit_event', meta, sa.Column('seq', sa.BigInteger()), *_common(),
                    sa.Column('field', sa.String(64)), sa.Column('old_value', sa.Text()),
                    sa.Column('new_value', sa.Text()), *_actor(),
                    sa.Column('prev_hash', sa.String(64)), sa.Column('row_hash', sa.String(64)))


def _triggers(create: bool) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_event_no_{verb.lower()}")
            if create:
                op.execute(f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON "
                           "audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is "
                           "append-only'); END")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        if create:
            op.execute("CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON "
                       "audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()")
            op.execute("CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
                       "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()")


def _baselines(conn: sa.Connection, key: bytes, at, seen: dict[int, set[str]]  # noqa: ANN001
               ) -> list[dict]:
    """Credentials were outside the v1 chain, and 0008 added ``must_change_password`` to every
    account without an audit row: one baseline row per account (keyed credential markers, and
    the flag where the v1 trail never recorded it)."""
    rows = []
    for uid, pw, pin, must in conn.execute(sa.text(
            "SELECT id, password_hash, kiosk_pin_hash, must_change_password FROM user_account "
            "ORDER BY id")):
        fields = {c: [None, audit_key.secret_marker(key, v)]
                  for c, v in (("password_hash", pw), ("kiosk_pin_hash", pin)) if v is not None}
        if must is not None and "must_change_password" not in seen.get(uid, ()):
            fields["must_change_password"] = [None, audit.canon(bool(must))]
        if fields:
            rows.append(_system(at, "audit.credential_baseline", "update", "user_account", uid,
                                changes=audit.canon_json(fields)))
    return rows


def _system(at, action: str, operation: str, entity, entity_id, **extra) -> dict:  # noqa: ANN001
    row = {"at": at, "action": action, "operation": operation, "entity": entity,
           "entity_id": entity_id, "changes": None, "detail": None, "reason": None,
           "actor_kind": "system", "actor_user_id": None, "actor_username": None,
           "actor_role": None, "station_id": None, "patient_id": None}
    row.update(extra)
    return row


class _Chain:
    """Chains rows under the site key and inserts them in batches (flat memory)."""

    def __init__(self, conn: sa.Connection, table: sa.Table, key: bytes) -> None:
        self.conn, self.insert, self.key = conn, sa.insert(table), key
        self.prev, self.seq, self.batch = audit.GENESIS, 0, []

    def add(self, row: dict) -> None:
        self.seq += 1
        row["seq"] = self.seq
        row["row_hash"] = self.prev = audit.row_hash(self.key, self.prev, row)
        self.batch.append(row)
        if len(self.batch) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.conn.execute(self.insert, self.batch)
            self.batch = []


def _v2_table(name: str, pk: str) -> list:
    return [name, sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                            nullable=False, autoincrement=False), *_common(),
            sa.Column('changes', sa.Text()), sa.Column('detail', sa.Text()), *_actor(),
            sa.Column('row_hash', sa.String(64), nullable=False),
            sa.CheckConstraint(_ACTORS, name=op.f('ck_audit_event_actor_kind')),
            sa.CheckConstraint(_OPS, name=op.f('ck_audit_event_operation')),
            sa.CheckConstraint('seq >= 1', name=op.f('ck_audit_event_seq')),
            sa.PrimaryKeyConstraint('seq', name=op.f(pk))]


def upgrade() -> None:
    """Streams: the v1 rows are read in seq order, verified, grouped, chained and written to a
    new table in batches; a break anywhere raises and the one upgrade transaction rolls back."""
    conn = op.get_bind()
    audit_key.ensure_key()              # init makes the site key; an existing one is kept
    key = audit_key.load_key()
    new = op.create_table(*_v2_table('audit_event_new', 'pk_audit_event_new'))
    chain = _Chain(conn, new, key)
    old = _v1_table(sa.MetaData())
    compactor = audit_legacy.Compactor()
    seen: dict[int, set[str]] = {}            # user_account fields the v1 trail recorded
    result = conn.execute(sa.select(old).order_by(old.c.seq)
                          .execution_options(stream_results=True, yield_per=5000))
    for row in compactor.rows(dict(r) for r in result.mappings()):
        if row["entity"] == "user_account" and row["changes"]:
            seen.setdefault(row["entity_id"], set()).update(json.loads(row["changes"]))
        chain.add(row)
    if compactor.count:
        now = utcnow()
        n_rows = chain.seq
        for row in _baselines(conn, key, now, seen):
            chain.add(row)
        chain.add(_system(now, "audit.migrated", "event", None, None, detail=audit.canon_json(
            {"old_format": "v1 per-field sha256", "old_head": compactor.head,
             "old_rows": compactor.count, "new_rows": n_rows})))
    chain.flush()
    _triggers(create=False)
    op.drop_table('audit_event')
    op.rename_table('audit_event_new', 'audit_event')
    if conn.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_event RENAME CONSTRAINT pk_audit_event_new TO "
                   "pk_audit_event")
    op.create_index('ix_audit_event_entity', 'audit_event', ['entity', 'entity_id'])
    op.create_index('ix_audit_event_patient', 'audit_event', ['patient_id'])
    _triggers(create=True)
    # every answer write paid for a third answer index: the UNIQUE (administration_id,
    # item_id) index already serves lookups by administration (its leading column)
    op.drop_index('ix_answer_administration_id', table_name='answer')


def downgrade() -> None:
    """Back to one row per field with a plain SHA-256 chain (the v1 format; new head)."""
    op.create_index('ix_answer_administration_id', 'answer', ['administration_id'])
    conn = op.get_bind()
    cols = ("seq", "at", "action", "operation", "entity", "entity_id", "changes", "detail",
            "reason", "actor_kind", "actor_user_id", "actor_username", "actor_role",
            "station_id", "patient_id")
    t = sa.Table('audit_event', sa.MetaData(), sa.Column('seq', sa.BigInteger()), *_common(),
                 sa.Column('changes', sa.Text()), sa.Column('detail', sa.Text()), *_actor())
    compact = [dict(r) for r in conn.execute(sa.select(*(t.c[c] for c in cols))
                                             .order_by(t.c.seq)).mappings()]
    _triggers(create=False)
    op.drop_table('audit_event')
    v1 = op.create_table('audit_event', sa.Column('seq', sa.BigInteger(), nullable=False,
                                                  autoincrement=False), *_common(),
                         sa.Column('field', sa.String(64)), sa.Column('old_value', sa.Text()),
                         sa.Column('new_value', sa.Text()), *_actor(),
                         sa.Column('prev_hash', sa.String(64), nullable=False),
                         sa.Column('row_hash', sa.String(64), nullable=False), *_checks(),
                         sa.UniqueConstraint('row_hash', name=op.f('uq_audit_event_row_hash')))
    rows = list(audit_legacy.expand(compact))
    for i in range(0, len(rows), 5000):
        conn.execute(sa.insert(v1), rows[i:i + 5000])
    op.create_index('ix_audit_event_entity', 'audit_event', ['entity', 'entity_id', 'field'])
    _triggers(create=True)
