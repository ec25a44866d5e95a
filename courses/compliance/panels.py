"""Home page panels for mandatory training: the employee's own, and the manager's line at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from courses.compliance.selectors import line_people, standings
from courses.line_home import kept_for_manager
from courses.models import Course, CourseTranslation
from courses.requirements.models import Requirement, RequirementCourse
from courses.requirements.status import Standing, Status
from courses.translations.resolve import MarkedText, marked_title, shown_title, title_version
from lms.i18n import N_
from lms.db import known
from lms.hooks import EMPLOYEE, HomePanel
from lms.people.models import Role, User

SHOWN = 5
LATE = frozenset({Status.OVERDUE, Status.EXPIRED})
# Most urgent first: late, then due soon, then expiring, then the rest still to do.
URGENCY = [Status.OVERDUE, Status.EXPIRED, Status.DUE_SOON, Status.EXPIRING, Status.IN_PROGRESS, Status.NOT_STARTED]


@dataclass(frozen=True)
class ToDo:
    requirement: str
    standing: Standing
    link: str  # the one qualifying course, or My learning when there are several
    course_title: MarkedText | None  # in the reader's language where the course has a version


def my_requirements(session: Session, user: User, now: datetime) -> tuple[list[ToDo], int]:
    """(what the person has still to do or renew, most urgent first; how many requirements they hold). Two queries."""
    uid = known(user.id)
    mine = {rid: s for (_u, rid), s in standings(session, now=now, user_ids=[uid]).items()}
    if not mine:
        return [], 0
    rows = session.execute(
        select(
            Requirement.id,
            Requirement.name,
            Course.id.label("course_id"),
            Course.title,
            Course.default_language,
            CourseTranslation.title.label("version"),
        )
        .outerjoin(RequirementCourse, RequirementCourse.requirement_id == Requirement.id)
        .outerjoin(Course, Course.id == RequirementCourse.course_id)
        .outerjoin(CourseTranslation, title_version())
        .where(col(Requirement.id).in_(list(mine)), col(Requirement.archived_at).is_(None))
        .order_by(Requirement.name, shown_title())
    ).all()
    names: dict[int, str] = {}
    courses: dict[int, list[tuple[int, MarkedText]]] = {}
    for row in rows:
        names[row.id] = row.name
        if row.course_id is not None:
            courses.setdefault(row.id, []).append((row.course_id, marked_title(row.title, row.default_language, row.version)))
    todo = []
    for rid, name in names.items():
        s = mine[rid]
        if s.status not in URGENCY:
            continue
        options = courses.get(rid, [])
        only = options[0] if len(options) == 1 else None
        todo.append(ToDo(name, s, f"/courses/{only[0]}" if only else "/learning", only[1] if only else None))
    todo.sort(key=lambda t: (URGENCY.index(t.standing.status), t.standing.date or now))
    return todo, len(names)


@dataclass(frozen=True)
class LineAttention:
    late: list[tuple[User, int]]  # people with overdue or expired training, and how many requirements
    late_total: int
    expiring: int  # people whose training expires within 30 days


def line_attention(session: Session, manager: User, now: datetime) -> LineAttention:
    """Who in the manager's line is late or about to lapse on live requirements. Three queries whatever the line's size."""
    live = list(session.scalars(select(Requirement.id).where(col(Requirement.archived_at).is_(None))).all())
    found = standings(session, now=now, user_ids=line_people(known(manager.id)), requirement_ids=live)
    late: dict[int, int] = {}
    expiring: set[int] = set()
    for (uid, _rid), s in found.items():
        if s.status in LATE:
            late[uid] = late.get(uid, 0) + 1
        elif s.status is Status.EXPIRING and s.within_days == 30:
            expiring.add(uid)
    people = (
        list(session.scalars(select(User).where(col(User.id).in_(list(late))).order_by(User.name, User.id).limit(SHOWN)).all())
        if late
        else []
    )
    return LineAttention([(p, late[known(p.id)]) for p in people], len(late), len(expiring - set(late)))


def compliance_home_panels(session: Session, user: User, roles: frozenset[str], now: datetime) -> list[HomePanel]:
    panels = []
    todo, held = my_requirements(session, user, now)
    if held:
        panels.append(
            HomePanel(
                EMPLOYEE, N_("Mandatory training"), "courses/compliance/_home_mine.html", {"todo": todo[:SHOWN], "now": now}, order=5
            )
        )
    if Role.MANAGER in roles:
        panels.append(
            HomePanel(
                Role.MANAGER.value,
                N_("Mandatory training in your team"),
                "courses/compliance/_home_team.html",
                {"line": kept_for_manager(session, "attention", known(user.id), now, lambda: line_attention(session, user, now))},
                order=25,
            )
        )
    return panels
