"""`lms badges keygen`: a new Open Badges signing key (the old ones stay published for verifying)."""

from __future__ import annotations

import typer

from lms.badges.keys import key_file, key_generate
from lms.cli._common import database, require_schema


def keygen() -> None:
    """Make a new Ed25519 signing key for digital badges; credentials signed before still verify."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        key = key_generate(session, directory=settings.badge_keys_path, secret=settings.resolved_secret_key())
        session.commit()
    typer.echo(f"New signing key {key.row.thumbprint}, kept in {key_file(settings.badge_keys_path, key.row.thumbprint)} (mode 0600).")


def add_commands(root: typer.Typer) -> None:
    app = typer.Typer(help="Digital badges (Open Badges 3.0, docs/open-badges.md).", no_args_is_help=True)
    app.command("keygen")(keygen)
    root.add_typer(app, name="badges")
