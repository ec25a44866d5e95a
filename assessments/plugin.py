"""What the assessments package adds to the platform's extension points (see lms/hooks.py)."""

from __future__ import annotations

import assessments.models  # noqa: F401 - registers the tables
from lms.hooks import hooks

_registered = False


def _add_commands(app) -> None:
    # Imported here: the CLI plumbing is not needed by the web app.
    from assessments.cli import quizzes

    app.add_typer(quizzes, name="quizzes")


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    hooks.cli_commands.append(_add_commands)
