"""The daily sweep of mandatory training (job "requirements.sweep", run by `lms worker` once a day).

For every requirement: close the cycles of people who left the audience, open first cycles for people
who entered it, open renewal cycles whose time has come (courses/requirements/cycles.py). Then queue
the messages that are due today, each kind found by one SELECT over all requirements:

- assigned: a cycle is open and its person was never told;
- due_soon: REMINDER_DAYS (14 and 3) before the due date (the nearest reminder only, and not when the
  cycle opened after that point: "assigned" said it);
- overdue: once the due date has passed; overdue_weekly: every ISO week from a week past due;
- escalation: to the line manager ESCALATION_DAYS after the grace period ended (level 1), and to
  their manager after twice as many (level 2);
- expiring: 30 days before a completion's validity ends, unless a later cycle already renewed it.

Idempotent: cycles open only where none is open, and every message has its key (person, kind, cycle,
period), so a second run on the same day changes nothing. The number of statements depends on the
number of requirements and of messages queued, never on the number of people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from lms.clock import utcnow
from lms.config import Settings, get_settings
from lms.jobs.registry import register_handler, register_periodic
from lms.notifications.service import notify

from courses.requirements.cycles import cycles_renew, cycles_sync_requirement
from courses.requirements.models import Requirement
from courses.requirements.reminders import (
    Message,
    assigned,
    due_soon,
    escalation,
    expiring,
    first_courses,
    overdue,
    overdue_weekly,
)

JOB_KIND = "requirements.sweep"


@dataclass
class SweepReport:
    opened: int = 0
    credited: int = 0
    renewed: int = 0
    left: int = 0
    messages: dict[str, int] = field(default_factory=dict)

    @property
    def queued(self) -> int:
        return sum(self.messages.values())


def requirement_sweep(session: Session, *, now: datetime | None = None, settings: Settings | None = None) -> SweepReport:
    """Open, renew and close cycles, then queue today's messages. Callers commit (the worker does)."""
    now = now or utcnow()
    settings = settings or get_settings()
    reminders = settings.reminder_day_list
    report = SweepReport()
    for requirement in session.exec(select(Requirement).order_by(Requirement.id)).all():
        synced = cycles_sync_requirement(session, requirement=requirement, now=now)
        report.opened += synced.opened
        report.credited += synced.credited
        report.left += synced.left
        report.renewed += cycles_renew(session, requirement=requirement, now=now, reminder_days=reminders)
    session.flush()
    courses = first_courses(session)
    finders: list[Callable[[], list[Message]]] = [
        lambda: assigned(session, now, courses),
        *[
            lambda d=d, nearer=nearer: due_soon(session, now, courses, d, nearer)
            for d, nearer in zip(reminders, (*reminders[1:], 0), strict=True)
        ],
        lambda: overdue(session, now, courses),
        lambda: overdue_weekly(session, now, courses),
        lambda: escalation(session, now, settings.escalation_days, 1),
        lambda: escalation(session, now, settings.escalation_days, 2),
        lambda: expiring(session, now, courses),
    ]
    for find in finders:
        for message in find():
            queued = notify(
                session,
                user=message.recipient,
                kind=message.kind,
                object_ref=f"cycle:{message.cycle_id}",
                period=message.period,
                subject=message.subject,
                template=message.template,
                context=message.context,
                link=message.link,
                now=now,
                settings=settings,
            )
            if queued is not None:
                report.messages[message.kind] = report.messages.get(message.kind, 0) + 1
    return report


def sweep_job(session: Session, payload: dict[str, Any]) -> None:
    """Handler of the daily "requirements.sweep" job."""
    requirement_sweep(session, now=utcnow())


def sweep_register() -> None:
    """Called by courses.plugin.register(): the job and its daily schedule."""
    register_handler(JOB_KIND, sweep_job)
    register_periodic(JOB_KIND, timedelta(days=1))
