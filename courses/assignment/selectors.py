"""Reads for a learner's assigned learning: My learning's sections, completed courses and gaps.

The manager's side (their line's people, assignments and overdue people) is in line_selectors.py.

Every function runs a fixed number of queries, however many enrolments or people there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import ColumnElement, Integer, Label, Row, Select, String, Subquery, and_, bindparam, case, func, select as sa_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, col, select

from lms.i18n import current_language, format_date, gettext, lazy_gettext, lazy_pgettext, ngettext, pgettext
from lms.competences.localised import Localised
from lms.competences.models import Competence, CompetenceStatus, CompetenceTranslation, JobProfileRequirement
from lms.people.models import User

from courses.models import Assignment, Course, Enrolment, EnrolmentSource
from courses.translations.resolve import Shown, course_texts

DUE_SOON_DAYS = 14

# One categorisation for My learning sections, the manager's filter and its sort order.
OVERDUE, DUE_SOON, IN_PROGRESS, NOT_STARTED, COMPLETED = range(5)
CATEGORIES = {"overdue": OVERDUE, "due_soon": DUE_SOON, "in_progress": IN_PROGRESS, "not_started": NOT_STARTED, "completed": COMPLETED}
CATEGORY_LABELS = {
    OVERDUE: lazy_gettext("Overdue"),
    DUE_SOON: lazy_gettext("Due soon"),
    IN_PROGRESS: lazy_gettext("In progress"),
    NOT_STARTED: lazy_gettext("Not started"),
    COMPLETED: lazy_pgettext("course", "Completed"),
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
    # The course's title in the reader's language (name_courses), where a page has asked for it.
    title: Shown | None = None

    @property
    def course_name(self) -> Shown:
        return self.title or Shown(self.course.title)

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


def items_stmt(
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


def learning_item(row: Row, with_learner: bool = False) -> LearningItem:
    enrolment, course, category, assigned_by, rule_id, message = row[:6]
    return LearningItem(enrolment, course, category, assigned_by, rule_id is not None, message or "", row[6] if with_learner else None)


def name_courses(session: Session, items: list[LearningItem]) -> list[LearningItem]:
    """Give each item its course's title in the reader's language: one statement for the page, none
    when every course is written in it (courses.translations.resolve.course_texts)."""
    texts = course_texts(session, {item.course.id: item.course for item in items}.values())
    for item in items:
        item.title = texts[item.course.id or 0][0]
    return items


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
    stmt, category, _ = items_stmt(_category(bindparam("now", type_=due_type), bindparam("soon", type_=due_type)), mine)
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
        grouped[row[2]].append(learning_item(row))
    grouped[COMPLETED] = [learning_item(row) for row in done_rows]
    name_courses(session, [item for items in grouped.values() for item in items])
    headings = {
        OVERDUE: gettext("Overdue"),
        DUE_SOON: gettext("Due in the next %(num)s days") % {"num": DUE_SOON_DAYS},
        IN_PROGRESS: gettext("In progress"),
        NOT_STARTED: gettext("Not started yet"),
        COMPLETED: pgettext("course", "Completed"),
    }
    return MyLearning([(key, headings[c], grouped[c]) for key, c in CATEGORIES.items()], completed_ids)


def completed_count(session: Session, user: User) -> int:
    return session.exec(
        sa_select(func.count()).select_from(Enrolment).where(Enrolment.user_id == user.id, Enrolment.status == "completed")
    ).scalar_one()


def completed_items(session: Session, user: User, now: datetime, *, page: int, per_page: int) -> list[LearningItem]:
    mine = sa_select(Enrolment.id).where(Enrolment.user_id == user.id, Enrolment.status == "completed")
    stmt, _category, _ = items_stmt(now, mine)
    rows = session.exec(
        stmt.order_by(Enrolment.completed_at.desc(), Enrolment.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return name_courses(session, [learning_item(row) for row in rows])


# Built once (issue 15); the status as the two columns the level needs, not a hydrated entity.
_USER_GAPS = (
    select(
        Competence,
        JobProfileRequirement.level,
        CompetenceStatus.user_id,
        CompetenceStatus.verified_level,
        CompetenceStatus.verified_until,
        CompetenceTranslation.name,
    )
    .join(JobProfileRequirement, col(JobProfileRequirement.competence_id) == Competence.id)
    # The competence's name in the reader's language comes in the same statement.
    .outerjoin(
        CompetenceTranslation,
        and_(
            CompetenceTranslation.competence_id == Competence.id,
            CompetenceTranslation.language == bindparam("language", type_=String),
        ),
    )
    .outerjoin(
        CompetenceStatus,
        and_(CompetenceStatus.competence_id == Competence.id, CompetenceStatus.user_id == bindparam("user_id", type_=Integer)),
    )
    .where(JobProfileRequirement.job_profile_id == bindparam("job_profile_id", type_=Integer))
    .order_by(Competence.code)
)


def user_gaps(session: Session, user: User, now: datetime) -> list[tuple[Competence, int, int]]:
    """(competence, required, verified) for each requirement of the user's profile not yet met, each
    competence named in the reader's language where its framework has a version in it."""
    if not user.job_profile_id:
        return []
    params = {"user_id": user.id, "job_profile_id": user.job_profile_id, "language": current_language()}
    rows = session.exec(_USER_GAPS, params=params).all()
    gaps = []
    for row, required, has_status, level, until, translated in rows:
        competence = row if translated is None else cast(Competence, Localised(row, name=translated))
        # As effective_level: no status, or a level whose evidence expired since it was written, counts as 0.
        verified = 0 if has_status is None or (until is not None and until <= now) else level
        if verified < required:
            gaps.append((competence, required, verified))
    return gaps
