"""typed outcome records (issue 15): ``outcome_record``.

One row per staff-entered outcome record (imaging, hcc, vital_status, early_termination,
adverse_event, infusion): patient, optional visit, kind, canonical typed JSON ``fields``
(checked by ``forms.outcomes``), its event date, who entered it and when. No existing row
changes: the clinician form's old imaging / vital-status values stay where they are, readable.

Revision ID: 0011
Revises: 0010

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from storage.types import UtcDateTime


revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'outcome_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('visit_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('event_date', sa.Date(), nullable=True),
        sa.Column('entered_by', sa.Integer(), nullable=False),
        sa.Column('entered_at', UtcDateTime(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('imaging', 'hcc', 'vital_status', 'early_termination', "
                           "'adverse_event', 'infusion')", name=op.f('ck_outcome_record_kind')),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'],
                                name=op.f('fk_outcome_record_patient_id_patient')),
        sa.ForeignKeyConstraint(['visit_id'], ['visit.id'],
                                name=op.f('fk_outcome_record_visit_id_visit')),
        sa.ForeignKeyConstraint(['entered_by'], ['user_account.id'],
                                name=op.f('fk_outcome_record_entered_by_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_record')),
    )
    op.create_index('ix_outcome_record_patient_kind', 'outcome_record',
                    ['patient_id', 'kind', 'event_date'], unique=False)
    op.create_index(op.f('ix_outcome_record_visit_id'), 'outcome_record', ['visit_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_outcome_record_visit_id'), table_name='outcome_record')
    op.drop_index('ix_outcome_record_patient_kind', table_name='outcome_record')
    op.drop_table('outcome_record')
