"""the files a question shows (images and media carried in from Moodle banks)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:45:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('question_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_file_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_file')),
    sa.UniqueConstraint('question_id', 'filename', name='uq_question_file_name'),
    sa.UniqueConstraint('storage_key', name=op.f('uq_question_file_storage_key'))
    )
    with op.batch_alter_table('question_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_file_question_id'), ['question_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('question_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_file_question_id'))
    op.drop_table('question_file')
