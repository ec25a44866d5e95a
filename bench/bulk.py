"""Bulk loading: COPY on PostgreSQL, one executemany per batch on SQLite, timed per table."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from sqlalchemy import JSON, Connection, Table, text

BATCH = 20_000


class BulkLoader:
    """Inserts rows (dicts keyed by column name) and keeps row counts and seconds per table."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.rows: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)

    def insert(self, table: Table, rows: Iterable[dict]) -> None:
        rows = list(rows)
        if not rows:
            return
        started = time.perf_counter()
        if self.postgres:
            self._copy(table, rows)
        else:
            for start in range(0, len(rows), BATCH):
                self.conn.execute(table.insert(), rows[start : start + BATCH])
        self.rows[table.name] += len(rows)
        self.seconds[table.name] += time.perf_counter() - started

    def _copy(self, table: Table, rows: list[dict]) -> None:
        columns = list(rows[0])
        # COPY bypasses SQLAlchemy's bind processing, so JSON is serialised here; datetimes are aware UTC.
        convert: list[Callable] = [json.dumps if isinstance(table.c[name].type, JSON) else _same for name in columns]
        names = ", ".join(f'"{name}"' for name in columns)
        cursor = self.conn.connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([f(row[name]) for f, name in zip(convert, columns, strict=True)])
        cursor.close()

    def reset_sequences(self, tables: Iterable[Table]) -> None:
        """Explicit ids bypass PostgreSQL's sequences; move them past the highest id so the app can insert."""
        if not self.postgres:
            return
        for table in tables:
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


def _same(value):
    return value
