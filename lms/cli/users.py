"""`lms users`: create one user, import many from CSV, deactivate a leaver or reactivate them."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from lms.auth.invitations import invitation_create, invitation_url
from lms.cli._common import database, fail, require_schema
from lms.people.csv_import import MAX_BYTES, REQUIRED_COLUMNS, org_unit_id_by_path, users_import
from lms.people.models import ROLE_LABELS
from lms.people.selectors import user_by_email
from lms.people.service import PeopleError, user_create, user_set_active

app = typer.Typer(help="Create users, import them from a CSV file, deactivate or reactivate them.", no_args_is_help=True)

# Names the command line as the actor in the audit log, where no person is signed in.
CLI_ACTOR = "lms command line"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("no password on standard input.")
        return password
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


ROLE_HELP = (
    "A role code: "
    + ", ".join(f"{code} ({label})" for code, label in ROLE_LABELS.items())
    + "; repeat for several. Everyone is an employee."
)


@app.command()
def create(
    email: str = typer.Option(..., help="Sign-in email address."),
    name: str = typer.Option(..., help="Full name, as colleagues see it."),
    role: list[str] = typer.Option(
        [],
        "--role",
        help=ROLE_HELP,
    ),
    org_unit: str | None = typer.Option(
        None, "--org-unit", help="Existing unit, by name or path ('Digital Directorate / Data Team')."
    ),
    manager_email: str | None = typer.Option(None, "--manager-email", help="Email of the line manager."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input instead of asking (for scripts)."
    ),
    invite: bool = typer.Option(
        False, "--invite", help="Ask no password: print a one-time link with which the person chooses their own (also e-mailed)."
    ),
) -> None:
    """Create a user with a password (asked twice, not echoed), or with --invite an invitation link."""
    if invite and password_stdin:
        fail("--invite and --password-stdin exclude each other: an invited person chooses their own password.")
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        unit_id = None
        if org_unit:
            unit_id = org_unit_id_by_path(session, org_unit)
            if unit_id is None:
                fail(f"no organisation unit '{org_unit}'. Give its name or path, e.g. 'Directorate / Team'.")
        manager_id = None
        if manager_email:
            manager = user_by_email(session, manager_email)
            if manager is None:
                fail(f"no user with email {manager_email.strip()} to be the line manager.")
            manager_id = manager.id
        if user_by_email(session, email):
            fail(f"a user with email {email.strip().lower()} already exists.")
        password = None if invite else _read_password(password_stdin)
        roles = {r.strip().lower() for r in role} - {"employee"}
        try:
            user = user_create(
                session, email=email, name=name, by=None, password=password, org_unit_id=unit_id, manager_id=manager_id, roles=roles
            )
        except PeopleError as exc:
            fail(str(exc))
        token = invitation_create(session, user=user, by=None) if invite else None
        session.commit()
    granted = ", ".join(sorted(roles)) or "none beyond employee"
    typer.echo(f"Created {user.email} ({user.name}); roles: {granted}.")
    if token is not None:
        typer.echo(
            f"Invitation link (works once, for {settings.invitation_days} days; shown only now, and e-mailed): "
            + invitation_url(settings.mail_base_url, token)
        )


IMPORT_FILE_HELP = "CSV with columns " + ", ".join(REQUIRED_COLUMNS) + " and optionally job_profile and active (yes/no)."


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help=IMPORT_FILE_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the file and report what would change; save nothing."),
) -> None:
    """Import or update users from CSV (matched by email). A file with any bad line is rejected whole.

    org_unit is a path like 'Digital Directorate / Data Team' (missing units are created); roles are
    separated by ';' or spaces; active no deactivates (signed out at once), yes reactivates. New users get
    no password: an administrator sets one.
    """
    if not file.is_file():
        fail(f"{file} is not a file.")
    if file.stat().st_size > MAX_BYTES:
        fail(f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files.")
    data = file.read_bytes()
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        result = users_import(session, data=data, by=None, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                typer.echo(str(error), err=True)
            fail(result.summary())
        if not dry_run:
            session.commit()
    typer.echo(result.summary())


def _set_active(email: str, *, active: bool) -> None:
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        user = user_by_email(session, email)
        if user is None:
            fail(f"no user with email {email.strip().lower()}.")
        was_active = user.is_active
        user_set_active(session, user=user, active=active, by=None, via=CLI_ACTOR)
        session.commit()
    if was_active == active:
        typer.echo(f"{user.email} is already {'active' if active else 'inactive'}; nothing changed.")
    elif active:
        typer.echo(f"Reactivated {user.email} ({user.name}): they can sign in again.")
    else:
        typer.echo(f"Deactivated {user.email} ({user.name}): signed out everywhere; their records are kept.")


@app.command()
def deactivate(email: str = typer.Argument(..., help="Email of the person who left.")) -> None:
    """Deactivate an account: its sessions end at once and it cannot sign in; history and records stay."""
    _set_active(email, active=False)


@app.command()
def activate(email: str = typer.Argument(..., help="Email of the person to let back in.")) -> None:
    """Reactivate an account, so the person can sign in again with their password or single sign-on."""
    _set_active(email, active=True)
