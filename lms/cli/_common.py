"""What every command shares: one-line errors, the database session, the schema check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from typer.core import TyperGroup

import lms.models  # noqa: F401 - registers every table, so foreign keys across packages resolve
from lms import migrations
from lms.config import ConfigError, Settings, get_settings
from lms.db import make_engine

if TYPE_CHECKING:
    # typer vendors click; its commands take typer's own Context class, not the click package's.
    from typer._click import Context


def fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


# Errors from these libraries describe the environment (database, migrations), not a bug.
_LIBRARY_ERRORS = ("sqlalchemy", "psycopg", "sqlite3", "alembic")


def describe(exc: BaseException) -> str:
    """An exception as one line an operator can act on (no traceback, no SQL, no password)."""
    if isinstance(exc, ValidationError):
        parts = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ())).upper()
            message = str(error.get("msg", "")).removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
        return "configuration: " + "; ".join(parts)
    if isinstance(exc, ConfigError):
        return f"configuration: {exc}"
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    message = lines[0] if lines else ""
    expected = isinstance(exc, (OSError, ValueError)) or type(exc).__module__.startswith(_LIBRARY_ERRORS)
    if expected:
        return message or type(exc).__name__
    # A programming error: its type is the most useful clue for whoever reads the report.
    return f"unexpected {type(exc).__name__}: {message}" if message else f"unexpected {type(exc).__name__}"


class SafeGroup(TyperGroup):
    """Turns any unexpected exception inside a command into one line on stderr and exit code 1."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            # typer vendors click: its usage errors (an unknown option, a bad value) derive from
            # TyperException, not from the click package's classes, and must reach click's handler
            # to print the usage and exit 2.
            raise
        except Exception as exc:  # noqa: BLE001 - the whole point: never a traceback
            fail(describe(exc))


def safe_url(settings: Settings) -> str:
    return make_url(settings.database_url).render_as_string(hide_password=True)


@contextmanager
def database() -> Iterator[tuple[Settings, Engine, Session]]:
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield settings, engine, session
    finally:
        engine.dispose()


def schema_problem(settings: Settings, engine: Engine) -> str | None:
    """Why the database cannot be used by this code yet, or None when it is at the Alembic head."""
    current = migrations.current_revision(engine)
    head = migrations.head_revision(settings.database_url)
    if current == head:
        return None
    if current is None:
        return "the database has no schema yet: run `lms db upgrade`"
    return f"the database is at revision {current}, not at the latest ({head}): run `lms db upgrade`"


def require_schema(settings: Settings, engine: Engine) -> None:
    problem = schema_problem(settings, engine)
    if problem:
        fail(problem)
