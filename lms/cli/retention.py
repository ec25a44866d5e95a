"""`lms retention run`: apply the retention registry now (the worker does it nightly)."""

from __future__ import annotations

import typer

from lms.cli._common import database, require_schema
from lms.privacy.retention import retention_apply
from lms.privacy.retention_registry import RULES

app = typer.Typer(help="Personal data retention (docs/privacy.md).", no_args_is_help=True)


@app.command()
def run() -> None:
    """Remove or anonymise what is past its retention period, and print what was done."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        done = retention_apply(session, settings=settings)
        session.commit()
    for key, rule in RULES.items():
        days = done.days[key]
        outcome = f"{done.counts[key]}" if key in done.counts else "off"
        typer.echo(f"{rule.label}: {outcome} (period {days} days)" if days else f"{rule.label}: off")
