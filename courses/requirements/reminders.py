"""Which mandatory-training messages are due today, each kind found by one SELECT over all requirements.

The daily sweep (courses/requirements/sweep.py) opens and renews cycles first, then queues what these
finders return; every message carries its key (person, kind, cycle, period), so nothing is told twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, exists, literal, or_, select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from lms.i18n import lazy_date, lazy_gettext
from lms.notifications.models import Outbox
from lms.people.models import User

from courses.models import Course
from courses.requirements.cycles import COMPLETED, Cycle, _at, is_open
from courses.requirements.models import Exemption, Requirement, RequirementCourse, RequirementCycle
from courses.translations.resolve import CourseName, course_names

EXPIRING_DAYS = 30
TEAM_LINK = "/team/compliance"


@dataclass(frozen=True)
class Message:
    kind: str
    recipient: User
    cycle_id: int
    period: str
    subject: Any  # lazy: translated for the recipient when queued
    template: str
    link: str
    context: dict[str, Any]


def day(when: datetime) -> Any:
    """3 December 2026, in the language of whoever the message is for (formatted when notify renders it)."""
    return lazy_date(when)


def first_courses(session: Session) -> dict[int, tuple[int, CourseName]]:
    """{requirement: (course id, name)} of the course its messages link to (the first one added)."""
    rows = session.execute(
        sa_select(RequirementCourse.requirement_id, Course.id, Course.title)
        .join(Course, Course.id == RequirementCourse.course_id)
        .order_by(RequirementCourse.requirement_id, Course.id)
    ).all()
    first: dict[int, int] = {}
    for requirement_id, course_id, _title in rows:
        first.setdefault(requirement_id, course_id)
    # Each message names the course in its recipient's language (rendered for them, lms.i18n.speaking).
    names = course_names(session, first.values())
    return {requirement_id: (course_id, names[course_id]) for requirement_id, course_id in first.items()}


Build = Callable[..., Any]


def _open_cycles(now: datetime, *conditions: Any) -> Build:
    """A SELECT of the given columns over open cycles of active, unexempted people on live requirements."""

    def build(*columns: Any) -> Any:
        return (
            sa_select(*columns)
            .select_from(Cycle)
            .join(Requirement, Requirement.id == Cycle.requirement_id)
            .join(User, User.id == Cycle.user_id)
            .where(is_open(), *_live(now), *conditions)
        )

    return build


def _live(now: datetime) -> list[Any]:
    """The cycle's person is active, its requirement not archived, and no exemption is in force."""
    return [
        User.is_active,
        Requirement.archived_at.is_(None),
        ~exists().where(
            Exemption.requirement_id == Cycle.requirement_id,
            Exemption.user_id == Cycle.user_id,
            Exemption.revoked_at.is_(None),
            or_(Exemption.ends_at.is_(None), Exemption.ends_at > _at(now)),
        ),
    ]


def _not_queued(kind: str, recipient_id: Any, period: str | None = None) -> Any:
    """No message of this kind about the cycle queued for the recipient yet (for the period, if given):
    keeps what was sent out of the candidate rows, so a quiet day reads few rows, not every open cycle."""
    ref = literal("cycle:") + cast(Cycle.id, String)
    match = [Outbox.user_id == recipient_id, Outbox.kind == kind, Outbox.object_ref == ref]
    if period is not None:
        match.append(Outbox.period == period)
    return ~exists().where(*match)


def _unsent(session: Session, kind: str, build: Build, *entities: Any) -> list[Any]:
    """Rows of `build(...)` (cycle, requirement, person, *entities), and the idempotency keys of this
    kind already queued for those cycles, in two statements."""
    rows = session.execute(build(RequirementCycle, Requirement, User, *entities)).all()
    refs = build(literal("cycle:") + cast(Cycle.id, String))
    sent = set(session.execute(sa_select(Outbox.idempotency_key).where(Outbox.kind == kind, Outbox.object_ref.in_(refs))).scalars())
    return [(row, sent) for row in rows]


def _message(kind: str, recipient: User, cycle: RequirementCycle, period: str, sent: set[str], **fields: Any) -> Message | None:
    assert cycle.id is not None
    if f"{recipient.id}:{kind}:cycle:{cycle.id}:{period}" in sent:
        return None
    return Message(kind=kind, recipient=recipient, cycle_id=cycle.id, period=period, **fields)


def _learner(
    kind: str,
    template: str,
    subject: Any,
    cycle: RequirementCycle,
    requirement: Requirement,
    user: User,
    courses: dict[int, tuple[int, CourseName]],
    period: str,
    sent: set[str],
    **extra: Any,
) -> Message | None:
    course_id, title = courses.get(cycle.requirement_id, (None, ""))
    return _message(
        kind,
        user,
        cycle,
        period,
        sent,
        subject=subject,
        template=template,
        link=f"/courses/{course_id}" if course_id else "/learning",
        context={"requirement": requirement, "cycle": cycle, "course_title": title, "due": day(cycle.due_at), **extra},
    )


def _collect(items: list[Message | None]) -> list[Message]:
    return [m for m in items if m is not None]


def assigned(session: Session, now: datetime, courses: dict[int, tuple[int, CourseName]]) -> list[Message]:
    build = _open_cycles(now, Cycle.opened_at <= _at(now), _not_queued("assigned", Cycle.user_id))
    return _collect(
        [
            _learner(
                "assigned",
                "requirement_assigned",
                lazy_gettext("Mandatory training: %(requirement)s, due %(due)s", requirement=r.name, due=day(c.due_at)),
                c,
                r,
                u,
                courses,
                f"{c.opened_at:%Y-%m-%d}",
                sent,
            )
            for (c, r, u), sent in _unsent(session, "assigned", build)
        ]
    )


