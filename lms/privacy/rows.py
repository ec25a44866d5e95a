"""Reading a person's rows in chunks, so an export of a long history stays small in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, Table
from sqlmodel import Session

# Rows fetched per round trip: a server-side cursor on PostgreSQL, fetchmany on SQLite.
CHUNK = 500


def stream(session: Session, statement: Select[Any]) -> Iterator[dict[str, Any]]:
    """Each row of the statement as a dict, fetched CHUNK at a time (never the whole result at once)."""
    result = session.connection().execute(statement.execution_options(yield_per=CHUNK))
    for row in result.mappings():
        yield dict(row)


def columns(table: Table, *, without: tuple[str, ...] = ()) -> list[Any]:
    """Every column of a table except secrets (token and password hashes are not the person's data)."""
    return [column for column in table.c if column.name not in without]
