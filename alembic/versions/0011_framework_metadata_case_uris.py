"""competence framework metadata for Moodle round trips and CASE identifiers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 10:15:00.000000

Placeholder fixed at the start of the work so the revision chain does not change while it is filled in.
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
