"""visit lock: locked_at, locked_by, lock_reason (ADD COLUMN, no table rebuild on SQLite).

Revision ID: 0003
Revises: 0002

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from storage.types import UtcDateTime


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_at', UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('locked_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('lock_reason', sa.String(length=1000), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops columns in place; the audit rows of a lock stay in the trail
    op.drop_column('visit', 'lock_reason')
    op.drop_column('visit', 'locked_by')
    op.drop_column('visit', 'locked_at')
