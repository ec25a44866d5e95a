"""`lms serve`: run the web app with uvicorn."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer
import uvicorn

from lms.cli._common import database, fail, require_schema
from lms.db import DatabaseNotWritable, check_writable
from lms.cli.demo import print_demo_accounts
from lms.demo_accounts import demo_accounts_shown


def serve(
    host: str = typer.Option("127.0.0.1", envvar="HOST", help="Address to listen on."),
    port: int = typer.Option(8000, envvar="PORT", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes; sessions live in the database, so any number works."),
    reload: bool = typer.Option(False, "--reload", help="Restart on code changes (development; one worker)."),
) -> None:
    """Serve Proficio over HTTP. Refuses to start until the database is at the latest migration."""
    if reload and workers > 1:
        fail("use either --reload or --workers, not both.")
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        try:
            check_writable(engine)
        except DatabaseNotWritable as exc:
            fail(f"{exc}; Proficio needs to write its database to serve.")
        demo = [email for email, _ in demo_accounts_shown(session)]
    _require_writable_folder(settings.attachments_path, "ATTACHMENTS_DIR")
    # Generate the development secret once here, before workers start, so they all share one key.
    settings.resolved_secret_key()
    shown_host = f"[{host}]" if ":" in host else host
    typer.echo(f"Proficio: http://{shown_host}:{port}")
    if demo:
        print_demo_accounts(demo)
    uvicorn.run(
        "lms.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,
        # uvicorn replaces a new process that does not answer its supervisor within this time; on a
        # busy host importing the app alone can take longer than uvicorn's 5 s default.
        timeout_worker_healthcheck=settings.worker_boot_timeout,
    )


def _require_writable_folder(folder: Path, setting: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        fail(f"{setting} ({folder}) is not writable: {exc.strerror or exc}.")
