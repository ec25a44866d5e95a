"""accent- and case-insensitive search columns on people, courses and questions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:15:00.000000

Placeholder fixed at the start of the work so the revision chain does not change while it is filled in.
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
