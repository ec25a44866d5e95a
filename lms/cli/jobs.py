"""`lms worker` runs background jobs; `lms jobs` shows the queue and retries failed jobs."""

from __future__ import annotations

import logging
import os
import threading

import typer

from lms.cli._common import database, fail, require_schema
from lms.jobs.models import JobState
from lms.jobs.queue import JobError, job_retry
from lms.jobs.selectors import jobs_recent
from lms.jobs.worker import default_worker_id, run_worker

app = typer.Typer(help="Look at the background job queue and retry failed jobs.", no_args_is_help=True)
ERROR_SHOWN = 60


def worker(
    once: bool = typer.Option(False, "--once", help="Run the jobs that are due now, then exit (for cron and tests)."),
    poll: float = typer.Option(
        5.0, "--poll", min=0.1, metavar="SECONDS", help="How long to wait before looking again when no job is due."
    ),
    stop_with_parent: bool = typer.Option(
        False, "--stop-with-parent", hidden=True, help="Stop when standard input closes (used by `lms serve --with-worker`)."
    ),
) -> None:
    """Run background jobs (quiz deadlines, report snapshots, ...) from the queue in the database.

    Run it next to `lms serve`, with the same settings.
    On PostgreSQL any number of workers may run; on SQLite run one.
    SIGTERM or Ctrl-C finishes the current job, then stops.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with database() as (settings, engine, _session):
        require_schema(settings, engine)
        stop = threading.Event()
        if stop_with_parent:
            _stop_at_end_of_input(stop)
        ran = run_worker(engine, worker_id=default_worker_id(), once=once, poll_seconds=poll, stop=stop)
    typer.echo(f"Ran {ran} job{'' if ran == 1 else 's'}.")


def _stop_at_end_of_input(stop: threading.Event) -> None:
    """Set `stop` once standard input closes: `lms serve --with-worker` holds the other end of the
    pipe, so this happens when the server process ends, however it ends (even SIGKILL)."""

    def wait_for_end() -> None:
        # os.read rather than sys.stdin: a daemon thread blocked inside the buffered reader holds its
        # lock, and Python aborts at exit when it finds that lock taken (after Ctrl-C, say).
        while os.read(0, 4096):
            pass
        stop.set()

    threading.Thread(target=wait_for_end, name="stop-with-parent", daemon=True).start()


def _error_line(error: str) -> str:
    line = error.strip().splitlines()[0] if error.strip() else ""
    return line if len(line) <= ERROR_SHOWN else line[: ERROR_SHOWN - 3] + "..."


@app.command("list")
def list_jobs(
    state: JobState | None = typer.Option(None, "--state", help="Only jobs in this state."),
    limit: int = typer.Option(50, "--limit", min=1, help="How many jobs to show, newest first."),
) -> None:
    """Show recent jobs: id, kind, state, attempts, when due, and the last error."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        jobs = jobs_recent(session, state=state.value if state else None, limit=limit)
    if not jobs:
        typer.echo("No jobs." if state is None else f"No {state.value} jobs.")
        return
    typer.echo(f"{'ID':>7}  {'KIND':<24} {'STATE':<8} {'TRIES':>5}  {'RUN AFTER (UTC)':<19}  LAST ERROR")
    for job in jobs:
        typer.echo(
            f"{job.id:>7}  {job.kind:<24} {job.state:<8} {f'{job.attempts}/{job.max_attempts}':>5}  "
            f"{job.run_after:%Y-%m-%d %H:%M:%S}  {_error_line(job.last_error)}".rstrip()
        )


@app.command()
def retry(job_id: int = typer.Argument(..., metavar="ID", help="The id shown by `lms jobs list`.")) -> None:
    """Queue a failed job again, with a fresh set of attempts, due now."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        try:
            job = job_retry(session, job_id=job_id)
        except JobError as exc:
            fail(f"{exc}.")
        session.commit()
    typer.echo(f"Job {job.id} ({job.kind}) is queued again.")
