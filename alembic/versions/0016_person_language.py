"""each person's interface language

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 11:00:00.000000

Placeholder fixed at the start of the work so the revision chain does not change while it is filled in.
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
