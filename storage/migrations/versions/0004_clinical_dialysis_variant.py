"""clinical_assessment: dialysis and child_pugh_variant (inputs of the derived liver scores).

Both columns are nullable and existing rows stay NULL: before this revision dialysis was not
recorded and every stored score was derived as without dialysis with the standard Child-Pugh
bands. No existing value changes, so the audit trail (current value == last audited value)
stays consistent without back-filled rows. Batch mode: SQLite rebuilds the table for the CHECK
constraint; PostgreSQL runs plain ALTER TABLE.

Revision ID: 0004
Revises: 0003

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('clinical_assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dialysis', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('child_pugh_variant', sa.String(length=16),
                                      nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_clinical_assessment_child_pugh_variant'),
            "child_pugh_variant IS NULL OR child_pugh_variant IN ('standard', 'pbc')")


def downgrade() -> None:
    with op.batch_alter_table('clinical_assessment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_clinical_assessment_child_pugh_variant'),
                                 type_='check')
        batch_op.drop_column('child_pugh_variant')
        batch_op.drop_column('dialysis')
