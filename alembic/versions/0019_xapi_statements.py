"""xAPI statements waiting for, or delivered to, the learning record store

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 13:45:00.000000

A new table only: nothing is queued for what happened before the upgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "xapi_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("verb", sa.String(length=32), nullable=False),
        sa.Column("statement", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_xapi_statement_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_statement")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_xapi_statement_statement_id")),
    )
    op.create_index(op.f("ix_xapi_statement_user_id"), "xapi_statement", ["user_id"], unique=False)
    op.create_index("ix_xapi_statement_state_next_attempt_at", "xapi_statement", ["state", "next_attempt_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_xapi_statement_state_next_attempt_at", table_name="xapi_statement")
    op.drop_index(op.f("ix_xapi_statement_user_id"), table_name="xapi_statement")
    op.drop_table("xapi_statement")
