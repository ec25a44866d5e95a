"""`lms demo`: a believable department to try Proficio with."""

from __future__ import annotations

import typer
from sqlmodel import select

from lms.cli._common import database, fail, require_schema
from lms.demo import demo_load
from lms.demo_accounts import DEMO_PASSWORD
from lms.people.models import User


def demo(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing (and succeed) when the database already has users; for start-up scripts."
    ),
) -> None:
    """Load demo data (about 120 people in 3 directorates, and 4 demo accounts) into an empty database."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        if session.exec(select(User.id).limit(1)).first() is not None:
            if if_empty:
                typer.echo("The database already has users; demo data not loaded.")
                return
            fail("the database already has users; `lms demo` only loads into an empty database.")
        summary = demo_load(session)
        session.commit()
    typer.echo(
        f"Loaded demo data: {summary.users} people, {summary.org_units} organisation units, "
        f"{summary.managers} managers, {summary.trainers} trainers, {summary.admins} admin."
    )
    print_demo_accounts([email for email, _ in summary.accounts])


def print_demo_accounts(emails: list[str]) -> None:
    typer.echo(f"Demo accounts (password: {DEMO_PASSWORD}):")
    for email in emails:
        typer.echo(f"  {email}")
