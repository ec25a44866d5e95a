"""Reads for a manager's line: whom they may assign to, the line's assignments and its overdue people.

Every function runs a fixed number of queries, however many enrolments or people there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Select, and_, bindparam, case, func, select as sa_select
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, col, select

from lms.competences.models import CompetenceStatus, JobProfileRequirement
from lms.competences.selectors import effective_level
from lms.db import known
from lms.people.models import User
from lms.people.selectors import reporting_line_cte
from lms.text_search import like_folded
from lms.web.paging import ListFilters

from courses.assignment.selectors import (
    ASSIGNED_SOURCES,
    CATEGORIES,
    LearningItem,
    category_expr,
    items_stmt,
    learning_item,
    name_courses,
)
from courses.models import Course, CourseStatus, CourseTranslation, Enrolment
from courses.translations.resolve import marked_title, shown_title, title_version


# --- The manager's line ------------------------------------------------------------------------


def line_people(session: Session, manager_id: int) -> list[tuple[User, bool]]:
    """Active people in the reporting line (never the manager), with whether each is a direct report."""
    line = reporting_line_cte(manager_id)
    people = session.exec(
        select(User).where(User.is_active, User.id != manager_id, User.id.in_(sa_select(line.c.id))).order_by(User.name, User.id)
    ).all()
    return [(p, p.manager_id == manager_id) for p in people]


def line_gap_people(session: Session, manager_id: int, competence_id: int, now: datetime) -> list[tuple[User, int]]:
    """(person, required level) for people in the line whose verified level is below that requirement."""
    line = reporting_line_cte(manager_id)
    rows = session.exec(
        select(User, JobProfileRequirement.level, CompetenceStatus)
        .join(
            JobProfileRequirement,
            and_(JobProfileRequirement.job_profile_id == User.job_profile_id, JobProfileRequirement.competence_id == competence_id),
        )
        .outerjoin(CompetenceStatus, and_(CompetenceStatus.user_id == User.id, CompetenceStatus.competence_id == competence_id))
        .where(User.is_active, User.id != manager_id, User.id.in_(sa_select(line.c.id)))
        .order_by(User.name, User.id)
    ).all()
    return [(user, required) for user, required, status in rows if effective_level(status, now)[0] < required]


def published_course_options(session: Session) -> list[tuple[int, str]]:
    """(id, title) of every published course for a list of choices, each title in the reader's language
    where the course has a version (an option cannot mark its own language, so it is plain text)."""
    rows = session.execute(
        sa_select(Course.id, Course.title, Course.default_language, CourseTranslation.title)
        .outerjoin(CourseTranslation, title_version())
        .where(Course.status == CourseStatus.PUBLISHED.value)
        .order_by(shown_title(), Course.id)
    ).all()
    return [(cid, str(marked_title(title, language, version))) for cid, title, language, version in rows]


def enrolment_due_dates(session: Session, course_id: int, user_ids: list[int]) -> dict[int, datetime | None]:
    """{user id: due date} for those of ``user_ids`` already enrolled on the course (one query)."""
    if not user_ids:
        return {}
    rows = session.exec(
        sa_select(Enrolment.user_id, Enrolment.due_at).where(Enrolment.course_id == course_id, Enrolment.user_id.in_(user_ids))
    ).all()
    return {user_id: due_at for user_id, due_at in rows}


@dataclass
class AssignmentFilters(ListFilters):
    status: str = ""
    course: int | None = None
    q: str = ""


def _line_enrolments(manager_id: int, filters: AssignmentFilters, now: datetime) -> Select[int]:
    line = reporting_line_cte(manager_id)
    stmt = (
        sa_select(Enrolment.id)
        .join(User, User.id == Enrolment.user_id)
        .where(User.is_active, User.id != manager_id, User.id.in_(sa_select(line.c.id)), Enrolment.source.in_(ASSIGNED_SOURCES))
    )
    if filters.status in CATEGORIES:
        stmt = stmt.where(category_expr(now) == CATEGORIES[filters.status])
    if filters.course:
        stmt = stmt.where(Enrolment.course_id == filters.course)
    if filters.q.strip():
        stmt = stmt.where(like_folded(User.search_text, filters.q, every_word=False))
    return stmt


def line_assignments(
    session: Session, *, manager_id: int, filters: AssignmentFilters, now: datetime, per_page: int | None = None
) -> tuple[list[LearningItem], int]:
    """The line's assigned enrolments, overdue first; one page of them (or all) and the total."""
    ids = _line_enrolments(manager_id, filters, now)
    total = session.exec(sa_select(func.count()).select_from(ids.subquery())).scalar_one()
    stmt, category, learner = items_stmt(now, ids, with_learner=True)
    due_last = case((Enrolment.due_at.is_(None), 1), else_=0)
    stmt = stmt.order_by(category, due_last, Enrolment.due_at, learner.name, Course.title, Enrolment.id)
    if per_page:
        stmt = stmt.offset((filters.page - 1) * per_page).limit(per_page)
    return name_courses(session, [learning_item(row, with_learner=True) for row in session.exec(stmt).all()]), total


