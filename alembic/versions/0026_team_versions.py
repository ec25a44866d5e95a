"""data versions for pages that show a team's or a unit's people

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 20:30:00.000000

The `lines` data version: moved at commit by any write that changes who reports to whom
(lms/data_versions.py). A manager's kept pages (lms/web/page_cache.py) are keyed on it with the sum of
the versions of the people in their reporting line, a sum that only means "nothing changed" while the
line's people stay the same.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.bulk_insert(
        sa.table("data_version", sa.column("scope", sa.String), sa.column("version", sa.Integer)), [{"scope": "lines", "version": 0}]
    )


def downgrade() -> None:
    op.execute("DELETE FROM data_version WHERE scope = 'lines'")
