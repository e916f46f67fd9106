"""patient_summary: derived cache for the nurse patient list (rebuilt here from the data).

Revision ID: 0002
Revises: 0001

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('patient_summary',
    sa.Column('patient_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('next_visit_id', sa.Integer(), nullable=True),
    sa.Column('next_visit_code', sa.String(length=32), nullable=True),
    sa.Column('next_visit_target_day', sa.Integer(), nullable=True),
    sa.Column('next_visit_date', sa.Date(), nullable=True),
    sa.Column('next_visit_earliest', sa.Date(), nullable=True),
    sa.Column('next_visit_latest', sa.Date(), nullable=True),
    sa.Column('next_visit_actual', sa.Date(), nullable=True),
    sa.Column('last_pcs', sa.Double(), nullable=True),
    sa.Column('last_mcs', sa.Double(), nullable=True),
    sa.Column('last_rss', sa.Double(), nullable=True),
    sa.Column('alert', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_patient_summary_patient_id_patient')),
    sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_patient_summary'))
    )
    # Derived data: fill it from the audited tables of an existing database. The cache is
    # always rebuildable, so using the current rebuild code here is safe.
    from storage.patient_summary import rebuild_all
    rebuild_all(op.get_bind())


def downgrade() -> None:
    op.drop_table('patient_summary')