def due_soon(session: Session, now: datetime, courses: dict[int, tuple[int, CourseName]], days: int, nearer: int) -> list[Message]:
    point = timedelta(days=days)
    build = _open_cycles(now, Cycle.due_at > _at(now + timedelta(days=nearer)), Cycle.due_at <= _at(now + point))
    return _collect(
        [
            _learner(
                "due_soon",
                "requirement_due_soon",
                lazy_gettext("Reminder: %(requirement)s is due on %(due)s", requirement=r.name, due=day(c.due_at)),
                c,
                r,
                u,
                courses,
                f"d{days}-{c.due_at:%Y-%m-%d}",
                sent,
                days=days,
            )
            for (c, r, u), sent in _unsent(session, "due_soon", build)
            # Only cycles open before this reminder's point: for later ones "assigned" said when it is due.
            if c.due_at - c.opened_at > point
        ]
    )


def overdue(session: Session, now: datetime, courses: dict[int, tuple[int, CourseName]]) -> list[Message]:
    build = _open_cycles(now, Cycle.due_at < _at(now))
    return _collect(
        [
            _learner(
                "overdue",
                "requirement_overdue",
                lazy_gettext("Overdue: %(requirement)s was due on %(due)s", requirement=r.name, due=day(c.due_at)),
                c,
                r,
                u,
                courses,
                f"{c.due_at:%Y-%m-%d}",
                sent,
                weekly=False,
            )
            for (c, r, u), sent in _unsent(session, "overdue", build)
        ]
    )


def overdue_weekly(session: Session, now: datetime, courses: dict[int, tuple[int, CourseName]]) -> list[Message]:
    year, week, _ = now.isocalendar()
    period = f"{year}-W{week:02d}"
    build = _open_cycles(now, Cycle.due_at < _at(now - timedelta(days=7)), _not_queued("overdue_weekly", Cycle.user_id, period))
    return _collect(
        [
            _learner(
                "overdue_weekly",
                "requirement_overdue",
                lazy_gettext("Still overdue: %(requirement)s was due on %(due)s", requirement=r.name, due=day(c.due_at)),
                c,
                r,
                u,
                courses,
                period,
                sent,
                weekly=True,
            )
            for (c, r, u), sent in _unsent(session, "overdue_weekly", build)
        ]
    )


def escalation(session: Session, now: datetime, escalation_days: int, level: int) -> list[Message]:
    """To the line manager (level 1) or the manager's manager (level 2), if active."""
    line = aliased(User)
    managers = [line]
    joins = [(line, line.id == User.manager_id)]
    if level == 2:
        top = aliased(User)
        managers.append(top)
        joins.append((top, top.id == line.manager_id))
    recipient = managers[-1]
    since = _at(now - timedelta(days=escalation_days * level))
    inner = _open_cycles(now, Cycle.grace_until <= since, recipient.is_active, _not_queued("escalation", recipient.id, f"l{level}"))

    def build(*columns: Any) -> Any:
        stmt = inner(*columns)
        for alias, on in joins:
            stmt = stmt.join(alias, on)
        return stmt

    messages = []
    for (c, r, u, boss), sent in _unsent(session, "escalation", build, recipient):
        overdue_days = (now - c.due_at).days
        messages.append(
            _message(
                "escalation",
                boss,
                c,
                f"l{level}",
                sent,
                subject=lazy_gettext(
                    "Overdue training: %(person)s has not completed %(requirement)s", person=u.name, requirement=r.name
                ),
                template="requirement_escalation",
                link=TEAM_LINK,
                context={
                    "requirement": r,
                    "cycle": c,
                    "person": u,
                    "level": level,
                    "due": day(c.due_at),
                    "overdue_days": overdue_days,
                },
            )
        )
    return _collect(messages)


def expiring(session: Session, now: datetime, courses: dict[int, tuple[int, CourseName]]) -> list[Message]:
    """Completions whose validity ends within EXPIRING_DAYS, not already renewed or left behind."""
    later = aliased(RequirementCycle)

    def build(*columns: Any) -> Any:
        return (
            sa_select(*columns)
            .select_from(Cycle)
            .join(Requirement, Requirement.id == Cycle.requirement_id)
            .join(User, User.id == Cycle.user_id)
            .where(
                Cycle.outcome == COMPLETED,
                Cycle.valid_until > _at(now),
                Cycle.valid_until <= _at(now + timedelta(days=EXPIRING_DAYS)),
                ~exists().where(
                    later.requirement_id == Cycle.requirement_id,
                    later.user_id == Cycle.user_id,
                    later.number > Cycle.number,
                    later.outcome.is_not(None),
                ),
                *_live(now),
            )
        )

    messages = []
    for (c, r, u), sent in _unsent(session, "expiring", build):
        assert c.valid_until is not None
        course_id, title = courses.get(c.requirement_id, (None, ""))
        messages.append(
            _message(
                "expiring",
                u,
                c,
                f"{EXPIRING_DAYS}d-{c.valid_until:%Y-%m-%d}",
                sent,
                subject=lazy_gettext("%(requirement)s expires on %(date)s", requirement=r.name, date=day(c.valid_until)),
                template="requirement_expiring",
                link=f"/courses/{course_id}" if course_id else "/learning",
                context={"requirement": r, "cycle": c, "course_title": title, "valid_until": day(c.valid_until)},
            )
        )
    return _collect(messages)
