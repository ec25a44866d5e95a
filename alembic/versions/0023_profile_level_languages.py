"""job profiles and proficiency levels in several languages

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 17:05:00.000000

Each job profile gets the language its existing name is written in: the organisation's
DEFAULT_LANGUAGE (en unless the environment says otherwise), as 0021 did for frameworks. A level's
own band and summary are in its framework's language. Versions in other languages live in the
*_translation tables, keyed (owner id, language).
"""

import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LANGUAGES = ("en", "fr")


def _default_language() -> str:
    value = os.environ.get("DEFAULT_LANGUAGE", "en").strip().lower()
    return value if value in _LANGUAGES else "en"


def upgrade() -> None:
    with op.batch_alter_table("job_profile") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default="en"))
    language = _default_language()
    if language != "en":
        op.execute(sa.text("UPDATE job_profile SET language = :language").bindparams(language=language))
    op.create_table(
        "job_profile_translation",
        sa.Column("job_profile_id", sa.Integer(), sa.ForeignKey("job_profile.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("language", sa.String(length=8), primary_key=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "proficiency_level_translation",
        sa.Column("level_id", sa.Integer(), sa.ForeignKey("proficiency_level.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("language", sa.String(length=8), primary_key=True),
        sa.Column("band", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("proficiency_level_translation")
    op.drop_table("job_profile_translation")
    with op.batch_alter_table("job_profile") as batch:
        batch.drop_column("language")
