"""Reads for assignment: whom a manager may assign to, My learning, the line's assignments and overdue people.

Every function runs a fixed number of queries, however many enrolments or people there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Integer, Label, Row, Select, Subquery, and_, bindparam, case, func, select as sa_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, col, select

from lms.i18n import format_date, gettext, lazy_gettext, ngettext
from lms.web.paging import ListFilters
from lms.competences.models import Competence, CompetenceStatus, JobProfileRequirement
from lms.competences.selectors import effective_level
from lms.db import known
from lms.people.models import User
from lms.people.selectors import reporting_line_cte
from lms.text_search import like_folded

from courses.models import Assignment, Course, CourseStatus, Enrolment, EnrolmentSource

DUE_SOON_DAYS = 14

# One categorisation for My learning sections, the manager's filter and its sort order.
OVERDUE, DUE_SOON, IN_PROGRESS, NOT_STARTED, COMPLETED = range(5)
CATEGORIES = {"overdue": OVERDUE, "due_soon": DUE_SOON, "in_progress": IN_PROGRESS, "not_started": NOT_STARTED, "completed": COMPLETED}
CATEGORY_LABELS = {
    OVERDUE: lazy_gettext("Overdue"),
    DUE_SOON: lazy_gettext("Due soon"),
    IN_PROGRESS: lazy_gettext("In progress"),
    NOT_STARTED: lazy_gettext("Not started"),
    COMPLETED: lazy_gettext("Completed"),
}
ASSIGNED_SOURCES = (EnrolmentSource.ASSIGNED.value, EnrolmentSource.RULE.value)


def category_expr(now: datetime) -> ColumnElement[int]:
    return _category(now, now + timedelta(days=DUE_SOON_DAYS))


def _category(now: datetime | BindParameter, soon: datetime | BindParameter) -> ColumnElement[int]:
    return case(
        (Enrolment.status == "completed", COMPLETED),
        (and_(Enrolment.due_at.is_not(None), col(Enrolment.due_at) < now), OVERDUE),
        (and_(Enrolment.due_at.is_not(None), col(Enrolment.due_at) <= soon), DUE_SOON),
        (Enrolment.status == "in_progress", IN_PROGRESS),
        else_=NOT_STARTED,
    )


@dataclass
class LearningItem:
    enrolment: Enrolment
    course: Course
    category: int
    assigned_by: str | None  # the most recent person who assigned it
    by_rule: bool
    message: str
    learner: User | None = None

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS[self.category])

    @property
    def category_key(self) -> str:
        return next(k for k, v in CATEGORIES.items() if v == self.category)

    def days_overdue(self, now: datetime) -> int:
        return max((now.date() - self.enrolment.due_at.date()).days, 0)

    def due_text(self, now: datetime) -> str:
        due = self.enrolment.due_at
        if due is None:
            return gettext("No due date")
        when = format_date(due, "dd MMM y")
        if self.category == OVERDUE:
            days = self.days_overdue(now)
            if days == 0:
                return gettext("Due %(date)s: overdue today") % {"date": when}
            return ngettext("Due %(date)s: %(num)s day overdue", "Due %(date)s: %(num)s days overdue", days) % {
                "date": when,
                "num": days,
            }
        if self.category == COMPLETED:
            return gettext("Was due %(date)s") % {"date": when}
        days = (due.date() - now.date()).days
        if days == 0:
            return gettext("Due today (%(date)s)") % {"date": when}
        return ngettext("Due %(date)s (in %(num)s day)", "Due %(date)s (in %(num)s days)", days) % {"date": when, "num": days}

    @property
    def assigned_text(self) -> str:
        if self.assigned_by:
            return gettext("Assigned by %(name)s") % {"name": self.assigned_by}
        if self.by_rule or self.enrolment.source == EnrolmentSource.RULE.value:
            return gettext("Assigned to your role by your organisation")
        return gettext("You enrolled yourself")


def _assigners(enrolment_ids: Select[int]) -> Subquery:
    """Per enrolment: the latest assignment made by a person, and whether a rule assigned it."""
    person_aid = func.max(case((Assignment.assigned_by_id.is_not(None), Assignment.id)))
    return (
        sa_select(
            Assignment.enrolment_id.label("enrolment_id"),
            person_aid.label("person_aid"),
            func.max(Assignment.rule_id).label("rule_id"),
        )
        .where(Assignment.enrolment_id.in_(enrolment_ids))
        .group_by(Assignment.enrolment_id)
        .subquery("assigners")
    )


# Built once: an aliased() rebuilt per request cost about a third of My learning's time (issue 15).
_BY_ASSIGNMENT = aliased(Assignment)
_ASSIGNER = aliased(User)
_LEARNER = aliased(User, name="learner")


def _items_stmt(
    now: datetime | ColumnElement[int], enrolment_ids: Select[int], *, with_learner: bool = False
) -> tuple[Select, Label[int], type[User]]:
    """Enrolment, course, category and who assigned it (and the learner), in one statement; with the category
    column and the learner's alias to order by. ``now`` is a time, or a category expression already built."""
    latest = _assigners(enrolment_ids)
    by_assignment, assigner, learner = _BY_ASSIGNMENT, _ASSIGNER, _LEARNER
    category = (category_expr(now) if isinstance(now, datetime) else now).label("category")
    columns = [Enrolment, Course, category, assigner.name, latest.c.rule_id, by_assignment.message]
    if with_learner:
        columns.append(learner)
    stmt = (
        select(*columns)
        .join(Course, Course.id == Enrolment.course_id)
        .outerjoin(latest, latest.c.enrolment_id == Enrolment.id)
        .outerjoin(by_assignment, by_assignment.id == latest.c.person_aid)
        .outerjoin(assigner, assigner.id == by_assignment.assigned_by_id)
        .where(Enrolment.id.in_(enrolment_ids))
    )
    if with_learner:
        stmt = stmt.join(learner, learner.id == Enrolment.user_id)
    return stmt, category, learner


