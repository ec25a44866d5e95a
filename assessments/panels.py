"""The assessments package's panels on the home page (registered on lms.hooks.home_panels)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from assessments.results.selectors import FLAG_MIN_ATTEMPTS, TOO_EASY, TOO_HARD, quiz_flags
from lms.i18n import N_
from lms.hooks import HomePanel
from lms.people.models import Role, User


def quiz_home_panels(session: Session, user: User, roles: frozenset[str], now: datetime) -> list[HomePanel]:
    if Role.TRAINER not in roles:
        return []
    context = {"flags": quiz_flags(session, user=user), "min_attempts": FLAG_MIN_ATTEMPTS, "too_hard": TOO_HARD, "too_easy": TOO_EASY}
    return [HomePanel(Role.TRAINER.value, N_("Quiz questions to review"), "assessments/results/_home_flags.html", context, order=20)]
