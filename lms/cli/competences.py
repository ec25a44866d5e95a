"""`lms competences`: check and repair the per-person status rows derived from evidence."""

from __future__ import annotations

import typer

from lms.cli._common import database, require_schema
from lms.competences.service import StatusDifference, statuses_rebuild

app = typer.Typer(help="Check or rebuild competence statuses from the evidence log.", no_args_is_help=True)

SHOWN = 50


def _describe(row: StatusDifference) -> str:
    (user_id, competence_id), have, want = row
    stored = f"verified {have[0]}, self {have[1] if have[1] is not None else '-'}" if have else "no row"
    wanted = f"verified {want[0]}, self {want[1] if want[1] is not None else '-'}"
    return f"  user {user_id}, competence {competence_id}: stored {stored}; evidence says {wanted}"


@app.command()
def rebuild(
    check: bool = typer.Option(False, "--check", help="Report differences without fixing them; exit 1 on drift."),
) -> None:
    """Recompute every status from evidence and report drift (expected: 0) and lapsed levels."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        report = statuses_rebuild(session, fix=not check)
        if not check:
            session.commit()
    drift, lapsed = len(report.drift), len(report.expired)
    typer.echo(f"Checked {report.checked} status row(s): drift {drift}, lapsed {lapsed}.")
    if report.drift:
        typer.echo("Drift (the stored status disagreed with its evidence):")
        for row in report.drift[:SHOWN]:
            typer.echo(_describe(row))
        if drift > SHOWN:
            typer.echo(f"  ... and {drift - SHOWN} more")
    if drift + lapsed:
        typer.echo("Nothing was changed (--check)." if check else f"Fixed {drift + lapsed} row(s).")
    if check and drift:
        raise typer.Exit(1)