def line_course_options(session: Session, manager_id: int) -> list[tuple[int, str]]:
    line = reporting_line_cte(manager_id)
    rows = session.execute(
        sa_select(Course.id, Course.title, Course.default_language, CourseTranslation.title)
        .outerjoin(CourseTranslation, title_version())
        .where(
            Course.id.in_(
                sa_select(Enrolment.course_id).where(
                    Enrolment.user_id.in_(sa_select(line.c.id)), Enrolment.source.in_(ASSIGNED_SOURCES)
                )
            )
        )
        .order_by(shown_title(), Course.id)
    ).all()
    return [(known(cid), str(marked_title(title, language, version))) for cid, title, language, version in rows]


# --- Home page ---------------------------------------------------------------------------------

OVERDUE_PEOPLE_SHOWN = 5


@dataclass
class LineOverdue:
    people: list[tuple[User, int]]  # (person, overdue courses), most overdue first, at most OVERDUE_PEOPLE_SHOWN
    total_people: int
    total_enrolments: int


def _line_overdue_stmts() -> tuple[Select, Select]:
    """line_overdue's two statements, built once with the manager and the time as bound parameters."""
    manager_id: BindParameter[int] = bindparam("manager_id", type_=Integer)
    line = reporting_line_cte(manager_id)  # a bound parameter stands for the id
    # Active people only (a leaver's old courses are nobody's to chase), never the manager themselves.
    active = sa_select(User.id).where(User.id.in_(sa_select(line.c.id)), User.is_active, User.id != manager_id)
    overdue = and_(
        Enrolment.user_id.in_(active),
        Enrolment.status != "completed",
        Enrolment.due_at.is_not(None),
        col(Enrolment.due_at) < bindparam("now", type_=Enrolment.__table__.c.due_at.type),
    )
    counts = sa_select(func.count(func.distinct(Enrolment.user_id)), func.count()).select_from(Enrolment).where(overdue)
    n = func.count(Enrolment.id).label("n")
    people = (
        select(User, n)
        .join(Enrolment, col(Enrolment.user_id) == User.id)
        .where(overdue)
        .group_by(col(User.id))
        .order_by(n.desc(), User.name)
        .limit(OVERDUE_PEOPLE_SHOWN)
    )
    return counts, people


_LINE_OVERDUE_COUNTS, _LINE_OVERDUE_PEOPLE = _line_overdue_stmts()


def line_overdue(session: Session, manager_id: int, now: datetime) -> LineOverdue:
    """Who in the reporting line has overdue courses (two queries, whatever the line's size)."""
    params = {"manager_id": manager_id, "now": now}
    people_n, enrolments_n = session.exec(_LINE_OVERDUE_COUNTS, params=params).one()
    rows = session.exec(_LINE_OVERDUE_PEOPLE, params=params).all()
    return LineOverdue([(u, c) for u, c in rows], people_n, enrolments_n)
