"""the files a question shows (images and media carried in from Moodle banks)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:45:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
