"""Reads for the authoring pages. Each function is a fixed number of queries, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Float, case, cast, func, select as sa_select
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session, select

from lms.competences.models import Competence, CompetenceArea, Framework
from lms.people.models import User

from courses.models import (
    Attachment,
    Course,
    CourseCompetence,
    CourseEditor,
    CourseFeedback,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
)


def enrolment_count(session: Session, course_id: int) -> int:
    return session.exec(sa_select(func.count()).select_from(Enrolment).where(Enrolment.course_id == course_id)).scalar_one()


@dataclass
class CourseRow:
    course: Course
    modules: int
    lessons: int
    enrolments: int


def author_courses(session: Session, *, user: User, is_admin: bool, page: int, per_page: int) -> tuple[list[CourseRow], int]:
    """The courses this person edits (admins: all), newest change first, with counts."""
    modules = sa_select(Module.course_id, func.count().label("n")).group_by(Module.course_id).subquery()
    lessons = sa_select(Lesson.course_id, func.count().label("n")).group_by(Lesson.course_id).subquery()
    enrolments = sa_select(Enrolment.course_id, func.count().label("n")).group_by(Enrolment.course_id).subquery()
    where = [] if is_admin else [Course.id.in_(sa_select(CourseEditor.course_id).where(CourseEditor.user_id == user.id))]
    total = session.exec(sa_select(func.count()).select_from(Course).where(*where)).scalar_one()
    rows = session.exec(
        sa_select(Course, func.coalesce(modules.c.n, 0), func.coalesce(lessons.c.n, 0), func.coalesce(enrolments.c.n, 0))
        .outerjoin(modules, modules.c.course_id == Course.id)
        .outerjoin(lessons, lessons.c.course_id == Course.id)
        .outerjoin(enrolments, enrolments.c.course_id == Course.id)
        .where(*where)
        .order_by(Course.updated_at.desc(), Course.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [CourseRow(c, m, le, e) for c, m, le, e in rows], total


@dataclass
class OutlineModule:
    module: Module
    lessons: list[Lesson] = field(default_factory=list)
    has_progress: bool = False


@dataclass
class Outline:
    modules: list[OutlineModule]
    # Lessons someone has progress on: these may be hidden but not deleted.
    with_progress: set[int]

    @property
    def visible_lessons(self) -> int:
        return sum(1 for m in self.modules if not m.module.hidden for lesson in m.lessons if not lesson.hidden)


def course_outline(session: Session, course_id: int) -> Outline:
    modules = session.exec(select(Module).where(Module.course_id == course_id).order_by(Module.position, Module.id)).all()
    lessons = session.exec(select(Lesson).where(Lesson.course_id == course_id).order_by(Lesson.position, Lesson.id)).all()
    with_progress = set(
        session.exec(sa_select(LessonProgress.lesson_id).where(LessonProgress.course_id == course_id).distinct()).scalars().all()
    )
    by_id = {m.id: OutlineModule(m) for m in modules}
    for lesson in lessons:
        entry = by_id.get(lesson.module_id)
        if entry is not None:
            entry.lessons.append(lesson)
            entry.has_progress = entry.has_progress or lesson.id in with_progress
    return Outline(list(by_id.values()), with_progress)


@dataclass
class CourseStats:
    enrolments: int
    completed: int
    average_seconds: float | None
    ratings: int
    average_rating: float | None
    comments: list[CourseFeedback]

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.completed / self.enrolments) if self.enrolments else None


def _seconds_between(
    session: Session, start: InstrumentedAttribute[datetime | None], end: InstrumentedAttribute[datetime | None]
) -> ColumnElement[float | Decimal | None]:
    """Average of end - start in seconds, in SQL on either engine (NULL without rows; numeric on PostgreSQL)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.avg((func.julianday(end) - func.julianday(start)) * 86400.0)
    return func.avg(func.extract("epoch", end - start))


def course_stats(session: Session, course_id: int, *, comments: int = 20) -> CourseStats:
    done = Enrolment.completed_at.is_not(None)
    enrolled, completed, seconds = session.exec(
        sa_select(
            func.count(),
            func.coalesce(func.sum(case((done, 1), else_=0)), 0),
            _seconds_between(session, Enrolment.started_at, Enrolment.completed_at).filter(done, Enrolment.started_at.is_not(None)),
        ).where(Enrolment.course_id == course_id)
    ).one()
    ratings, average = session.exec(
        sa_select(func.count(), func.avg(cast(CourseFeedback.rating, Float))).where(CourseFeedback.course_id == course_id)
    ).one()
    recent = session.exec(
        select(CourseFeedback)
        .where(CourseFeedback.course_id == course_id, CourseFeedback.comment != "")
        .order_by(CourseFeedback.created_at.desc())
        .limit(comments)
    ).all()
    return CourseStats(
        enrolled,
        int(completed),
        None if seconds is None else float(seconds),
        ratings,
        None if average is None else round(float(average), 1),
        list(recent),
    )


