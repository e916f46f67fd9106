"""protocol versions, enrolments with their eligibility, concealed allocation slots.

New tables only; no existing row changes (the audit trail stays consistent without back-filled
rows):
- ``protocol_version``: every protocol file a study ran with (content, SHA-256, who, when);
- ``enrolment`` (+ ``enrolment_criterion``): per patient enrolled through the enrolment service,
  the protocol version, raw screening inputs, derived scores, per-criterion results, result and
  any investigator override; this is also the patient -> protocol version link;
- ``allocation_slot``: the concealed allocation list (permuted blocks or an imported list).

Databases made before 0005: their study keeps ``study.arms`` / ``study.visit_schedule`` and
their patients keep their visits (visit rows carry code, target day and window themselves), but
they have no protocol version; enrolment is refused until one is loaded (``epro init`` or
``epro study load FILE``). Old arms ("A", "B") are not mapped to the protocol's arms: the
migration cannot know which dose an old arm meant.

Revision ID: 0005
Revises: 0004

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from storage.types import UtcDateTime


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'protocol_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('protocol_id', sa.String(length=64), nullable=False),
        sa.Column('registry_id', sa.String(length=64), nullable=False),
        sa.Column('version', sa.String(length=64), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('loaded_at', UtcDateTime(), nullable=False),
        sa.Column('loaded_by', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['study_id'], ['study.id'],
                                name=op.f('fk_protocol_version_study_id_study')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol_version')),
        sa.UniqueConstraint('study_id', 'sha256', name=op.f('uq_protocol_version_study_id_sha256')))
    op.create_index(op.f('ix_protocol_version_study_id'), 'protocol_version', ['study_id'],
                    unique=False)
    op.create_table(
        'enrolment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('protocol_version_id', sa.Integer(), nullable=False),
        sa.Column('screening_date', sa.Date(), nullable=False),
        sa.Column('inputs', sa.JSON(), nullable=False),
        sa.Column('derived', sa.JSON(), nullable=False),
        sa.Column('result', sa.String(length=16), nullable=False),
        sa.Column('override_reason', sa.String(length=1000), nullable=True),
        sa.Column('override_by', sa.String(length=64), nullable=True),
        sa.Column('allocation_sequence', sa.Integer(), nullable=True),
        sa.Column('recorded_at', UtcDateTime(), nullable=False),
        sa.CheckConstraint("result IN ('eligible', 'ineligible', 'undetermined')",
                           name=op.f('ck_enrolment_result')),
        sa.CheckConstraint("result = 'eligible' OR (override_reason IS NOT NULL AND "
                           "override_by IS NOT NULL)", name=op.f('ck_enrolment_override')),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'],
                                name=op.f('fk_enrolment_patient_id_patient')),
        sa.ForeignKeyConstraint(['protocol_version_id'], ['protocol_version.id'],
                                name=op.f('fk_enrolment_protocol_version_id_protocol_version')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
        sa.UniqueConstraint('patient_id', name=op.f('uq_enrolment_patient_id')))
    op.create_table(
        'enrolment_criterion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enrolment_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('criterion_id', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('met', sa.Boolean(), nullable=True),
        sa.CheckConstraint("kind IN ('inclusion', 'exclusion')",
                           name=op.f('ck_enrolment_criterion_kind')),
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'],
                                name=op.f('fk_enrolment_criterion_enrolment_id_enrolment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment_criterion')),
        sa.UniqueConstraint('enrolment_id', 'criterion_id',
                            name=op.f('uq_enrolment_criterion_enrolment_id_criterion_id')))
    op.create_index(op.f('ix_enrolment_criterion_enrolment_id'), 'enrolment_criterion',
                    ['enrolment_id'], unique=False)
    op.create_table(
        'allocation_slot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('protocol_version_id', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('arm', sa.String(length=64), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('used_by', sa.Integer(), nullable=True),
        sa.Column('used_at', UtcDateTime(), nullable=True),
        sa.CheckConstraint("source IN ('permuted_blocks', 'list')",
                           name=op.f('ck_allocation_slot_source')),
        sa.CheckConstraint('(used_by IS NULL) = (used_at IS NULL)',
                           name=op.f('ck_allocation_slot_used')),
        sa.ForeignKeyConstraint(['protocol_version_id'], ['protocol_version.id'],
                                name=op.f('fk_allocation_slot_protocol_version_id_'
                                          'protocol_version')),
        sa.ForeignKeyConstraint(['study_id'], ['study.id'],
                                name=op.f('fk_allocation_slot_study_id_study')),
        sa.ForeignKeyConstraint(['used_by'], ['patient.id'],
                                name=op.f('fk_allocation_slot_used_by_patient')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_slot')),
        sa.UniqueConstraint('study_id', 'sequence',
                            name=op.f('uq_allocation_slot_study_id_sequence')),
        sa.UniqueConstraint('used_by', name=op.f('uq_allocation_slot_used_by')))
    op.create_index(op.f('ix_allocation_slot_protocol_version_id'), 'allocation_slot',
                    ['protocol_version_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_allocation_slot_protocol_version_id'), table_name='allocation_slot')
    op.drop_table('allocation_slot')
    op.drop_index(op.f('ix_enrolment_criterion_enrolment_id'), table_name='enrolment_criterion')
    op.drop_table('enrolment_criterion')
    op.drop_table('enrolment')
    op.drop_index(op.f('ix_protocol_version_study_id'), table_name='protocol_version')
    op.drop_table('protocol_version')
