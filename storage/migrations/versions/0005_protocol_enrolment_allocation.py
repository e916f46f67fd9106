"""protocol versions, enrolment eligibility, concealed allocation slots, patient -> protocol.

Skeleton (issue 11); the tables are filled in by the storage engineer.

Revision ID: 0005
Revises: 0004

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
