"""`lms db`: the database schema, through Alembic."""

from __future__ import annotations

import typer

from lms import migrations
from lms.cli._common import database, safe_url
from lms.config import get_settings

app = typer.Typer(help="Create or change the database schema (Alembic migrations).", no_args_is_help=True)


def _report(verb: str) -> None:
    with database() as (settings, engine, _):
        current = migrations.current_revision(engine)
        head = migrations.head_revision(settings.database_url)
    where = "the latest revision" if current == head else "revision"
    typer.echo(f"{verb} {safe_url(settings)}: now at {where} {current or 'base (no schema)'}.")


@app.command()
def upgrade(
    revision: str = typer.Argument("head", help="Target revision; 'head' (the default) is the latest."),
) -> None:
    """Apply migrations up to REVISION (the latest by default). Safe to run on every start."""
    migrations.upgrade(get_settings().database_url, revision)
    _report("Upgraded")


@app.command(context_settings={"ignore_unknown_options": True})
def downgrade(
    revision: str = typer.Argument(..., help="Target revision: an id, 'base' (drop everything) or '-1'."),
) -> None:
    """Revert migrations down to REVISION. 'base' removes every table and its data."""
    migrations.downgrade(get_settings().database_url, revision)
    _report("Downgraded")


@app.command()
def current() -> None:
    """Print the database's current revision and whether it is the latest."""
    with database() as (settings, engine, _):
        revision = migrations.current_revision(engine)
        head = migrations.head_revision(settings.database_url)
    if revision is None:
        typer.echo(f"base (no schema); the latest is {head}: run `lms db upgrade`")
    elif revision == head:
        typer.echo(f"{revision} (head)")
    else:
        typer.echo(f"{revision}; the latest is {head}: run `lms db upgrade`")
