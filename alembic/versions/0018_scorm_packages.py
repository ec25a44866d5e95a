"""SCORM packages as lessons, and each learner's runtime data

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 13:45:00.000000

New tables only: a lesson's kind is a 16-character string already, so "package" needs no change there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scorm_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("scorm_version", sa.String(length=8), nullable=False),
        sa.Column("launch_path", sa.String(length=500), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mastery_score", sa.Float(), nullable=True),
        sa.Column("complete_when_opened", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["lesson_id"], ["lesson.id"], name=op.f("fk_scorm_package_lesson_id_lesson"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user_account.id"], name=op.f("fk_scorm_package_uploaded_by_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorm_package")),
        sa.UniqueConstraint("lesson_id", name=op.f("uq_scorm_package_lesson_id")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_scorm_package_storage_key")),
    )
    op.create_table(
        "scorm_runtime",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("lesson_status", sa.String(length=16), nullable=False),
        sa.Column("success_status", sa.String(length=16), nullable=False),
        sa.Column("score_raw", sa.Float(), nullable=True),
        sa.Column("score_scaled", sa.Float(), nullable=True),
        sa.Column("location", sa.String(length=1000), nullable=False),
        sa.Column("suspend_data", sa.Text(), nullable=False),
        sa.Column("exit", sa.String(length=16), nullable=False),
        sa.Column("total_seconds", sa.Float(), nullable=False),
        sa.Column("session_seconds", sa.Float(), nullable=False),
        sa.Column("session_key", sa.String(length=64), nullable=False),
        sa.Column("commits", sa.Integer(), nullable=False),
        sa.Column("first_opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["lesson_id"], ["lesson.id"], name=op.f("fk_scorm_runtime_lesson_id_lesson"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_scorm_runtime_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "lesson_id", name=op.f("pk_scorm_runtime")),
    )
    op.create_index(op.f("ix_scorm_runtime_lesson_id"), "scorm_runtime", ["lesson_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_scorm_runtime_lesson_id"), table_name="scorm_runtime")
    op.drop_table("scorm_runtime")
    op.drop_table("scorm_package")
