"""Open Badges 3.0 credentials issued to people, the signing keys and the revocation list

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 13:45:00.000000

Two new tables: badge_key (the public half of every signing key, kept published) and
badge_credential (each credential as signed, with its place in the revocation list). Nothing is
converted: no credential exists before this revision.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('badge_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thumbprint', sa.String(length=64), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('retired_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_key')),
    sa.UniqueConstraint('thumbprint', name=op.f('uq_badge_key_thumbprint'))
    )
    op.create_table('badge_credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('competence_id', sa.Integer(), nullable=True),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('achievement_name', sa.String(length=400), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('valid_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('jwt', sa.Text(), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['competence_id'], ['competence.id'], name=op.f('fk_badge_credential_competence_id_competence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_badge_credential_course_id_course'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['key_id'], ['badge_key.id'], name=op.f('fk_badge_credential_key_id_badge_key'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_badge_credential_revoked_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_badge_credential_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_credential')),
    sa.UniqueConstraint('status_index', name=op.f('uq_badge_credential_status_index')),
    sa.UniqueConstraint('uuid', name=op.f('uq_badge_credential_uuid'))
    )
    with op.batch_alter_table('badge_credential', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badge_credential_competence_id'), ['competence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_badge_credential_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_badge_credential_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('badge_credential', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_credential_user_id'))
        batch_op.drop_index(batch_op.f('ix_badge_credential_course_id'))
        batch_op.drop_index(batch_op.f('ix_badge_credential_competence_id'))
    op.drop_table('badge_credential')
    op.drop_table('badge_key')
