"""`lms quizzes ...`: operator commands for quizzes, added to `lms` through lms.hooks.cli_commands."""

from __future__ import annotations

import typer

from assessments.attempts.service import attempts_sweep
from lms.cli._common import SafeGroup, database, require_schema

quizzes = typer.Typer(cls=SafeGroup, help="Quiz attempts.", no_args_is_help=True)


@quizzes.command("sweep")
def sweep() -> None:
    """Submit every attempt whose time limit has passed, with the answers saved before the deadline.

    Learners' pages do this too when they come back; run this periodically (cron, a timer) so
    results, evidence and course progress do not wait for them.
    """
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        submitted = attempts_sweep(session)
        session.commit()
    typer.echo(f"Submitted {submitted} overdue attempt{'' if submitted == 1 else 's'}.")
