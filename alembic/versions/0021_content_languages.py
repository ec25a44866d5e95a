"""courses, modules, lessons and frameworks in several languages

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 13:45:00.000000

Each course and framework gets the language its existing text is written in: the organisation's
DEFAULT_LANGUAGE (en unless the environment says otherwise), since that is what trainers wrote in.
Versions in other languages live in the *_translation tables, keyed (owner id, language).
"""

import os
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LANGUAGES = ("en", "fr")


def _default_language() -> str:
    value = os.environ.get("DEFAULT_LANGUAGE", "en").strip().lower()
    return value if value in _LANGUAGES else "en"


def _owner(column: str, target: str) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(target, ondelete="CASCADE"), primary_key=True)


def _language() -> sa.Column:
    return sa.Column("language", sa.String(length=8), primary_key=True)


def upgrade() -> None:
    language = _default_language()
    for table in ("course", "framework"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(
                    "default_language" if table == "course" else "language", sa.String(length=8), nullable=False, server_default="en"
                )
            )
    if language != "en":
        op.execute(sa.text("UPDATE course SET default_language = :language").bindparams(language=language))
        op.execute(sa.text("UPDATE framework SET language = :language").bindparams(language=language))

    op.create_table(
        "course_translation",
        _owner("course_id", "course.id"),
        _language(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False, server_default=""),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_table(
        "course_module_translation",
        _owner("module_id", "course_module.id"),
        _language(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_table(
        "lesson_translation",
        _owner("lesson_id", "lesson.id"),
        _language(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body_markdown", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    for table, owner, target in (
        ("framework_translation", "framework_id", "framework.id"),
        ("competence_area_translation", "area_id", "competence_area.id"),
        ("competence_translation", "competence_id", "competence.id"),
    ):
        op.create_table(
            table,
            _owner(owner, target),
            _language(),
            sa.Column("name", sa.String(length=300), nullable=False),
            sa.Column("description", sa.Text(), nullable=False),
        )


def downgrade() -> None:
    for table in (
        "competence_translation",
        "competence_area_translation",
        "framework_translation",
        "lesson_translation",
        "course_module_translation",
        "course_translation",
    ):
        op.drop_table(table)
    with op.batch_alter_table("framework") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("course") as batch:
        batch.drop_column("default_language")
