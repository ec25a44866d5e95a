"""competence framework metadata for Moodle round trips and CASE identifiers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 10:15:00.000000

Codes grow to 100 characters (Moodle id numbers); frameworks and areas gain a description; every
framework row gains `meta` (what an imported file said that has no column) and a CASE identifier;
frameworks can be published as CASE packages. Existing rows get empty metadata and no identifier
(the export derives one from the codes until one is stored).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("framework", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=64), type_=sa.String(length=100), existing_nullable=False)
        batch_op.add_column(sa.Column("description", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("case_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("case_published", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("meta", sa.JSON(), server_default="{}", nullable=False))
        batch_op.create_unique_constraint(batch_op.f("uq_framework_case_id"), ["case_id"])

    with op.batch_alter_table("competence_area", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=32), type_=sa.String(length=100), existing_nullable=False)
        batch_op.add_column(sa.Column("description", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("case_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("meta", sa.JSON(), server_default="{}", nullable=False))

    with op.batch_alter_table("competence", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=32), type_=sa.String(length=100), existing_nullable=False)
        batch_op.add_column(sa.Column("case_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("meta", sa.JSON(), server_default="{}", nullable=False))


def downgrade() -> None:
    # On PostgreSQL this refuses while a code is longer than the old columns allow: shorten it first.
    with op.batch_alter_table("competence", schema=None) as batch_op:
        batch_op.drop_column("meta")
        batch_op.drop_column("case_id")
        batch_op.alter_column("code", existing_type=sa.String(length=100), type_=sa.String(length=32), existing_nullable=False)

    with op.batch_alter_table("competence_area", schema=None) as batch_op:
        batch_op.drop_column("meta")
        batch_op.drop_column("case_id")
        batch_op.drop_column("description")
        batch_op.alter_column("code", existing_type=sa.String(length=100), type_=sa.String(length=32), existing_nullable=False)

    with op.batch_alter_table("framework", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_framework_case_id"), type_="unique")
        batch_op.drop_column("meta")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("case_published")
        batch_op.drop_column("case_id")
        batch_op.drop_column("description")
        batch_op.alter_column("code", existing_type=sa.String(length=100), type_=sa.String(length=64), existing_nullable=False)
