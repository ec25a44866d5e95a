"""What the assessments package adds to the platform's extension points (see lms/hooks.py)."""

from __future__ import annotations

import assessments.models  # noqa: F401 - registers the tables
from assessments.demo import assessments_demo_load
from courses.plugin import register as register_courses
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
    # The demo quizzes go into the demo courses, so the courses loader must be registered (and run) first.
    register_courses()
    hooks.cli_commands.append(_add_commands)
    hooks.demo_loaders.append(assessments_demo_load)
