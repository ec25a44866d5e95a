"""The `lms` command: serve, migrate, load demo data, manage users, check the installation."""

from __future__ import annotations

import sys

import typer

from lms.cli._common import SafeGroup, describe
from lms.config import get_settings

app = typer.Typer(
    cls=SafeGroup,
    name="lms",
    help="Proficio, a learning platform for public-service staff. Settings come from the environment "
    "(DATABASE_URL, SECRET_KEY, PROFICIO_ENV, ...) or a .env file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    # Read the environment afresh on every invocation (matters when commands run in-process).
    get_settings.cache_clear()


def _register() -> None:
    from lms.cli import audit, check, competences, db, demo, frameworks, jobs, mail, reports, retention, serve, users

    app.add_typer(db.app, name="db")
    app.add_typer(users.app, name="users")
    app.add_typer(frameworks.app, name="frameworks")
    app.add_typer(competences.app, name="competences")
    app.command("serve")(serve.serve)
    app.command("demo")(demo.demo)
    app.command("check")(check.check)
    app.command("worker")(jobs.worker)
    app.add_typer(jobs.app, name="jobs")
    app.add_typer(reports.app, name="reports")
    app.add_typer(mail.app, name="mail")
    app.add_typer(audit.app, name="audit")
    app.add_typer(retention.app, name="retention")
    # Features add their own commands (lms may not import them) and their tables, which every command's
    # session needs for foreign keys across packages. Loaded here, after the platform's commands, so that a
    # feature's CLI module can import lms.cli._common without a cycle.
    from lms.app import load_features
    from lms.hooks import hooks

    load_features()
    for add_commands in hooks.cli_commands:
        add_commands(app)


_register()


def main() -> int:
    """Console-script entry point: errors become one line on stderr and a non-zero exit code."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - whatever escapes Click still must not print a traceback
        typer.echo(f"Error: {describe(exc)}", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