def _item(row: Row, with_learner: bool = False) -> LearningItem:
    enrolment, course, category, assigned_by, rule_id, message = row[:6]
    return LearningItem(enrolment, course, category, assigned_by, rule_id is not None, message or "", row[6] if with_learner else None)


# --- My learning -------------------------------------------------------------------------------


@dataclass
class MyLearning:
    sections: list[tuple[str, str, list[LearningItem]]]  # (key, heading, items) in display order
    completed_course_ids: set[int]

    @property
    def completed_total(self) -> int:
        return len(self.completed_course_ids)

    @property
    def empty(self) -> bool:
        return not any(items for _k, _h, items in self.sections)


COMPLETED_SHOWN = 10


def _my_learning_stmts() -> tuple[Select, Select, Select]:
    """My learning's three statements, built once with the user and the time as bound parameters."""
    user_id: BindParameter[int] = bindparam("user_id", type_=Integer)
    mine = sa_select(Enrolment.id).where(Enrolment.user_id == user_id)
    due_type = Enrolment.__table__.c.due_at.type
    stmt, category, _ = _items_stmt(_category(bindparam("now", type_=due_type), bindparam("soon", type_=due_type)), mine)
    due_last = case((Enrolment.due_at.is_(None), 1), else_=0)
    open_rows = stmt.where(Enrolment.status != "completed").order_by(
        category, due_last, Enrolment.due_at, Enrolment.enrolled_at, Course.title
    )
    done_rows = (
        stmt.where(Enrolment.status == "completed").order_by(Enrolment.completed_at.desc(), Enrolment.id.desc()).limit(COMPLETED_SHOWN)
    )
    completed_ids = sa_select(Enrolment.course_id).where(Enrolment.user_id == user_id, Enrolment.status == "completed")
    return open_rows, done_rows, completed_ids


_MY_OPEN, _MY_DONE, _MY_COMPLETED_IDS = _my_learning_stmts()


