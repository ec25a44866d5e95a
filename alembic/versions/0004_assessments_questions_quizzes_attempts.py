"""assessments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 18:29:40.538784
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('question_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_question_category_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_category')),
    sa.UniqueConstraint('name', name=op.f('uq_question_category_name'))
    )
    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('competence_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['question_category.id'], name=op.f('fk_question_category_id_question_category'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['competence_id'], ['competence.id'], name=op.f('fk_question_competence_id_competence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_question_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_competence_id'), ['competence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_kind'), ['kind'], unique=False)

    op.create_table('quiz',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('pass_percent', sa.Integer(), nullable=False),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('attempts_allowed', sa.Integer(), nullable=True),
    sa.Column('shuffle_questions', sa.Boolean(), nullable=False),
    sa.Column('shuffle_choices', sa.Boolean(), nullable=False),
    sa.Column('one_per_page', sa.Boolean(), nullable=False),
    sa.Column('review_policy', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('proves_competence_id', sa.Integer(), nullable=True),
    sa.Column('proves_level', sa.Integer(), nullable=True),
    sa.Column('diagnostic', sa.Boolean(), nullable=False),
    sa.Column('diagnostic_bands', sa.JSON(), nullable=False),
    sa.CheckConstraint('pass_percent BETWEEN 0 AND 100', name=op.f('ck_quiz_pass_percent_range')),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_quiz_lesson_id_lesson'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proves_competence_id'], ['competence.id'], name=op.f('fk_quiz_proves_competence_id_competence'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz')),
    sa.UniqueConstraint('lesson_id', name=op.f('uq_quiz_lesson_id'))
    )
    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deadline_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('layout', sa.JSON(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_attempt_quiz_id_quiz'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_attempt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index('ix_attempt_user_quiz', ['user_id', 'quiz_id'], unique=False)
        batch_op.create_index('uq_attempt_one_in_progress', ['quiz_id', 'user_id'], unique=True, sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'"))

    op.create_table('quiz_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('draw_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('question_id IS NOT NULL OR category_id IS NOT NULL', name=op.f('ck_quiz_slot_has_source')),
    sa.ForeignKeyConstraint(['category_id'], ['question_category.id'], name=op.f('fk_quiz_slot_category_id_question_category'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_quiz_slot_question_id_question'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_quiz_slot_quiz_id_quiz'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_slot'))
    )
    with op.batch_alter_table('quiz_slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_slot_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_slot_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_slot_quiz_id'), ['quiz_id'], unique=False)

    op.create_table('attempt_response',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('saved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('fraction', sa.Float(), nullable=True),
    sa.Column('points', sa.Float(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_attempt_response_attempt_id_attempt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attempt_id', 'slot', name=op.f('pk_attempt_response'))
    )


def downgrade() -> None:
    op.drop_table('attempt_response')
    with op.batch_alter_table('quiz_slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_slot_quiz_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_slot_question_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_slot_category_id'))

    op.drop_table('quiz_slot')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index('uq_attempt_one_in_progress', sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'"))
        batch_op.drop_index('ix_attempt_user_quiz')

    op.drop_table('attempt')
    op.drop_table('quiz')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_kind'))
        batch_op.drop_index(batch_op.f('ix_question_competence_id'))
        batch_op.drop_index(batch_op.f('ix_question_category_id'))

    op.drop_table('question')
    op.drop_table('question_category')
