"""The courses package's panels on the home page (registered on lms.hooks.home_panels)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from courses.assignment.line_selectors import line_overdue
from courses.assignment.selectors import COMPLETED, IN_PROGRESS, my_learning
from courses.authoring.selectors import trainer_home_courses
from courses.line_home import kept_for_manager
from courses.translations.resolve import course_texts
from lms.i18n import N_
from lms.db import known
from lms.hooks import EMPLOYEE, HomePanel
from lms.people.models import Role, User

DUE_SHOWN = 5


def course_home_panels(session: Session, user: User, roles: frozenset[str], now: datetime) -> list[HomePanel]:
    learning = my_learning(session, user, now)
    # my_learning orders open items by urgency (overdue, due soon, in progress, not started): the first is the one to continue.
    open_items = [item for _key, _heading, items in learning.sections for item in items if item.category != COMPLETED]
    due = [item for item in open_items if item.enrolment.due_at is not None][:DUE_SHOWN]
    panels = [
        HomePanel(
            EMPLOYEE,
            N_("Due next"),
            "courses/assignment/_home_due.html",
            {"due": due, "next": open_items[0] if open_items else None, "open_total": len(open_items), "now": now},
            order=10,
        ),
        HomePanel(
            EMPLOYEE,
            N_("In progress"),
            "courses/assignment/_home_progress.html",
            {
                "started": [item for item in open_items if item.enrolment.status == "in_progress" or item.category == IN_PROGRESS],
                "completed_total": learning.completed_total,
            },
            order=20,
        ),
    ]
    if Role.MANAGER in roles:
        panels.append(
            HomePanel(
                Role.MANAGER.value,
                N_("Overdue in your team"),
                "courses/assignment/_home_team_overdue.html",
                {
                    "overdue": kept_for_manager(
                        session, "overdue", known(user.id), now, lambda: line_overdue(session, known(user.id), now)
                    )
                },
                order=20,
            )
        )
    if Role.TRAINER in roles:
        courses, by_status = trainer_home_courses(session, user)
        panels.append(
            HomePanel(
                Role.TRAINER.value,
                N_("Your courses"),
                "courses/authoring/_home_courses.html",
                # Named in the trainer's language where the course has a version in it (one statement, if any).
                {"courses": courses, "by_status": by_status, "titles": course_texts(session, [row.course for row in courses])},
                order=10,
            )
        )
    return panels
