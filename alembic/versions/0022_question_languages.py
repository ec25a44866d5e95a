"""quiz questions in several languages

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 17:05:00.000000

Each question gets the language its existing text is written in: the organisation's DEFAULT_LANGUAGE
(en unless the environment says otherwise), as migration 0021 did for courses. Versions in other
languages live in question_translation, keyed (question id, language), holding only translated text.
"""

import os
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LANGUAGES = ("en", "fr")


def _default_language() -> str:
    value = os.environ.get("DEFAULT_LANGUAGE", "en").strip().lower()
    return value if value in _LANGUAGES else "en"


def upgrade() -> None:
    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default="en"))
    language = _default_language()
    if language != "en":
        op.execute(sa.text("UPDATE question SET language = :language").bindparams(language=language))
    op.create_table(
        "question_translation",
        sa.Column("question_id", sa.Integer(), sa.ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("language", sa.String(length=8), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("question_translation")
    with op.batch_alter_table("question") as batch:
        batch.drop_column("language")