def my_learning(session: Session, user: User, now: datetime) -> MyLearning:
    params = {"user_id": user.id, "now": now, "soon": now + timedelta(days=DUE_SOON_DAYS)}
    open_rows = session.exec(_MY_OPEN, params=params).all()
    done_rows = session.exec(_MY_DONE, params=params).all()
    completed_ids = set(session.exec(_MY_COMPLETED_IDS, params={"user_id": user.id}).scalars().all())
    grouped: dict[int, list[LearningItem]] = {c: [] for c in CATEGORIES.values()}
    for row in open_rows:
        grouped[row[2]].append(_item(row))
    grouped[COMPLETED] = [_item(row) for row in done_rows]
    headings = {
        OVERDUE: gettext("Overdue"),
        DUE_SOON: gettext("Due in the next %(num)s days") % {"num": DUE_SOON_DAYS},
        IN_PROGRESS: gettext("In progress"),
        NOT_STARTED: gettext("Not started yet"),
        COMPLETED: gettext("Completed"),
    }
    return MyLearning([(key, headings[c], grouped[c]) for key, c in CATEGORIES.items()], completed_ids)


def completed_count(session: Session, user: User) -> int:
    return session.exec(
        sa_select(func.count()).select_from(Enrolment).where(Enrolment.user_id == user.id, Enrolment.status == "completed")
    ).scalar_one()


def completed_items(session: Session, user: User, now: datetime, *, page: int, per_page: int) -> list[LearningItem]:
    mine = sa_select(Enrolment.id).where(Enrolment.user_id == user.id, Enrolment.status == "completed")
    stmt, _category, _ = _items_stmt(now, mine)
    rows = session.exec(
        stmt.order_by(Enrolment.completed_at.desc(), Enrolment.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return [_item(row) for row in rows]


# Built once (issue 15); the status as the two columns the level needs, not a hydrated entity.
_USER_GAPS = (
    select(
        Competence,
        JobProfileRequirement.level,
        CompetenceStatus.user_id,
        CompetenceStatus.verified_level,
        CompetenceStatus.verified_until,
    )
    .join(JobProfileRequirement, col(JobProfileRequirement.competence_id) == Competence.id)
    .outerjoin(
        CompetenceStatus,
        and_(CompetenceStatus.competence_id == Competence.id, CompetenceStatus.user_id == bindparam("user_id", type_=Integer)),
    )
    .where(JobProfileRequirement.job_profile_id == bindparam("job_profile_id", type_=Integer))
    .order_by(Competence.code)
)


def user_gaps(session: Session, user: User, now: datetime) -> list[tuple[Competence, int, int]]:
    """(competence, required, verified) for each requirement of the user's profile not yet met."""
    if not user.job_profile_id:
        return []
    rows = session.exec(_USER_GAPS, params={"user_id": user.id, "job_profile_id": user.job_profile_id}).all()
    gaps = []
    for competence, required, has_status, level, until in rows:
        # As effective_level: no status, or a level whose evidence expired since it was written, counts as 0.
        verified = 0 if has_status is None or (until is not None and until <= now) else level
        if verified < required:
            gaps.append((competence, required, verified))
    return gaps


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


def published_courses(session: Session) -> list[Course]:
    return list(
        session.exec(select(Course).where(Course.status == CourseStatus.PUBLISHED.value).order_by(Course.title, Course.id)).all()
    )


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
    stmt, category, learner = _items_stmt(now, ids, with_learner=True)
    due_last = case((Enrolment.due_at.is_(None), 1), else_=0)
    stmt = stmt.order_by(category, due_last, Enrolment.due_at, learner.name, Course.title, Enrolment.id)
    if per_page:
        stmt = stmt.offset((filters.page - 1) * per_page).limit(per_page)
    return [_item(row, with_learner=True) for row in session.exec(stmt).all()], total


def line_course_options(session: Session, manager_id: int) -> list[tuple[int, str]]:
    line = reporting_line_cte(manager_id)
    rows = session.exec(
        select(Course.id, Course.title)
        .where(
            Course.id.in_(
                sa_select(Enrolment.course_id).where(
                    Enrolment.user_id.in_(sa_select(line.c.id)), Enrolment.source.in_(ASSIGNED_SOURCES)
                )
            )
        )
        .order_by(Course.title, Course.id)
    ).all()
    return [(known(cid), title) for cid, title in rows]


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
