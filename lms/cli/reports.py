"""`lms reports`: take the monthly snapshot that organisation reports draw trends from."""

from __future__ import annotations

import typer

from lms.cli._common import database, fail, require_schema
from lms.reports.backfill import snapshot_backfill
from lms.reports.snapshot import SnapshotError, snapshot_take

app = typer.Typer(help="Organisation reports: snapshots for trends.", no_args_is_help=True)


@app.command()
def snapshot(
    period: str = typer.Option("", "--period", help="Month to file it under, as 2026-11 (default: this month)."),
    replace: bool = typer.Option(False, "--replace", help="Take it again if that month already has one."),
    from_evidence: bool = typer.Option(
        False,
        "--from-evidence",
        help="Rebuild a past month from the evidence log (levels as they stood at its end; org units and job "
        "profiles as they are today). Needs --period.",
    ),
) -> None:
    """Store today's competence figures for every org unit (the worker does this monthly by itself)."""
    if from_evidence and not period:
        fail("--from-evidence needs --period, the past month to rebuild (e.g. --period 2026-06).")
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        try:
            if from_evidence:
                taken = snapshot_backfill(session, period=period)
            else:
                taken = snapshot_take(session, period=period or None, replace=replace)
        except SnapshotError as exc:
            fail(str(exc))
        session.commit()
        typer.echo(f"Snapshot {taken.period} taken at {taken.taken_at:%Y-%m-%d %H:%M} UTC.")
