"""competences: frameworks, job profiles, evidence, status

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:58:14.759436
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('framework',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('publisher', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('licence', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework')),
    sa.UniqueConstraint('code', name=op.f('uq_framework_code'))
    )
    op.create_table('job_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_profile')),
    sa.UniqueConstraint('name', name=op.f('uq_job_profile_name'))
    )
    op.create_table('competence_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_competence_area_framework_id_framework'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competence_area')),
    sa.UniqueConstraint('framework_id', 'code', name='uq_competence_area_framework_code')
    )
    with op.batch_alter_table('competence_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competence_area_framework_id'), ['framework_id'], unique=False)

    op.create_table('proficiency_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('band', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_proficiency_level_framework_id_framework'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proficiency_level')),
    sa.UniqueConstraint('framework_id', 'level', name='uq_proficiency_level_framework_level')
    )
    with op.batch_alter_table('proficiency_level', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proficiency_level_framework_id'), ['framework_id'], unique=False)

    op.create_table('competence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('evidence_valid_months', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['competence_area.id'], name=op.f('fk_competence_area_id_competence_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_competence_framework_id_framework'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competence')),
    sa.UniqueConstraint('framework_id', 'code', name='uq_competence_framework_code')
    )
    with op.batch_alter_table('competence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competence_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competence_framework_id'), ['framework_id'], unique=False)

    op.create_table('competence_status',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('competence_id', sa.Integer(), nullable=False),
    sa.Column('verified_level', sa.Integer(), nullable=False),
    sa.Column('verified_source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('verified_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('self_level', sa.Integer(), nullable=True),
    sa.Column('self_assessed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['competence_id'], ['competence.id'], name=op.f('fk_competence_status_competence_id_competence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_competence_status_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'competence_id', name=op.f('pk_competence_status'))
    )
    with op.batch_alter_table('competence_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competence_status_competence_id'), ['competence_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('competence_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint('level BETWEEN 0 AND 8', name=op.f('ck_evidence_level_range')),
    sa.ForeignKeyConstraint(['competence_id'], ['competence.id'], name=op.f('fk_evidence_competence_id_competence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_evidence_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_evidence_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_competence_id'), ['competence_id'], unique=False)
        batch_op.create_index('ix_evidence_user_competence', ['user_id', 'competence_id'], unique=False)

    op.create_table('job_profile_requirement',
    sa.Column('job_profile_id', sa.Integer(), nullable=False),
    sa.Column('competence_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 8', name=op.f('ck_job_profile_requirement_level_range')),
    sa.ForeignKeyConstraint(['competence_id'], ['competence.id'], name=op.f('fk_job_profile_requirement_competence_id_competence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['job_profile_id'], ['job_profile.id'], name=op.f('fk_job_profile_requirement_job_profile_id_job_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_profile_id', 'competence_id', name=op.f('pk_job_profile_requirement'))
    )
    with op.batch_alter_table('job_profile_requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_profile_requirement_competence_id'), ['competence_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_profile_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_job_profile_id'), ['job_profile_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_account_job_profile_id_job_profile'), 'job_profile', ['job_profile_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_account_job_profile_id_job_profile'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_account_job_profile_id'))
        batch_op.drop_column('job_profile_id')

    with op.batch_alter_table('job_profile_requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_profile_requirement_competence_id'))

    op.drop_table('job_profile_requirement')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_user_competence')
        batch_op.drop_index(batch_op.f('ix_evidence_competence_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('competence_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competence_status_competence_id'))

    op.drop_table('competence_status')
    with op.batch_alter_table('competence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competence_framework_id'))
        batch_op.drop_index(batch_op.f('ix_competence_area_id'))

    op.drop_table('competence')
    with op.batch_alter_table('proficiency_level', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proficiency_level_framework_id'))

    op.drop_table('proficiency_level')
    with op.batch_alter_table('competence_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competence_area_framework_id'))

    op.drop_table('competence_area')
    op.drop_table('job_profile')
    op.drop_table('framework')
