"""data versions: a counter per scope, bumped with the writes that change its data

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 11:00:00.000000

Organisation and compliance reports keep their figures per process while these counters stand still
(lms/data_versions.py); one row per scope, starting at zero.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCOPES = ("reports", "compliance")


def upgrade() -> None:
    table = op.create_table('data_version',
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope')
    )
    op.bulk_insert(table, [{"scope": scope, "version": 0} for scope in SCOPES])


def downgrade() -> None:
    op.drop_table('data_version')
