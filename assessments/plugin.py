"""What the assessments package adds to the platform's extension points (see lms/hooks.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

import assessments.models  # noqa: F401 - registers the tables
from assessments import privacy
from assessments.attempts.service import attempts_sweep
from assessments.demo import assessments_demo_load
from assessments.panels import quiz_home_panels
from assessments.quizzes.selectors import publish_blockers
from courses.plugin import register as register_courses
from lms.hooks import hooks
from lms.jobs.registry import register_handler, register_periodic

if TYPE_CHECKING:
    import typer

_registered = False


def _add_commands(app: typer.Typer) -> None:
    # Imported here: the CLI plumbing is not needed by the web app.
    from assessments.cli import quizzes

    app.add_typer(quizzes, name="quizzes")


def _sweep_job(session: Session, _payload: dict[str, Any]) -> None:
    attempts_sweep(session)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    # The demo quizzes go into the demo courses, so the courses loader must be registered (and run) first.
    register_courses()
    hooks.cli_commands.append(_add_commands)
    hooks.demo_loaders.append(assessments_demo_load)
    hooks.home_panels.append(quiz_home_panels)
    # A course whose quiz cannot be taken could never be completed, so it may not be published.
    hooks.publish_blockers.append(publish_blockers)
    # Timed attempts close within a minute of their deadline even if the learner never comes back.
    register_handler("quizzes.sweep", _sweep_job)
    register_periodic("quizzes.sweep", timedelta(minutes=1))
    hooks.personal_data_exporters.extend(privacy.EXPORTERS)
    hooks.personal_data_excluded.update(privacy.EXCLUDED)
    hooks.personal_data_erasers.append(privacy.erase)
