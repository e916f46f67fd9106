"""staff passwords: forced change after an administrator's reset; when a password was set.

- ``user_account.must_change_password``: set when an administrator gives a temporary password
  (``reset_password``); the login then asks for a new password before anything else and every
  permission is refused until it is changed. FALSE for every existing account.
- ``user_account.password_changed_at``: when the account's own password was last set (NULL for
  accounts made before this revision: no existing value changes, so the audit trail stays
  consistent without back-filled rows).

Revision ID: 0008
Revises: 0007

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from storage.types import UtcDateTime


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # plain ADD COLUMN (no batch table rebuild): on SQLite a rebuild drops user_account, which
    # other tables reference, and fails with foreign keys on once the database holds data
    op.add_column('user_account', sa.Column('must_change_password', sa.Boolean(),
                                            nullable=False, server_default=sa.false()))
    op.add_column('user_account', sa.Column('password_changed_at', UtcDateTime(),
                                            nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops columns in place (no rebuild of the referenced table, see upgrade)
    op.drop_column('user_account', 'password_changed_at')
    op.drop_column('user_account', 'must_change_password')
