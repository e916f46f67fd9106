"""installed instrument translations; administration text version (id + SHA-256).

- ``installed_translation``: every translation file a site installed with
  ``epro instruments install`` (content, source, SHA-256 of the file, who, when); the newest row
  per instrument version and language is the text shown from the next administration on.
- ``administration.text_version`` / ``text_sha256``: the exact text the patient read. Nullable,
  and rows made before this revision stay NULL (their ``language`` and ``content_hash`` still
  say what was shown): no existing value changes, so the audit trail stays consistent without
  back-filled rows.

Revision ID: 0006
Revises: 0005

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from storage.types import UtcDateTime


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'installed_translation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instrument_id', sa.String(length=32), nullable=False),
        sa.Column('instrument_version', sa.String(length=32), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('text_version', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('validated', sa.Boolean(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('source', sa.String(length=500), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('installed_at', UtcDateTime(), nullable=False),
        sa.Column('installed_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['installed_by'], ['user_account.id'],
                                name=op.f('fk_installed_translation_installed_by_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_installed_translation')))
    op.create_index('ix_installed_translation_instrument', 'installed_translation',
                    ['instrument_id', 'instrument_version', 'language'], unique=False)
    with op.batch_alter_table('administration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_version', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('text_sha256', sa.String(length=64), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops columns in place: a batch rebuild of administration (referenced by
    # answer) fails with foreign keys on once answers exist
    op.drop_column('administration', 'text_sha256')
    op.drop_column('administration', 'text_version')
    op.drop_index('ix_installed_translation_instrument', table_name='installed_translation')
    op.drop_table('installed_translation')
