"""staff alerts; kiosk staff PIN (issue 12 items 6 and 7).

- ``alert``: one row per warning sign raised for staff (patient, visit, source answer / clinical /
  outcome with its reference, severity, reason key + structured params, raised UTC,
  acknowledged at / by + note). Indexed by patient and, partially, by the unacknowledged ones.
- ``user_account.kiosk_pin_hash`` / ``kiosk_pin_set_at``: the account's kiosk PIN (argon2id);
  NULL for every existing account (no existing value changes, so the audit trail stays
  consistent without back-filled rows).

Revision ID: 0007
Revises: 0006

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from storage.types import UtcDateTime


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'alert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('visit_id', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('administration_id', sa.Integer(), nullable=True),
        sa.Column('item_id', sa.String(length=32), nullable=True),
        sa.Column('form', sa.String(length=32), nullable=True),
        sa.Column('field', sa.String(length=64), nullable=True),
        sa.Column('severity', sa.String(length=8), nullable=False),
        sa.Column('reason', sa.String(length=64), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('raised_at', UtcDateTime(), nullable=False),
        sa.Column('acknowledged_at', UtcDateTime(), nullable=True),
        sa.Column('acknowledged_by', sa.Integer(), nullable=True),
        sa.Column('ack_note', sa.String(length=1000), nullable=True),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.CheckConstraint("source IN ('answer', 'clinical', 'outcome')",
                           name=op.f('ck_alert_source')),
        sa.CheckConstraint("severity IN ('red', 'amber')", name=op.f('ck_alert_severity')),
        sa.CheckConstraint("source <> 'answer' OR (administration_id IS NOT NULL AND "
                           "item_id IS NOT NULL)", name=op.f('ck_alert_answer_reference')),
        sa.CheckConstraint("source = 'answer' OR (form IS NOT NULL AND field IS NOT NULL)",
                           name=op.f('ck_alert_form_reference')),
        sa.CheckConstraint("(acknowledged_at IS NULL) = (acknowledged_by IS NULL)",
                           name=op.f('ck_alert_acknowledged')),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'],
                                name=op.f('fk_alert_patient_id_patient')),
        sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_alert_visit_id_visit')),
        sa.ForeignKeyConstraint(['administration_id'], ['administration.id'],
                                name=op.f('fk_alert_administration_id_administration')),
        sa.ForeignKeyConstraint(['acknowledged_by'], ['user_account.id'],
                                name=op.f('fk_alert_acknowledged_by_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alert')),
        sa.UniqueConstraint('administration_id', 'item_id', 'reason',
                            name=op.f('uq_alert_administration_id_item_id_reason')))
    op.create_index('ix_alert_patient', 'alert', ['patient_id', 'raised_at'], unique=False)
    op.create_index(op.f('ix_alert_visit_id'), 'alert', ['visit_id'], unique=False)
    op.create_index('ix_alert_unacknowledged', 'alert', ['raised_at'], unique=False,
                    sqlite_where=sa.text('acknowledged_at IS NULL'),
                    postgresql_where=sa.text('acknowledged_at IS NULL'))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kiosk_pin_hash', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('kiosk_pin_set_at', UtcDateTime(), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops columns in place: a batch rebuild of the referenced user_account
    # fails with foreign keys on once the database holds data
    op.drop_column('user_account', 'kiosk_pin_set_at')
    op.drop_column('user_account', 'kiosk_pin_hash')
    op.drop_index('ix_alert_unacknowledged', table_name='alert')
    op.drop_index(op.f('ix_alert_visit_id'), table_name='alert')
    op.drop_index('ix_alert_patient', table_name='alert')
    op.drop_table('alert')