def course_editors(session: Session, course_id: int) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(CourseEditor, CourseEditor.user_id == User.id)
            .where(CourseEditor.course_id == course_id)
            .order_by(User.name)
        ).all()
    )


@dataclass
class CompetenceLink:
    competence: Competence
    area: CompetenceArea
    level: int


def course_competences(session: Session, course_id: int) -> list[CompetenceLink]:
    rows = session.exec(
        select(CourseCompetence, Competence, CompetenceArea)
        .join(Competence, Competence.id == CourseCompetence.competence_id)
        .join(CompetenceArea, CompetenceArea.id == Competence.area_id)
        .where(CourseCompetence.course_id == course_id)
        .order_by(CompetenceArea.position, Competence.position, Competence.code)
    ).all()
    return [CompetenceLink(c, a, link.level) for link, c, a in rows]


def competence_groups(session: Session) -> list[tuple[str, list[tuple[int, str]]]]:
    """Competences for a select, grouped by framework area: [(area label, [(id, label), ...])]."""
    rows = session.exec(
        select(Competence, CompetenceArea, Framework.code)
        .join(CompetenceArea, CompetenceArea.id == Competence.area_id)
        .join(Framework, Framework.id == Competence.framework_id)
        .order_by(Framework.code, CompetenceArea.position, CompetenceArea.code, Competence.position, Competence.code)
    ).all()
    several = len({fw for _c, _a, fw in rows}) > 1
    groups: dict[int, tuple[str, list]] = {}
    for comp, area, fw in rows:
        label = f"{fw} {area.code} {area.name}" if several else f"{area.code} {area.name}"
        groups.setdefault(area.id, (label, []))[1].append((comp.id, f"{comp.code} {comp.name}"))
    return list(groups.values())


def course_attachments(session: Session, course_id: int) -> list[Attachment]:
    return list(
        session.exec(
            select(Attachment).where(Attachment.course_id == course_id).order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())
        ).all()
    )


# --- Home page ---------------------------------------------------------------------------------

HOME_COURSES_SHOWN = 8


@dataclass
class HomeCourseRow:
    course: Course
    enrolments: int
    completed: int
    ratings: int
    average_rating: float | None

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.completed / self.enrolments) if self.enrolments else None


def trainer_home_courses(session: Session, user: User) -> tuple[list[HomeCourseRow], dict[str, int]]:
    """The courses this person edits, latest change first, with enrolment, completion and rating
    figures; and how many they edit by status. Two queries, whatever the number of courses."""
    mine = Course.id.in_(sa_select(CourseEditor.course_id).where(CourseEditor.user_id == user.id))
    done = case((Enrolment.completed_at.is_not(None), 1), else_=0)
    enrolments = (
        sa_select(Enrolment.course_id, func.count().label("n"), func.sum(done).label("done")).group_by(Enrolment.course_id).subquery()
    )
    ratings = (
        sa_select(CourseFeedback.course_id, func.count().label("n"), func.avg(cast(CourseFeedback.rating, Float)).label("avg"))
        .group_by(CourseFeedback.course_id)
        .subquery()
    )
    rows = session.exec(
        sa_select(
            Course,
            func.coalesce(enrolments.c.n, 0),
            func.coalesce(enrolments.c.done, 0),
            func.coalesce(ratings.c.n, 0),
            ratings.c.avg,
        )
        .outerjoin(enrolments, enrolments.c.course_id == Course.id)
        .outerjoin(ratings, ratings.c.course_id == Course.id)
        .where(mine)
        .order_by(Course.updated_at.desc(), Course.id.desc())
        .limit(HOME_COURSES_SHOWN)
    ).all()
    by_status = {
        str(s): int(n) for s, n in session.exec(sa_select(Course.status, func.count()).where(mine).group_by(Course.status)).all()
    }
    return [HomeCourseRow(c, n, int(d), r, None if a is None else round(float(a), 1)) for c, n, d, r, a in rows], by_status
