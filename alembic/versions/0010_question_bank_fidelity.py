"""question bank fidelity: idnumbers, tags, hints, combined feedback, category tree, attachments

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:15:00.000000

Placeholder fixed at the start of the work so the revision chain does not change while it is filled in.
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
