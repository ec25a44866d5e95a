"""`lms xapi status` and `lms xapi retry`: the outbox's counts and failures, and sending failed ones again."""

from __future__ import annotations

import typer
from sqlmodel import col, select

from lms.cli._common import database, require_schema
from lms.xapi.models import StatementState, XapiStatement
from lms.xapi.selectors import statement_counts
from lms.xapi.service import xapi_failed_retry

SHOWN = 20


def status() -> None:
    """How many statements wait, failed or were sent, and why the newest failures failed."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        counts = statement_counts(session)
        failed = session.exec(
            select(XapiStatement)
            .where(XapiStatement.state == StatementState.FAILED.value)
            .order_by(col(XapiStatement.id).desc())
            .limit(SHOWN)
        ).all()
    where = settings.xapi_endpoint or "nowhere (XAPI_ENDPOINT is empty: nothing is queued or sent)"
    typer.echo(f"LRS: {where}")
    typer.echo(f"{counts['pending']} waiting, {counts['failed']} failed, {counts['sent']} sent.")
    for row in failed:
        typer.echo(f"failed {row.statement_id} {row.verb} after {row.attempts} attempt(s): {row.last_error[:200]}")


def retry() -> None:
    """Send every failed statement again (once the LRS or the settings are put right)."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        count = xapi_failed_retry(session)
        session.commit()
    typer.echo(f"{count} statement(s) queued again; the worker sends them within a minute.")


def add_commands(root: typer.Typer) -> None:
    app = typer.Typer(help="xAPI statements for the learning record store (docs/xapi.md).", no_args_is_help=True)
    app.command("status")(status)
    app.command("retry")(retry)
    root.add_typer(app, name="xapi")
