"""question bank fidelity: idnumbers, tags, hints, combined feedback, category tree, attachments

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:15:00.000000

Question categories become a tree, as in Moodle: a parent, an id number, and names unique among
siblings rather than across the bank (the service checks that). Existing categories stay at the top.
Question id numbers, tags, hints, combined feedback and penalties live in the question's data.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("question_category", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_question_category_name"), type_="unique")
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("idnumber", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_question_category_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_question_category_parent_id_question_category"),
            "question_category",
            ["parent_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    # Nested categories move to the top first; the old unique name then refuses a duplicate name.
    op.execute("UPDATE question_category SET parent_id = NULL")
    with op.batch_alter_table("question_category", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_question_category_parent_id_question_category"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_question_category_parent_id"))
        batch_op.drop_column("idnumber")
        batch_op.drop_column("parent_id")
        batch_op.create_unique_constraint(batch_op.f("uq_question_category_name"), ["name"])
