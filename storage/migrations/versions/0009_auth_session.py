"""authenticated sessions: ``auth_session`` (staff logins and kiosk hand-overs, issue 13 item 5).

Services look up the session token of every call and re-read the account from
``user_account``; no existing row changes.

Revision ID: 0009
Revises: 0008

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from storage.types import UtcDateTime


revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'auth_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=True),
        sa.Column('station_id', sa.String(length=64), nullable=True),
        sa.Column('started_at', UtcDateTime(), nullable=False),
        sa.Column('expires_at', UtcDateTime(), nullable=False),
        sa.Column('ended_at', UtcDateTime(), nullable=True),
        sa.Column('ended_why', sa.String(length=16), nullable=True),
        sa.CheckConstraint("kind IN ('staff', 'kiosk')", name=op.f('ck_auth_session_kind')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_auth_session_user_id_user_account')),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'],
                                name=op.f('fk_auth_session_patient_id_patient')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_session')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_auth_session_token_sha256')),
    )
    op.create_index('ix_auth_session_user', 'auth_session', ['user_id'])


def downgrade() -> None:
    op.drop_index('ix_auth_session_user', table_name='auth_session')
    op.drop_table('auth_session')
