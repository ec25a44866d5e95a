"""accent- and case-insensitive search columns on people, courses and questions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:15:00.000000

A `search_text` column (lms.text_search: NFKD, accents dropped, case-folded, Ø/Ł/ß/Æ mapped) on
user_account (name, email), course (title, summary, audience), question (name, stem) and requirement
(name), filled here for the rows that exist; the application keeps it up to date from then on. The
fill uses the application's own fold, so old and new rows compare alike; if fold ever changes, a new
migration refills the columns.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lms.text_search import fold_all

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> the columns its search text is made of, in order ("data" is a question's JSON document).
SOURCES = {
    "user_account": ("name", "email"),
    "course": ("title", "summary", "audience"),
    "question": ("name", "data"),
    "requirement": ("name",),
}
BATCH = 1000


def _parts(table: str, row: sa.Row) -> list[str | None]:
    if table == "question":
        data = row.data if isinstance(row.data, dict) else {}
        return [row.name, data.get("stem_markdown")]
    return [getattr(row, name) for name in SOURCES[table]]


def _fill(table: str) -> None:
    columns = SOURCES[table]
    t = sa.table(table, sa.column("id", sa.Integer), sa.column("search_text", sa.Text),
                 *(sa.column(c, sa.JSON if c == "data" else sa.Text) for c in columns))
    conn = op.get_bind()
    rows = conn.execute(sa.select(t.c.id, *(t.c[c] for c in columns)).order_by(t.c.id)).all()
    update = sa.update(t).where(t.c.id == sa.bindparam("row_id")).values(search_text=sa.bindparam("folded"))
    for start in range(0, len(rows), BATCH):
        batch = [{"row_id": row.id, "folded": fold_all(_parts(table, row))} for row in rows[start:start + BATCH]]
        conn.execute(update, batch)


def upgrade() -> None:
    for table in SOURCES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
        _fill(table)


def downgrade() -> None:
    for table in reversed(SOURCES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('search_text')
