"""report figures published per unit by the worker

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 17:05:00.000000

Empty to begin with: the worker's next `reports.publish` job fills them (until then report pages
compute their figures in the web process, as before). Also the `manager_line` data version, which a
manager's home panels over their reporting line are kept by.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_figure_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("min_group", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("data_version", sa.Integer(), nullable=True),
        sa.Column("computed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"], ["framework.id"], name=op.f("fk_report_figure_set_framework_id_framework"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["report_snapshot.id"],
            name=op.f("fk_report_figure_set_snapshot_id_report_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_figure_set")),
    )
    with op.batch_alter_table("report_figure_set") as batch:
        batch.create_index("ix_report_figure_set_framework_min_group", ["framework_id", "min_group"], unique=False)
        batch.create_index(batch.f("ix_report_figure_set_snapshot_id"), ["snapshot_id"], unique=False)
    op.create_table(
        "report_figure_row",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("grp", sa.String(length=6), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"], ["report_figure_set.id"], name=op.f("fk_report_figure_row_set_id_report_figure_set"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("set_id", "grp", "unit_id", name=op.f("pk_report_figure_row")),
    )
    # The counter a manager's home panels over their line are kept by (courses/line_home.py).
    op.bulk_insert(
        sa.table("data_version", sa.column("scope", sa.String), sa.column("version", sa.Integer)),
        [{"scope": "manager_line", "version": 0}],
    )


def downgrade() -> None:
    op.execute("DELETE FROM data_version WHERE scope = 'manager_line'")
    op.drop_table("report_figure_row")
    with op.batch_alter_table("report_figure_set") as batch:
        batch.drop_index(batch.f("ix_report_figure_set_snapshot_id"))
        batch.drop_index("ix_report_figure_set_framework_min_group")
    op.drop_table("report_figure_set")
