"""Reads for the catalogue: published courses, what each develops, and the learner's progress in each.

Each function runs a fixed number of statements, however many courses it shows.
Progress is counted live from LessonProgress over the visible lessons, so hiding a lesson later
changes the percentage everywhere at once instead of leaving a stale stored figure.
"""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_, select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from lms.web.paging import ListFilters, Page, clamp_page
from lms.competences.name_columns import name_in_language
from lms.competences.models import Competence, CompetenceArea
from lms.i18n import format_percent, gettext, lazy_gettext, pgettext
from lms.text_search import like_folded

from courses.models import (
    Course,
    CourseCompetence,
    CourseFeedback,
    CourseStatus,
    CourseTranslation,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
)

SORTS = {
    "title": lazy_gettext("Title (A to Z)"),
    "shortest": lazy_gettext("Shortest first"),
    "newest": lazy_gettext("Newest first"),
    "rated": lazy_gettext("Best rated first"),
}


def duration_text(minutes: int | None) -> str:
    minutes = max(0, minutes or 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@dataclass
class CatalogueFilters(ListFilters):
    q: str = ""
    area: int | None = None
    competence: int | None = None
    level: int | None = None
    sort: str = "title"

    def __post_init__(self) -> None:
        self.q = self.q.strip()[:200]
        if self.sort not in SORTS:
            self.sort = "title"
        if self.level is not None and not 1 <= self.level <= 8:
            self.level = None


@dataclass
class Develops:
    competence_id: int
    code: str
    name: str
    level: int

    def __str__(self) -> str:
        return f"{self.code} {self.name} → level {self.level}"


@dataclass
class CourseCard:
    course: Course
    develops: list[Develops] = field(default_factory=list)
    rating: float | None = None
    ratings: int = 0
    enrolment: Enrolment | None = None
    percent: int = 0

    @property
    def status_text(self) -> str:
        e = self.enrolment
        if e is None:
            return ""
        if e.completed_at is not None:
            return pgettext("course", "Completed")
        if e.started_at is None and not self.percent:
            return pgettext("learner", "Enrolled")
        return gettext("%(percent)s complete") % {"percent": format_percent(self.percent / 100)}


def develops_of(session: Session, course_ids: list[int]) -> dict[int, list[Develops]]:
    found: dict[int, list[Develops]] = {}
    if not course_ids:
        return found
    version, on, name = name_in_language(Competence)
    rows = session.exec(
        sa_select(CourseCompetence.course_id, Competence.id, Competence.code, name, CourseCompetence.level)
        .join(Competence, Competence.id == CourseCompetence.competence_id)
        .outerjoin(version, on)
        .where(CourseCompetence.course_id.in_(course_ids))
        .order_by(Competence.framework_id, Competence.position, Competence.code)
    ).all()
    for course_id, comp_id, code, name, level in rows:
        found.setdefault(course_id, []).append(Develops(comp_id, code, name, level))
    return found


def _percentages(session: Session, user_id: int, course_ids: list[int]) -> dict[int, int]:
    """Completed visible lessons over visible lessons, per course, in one grouped query."""
    if not course_ids:
        return {}
    progress = aliased(LessonProgress)
    rows = session.exec(
        sa_select(Lesson.course_id, func.count(Lesson.id), func.count(progress.completed_at))
        .join(Module, Module.id == Lesson.module_id)
        .outerjoin(progress, and_(progress.lesson_id == Lesson.id, progress.user_id == user_id))
        .where(Lesson.course_id.in_(course_ids), Lesson.hidden.is_(False), Module.hidden.is_(False))
        .group_by(Lesson.course_id)
    ).all()
    return {course_id: round(100 * done / total) if total else 0 for course_id, total, done in rows}


def _catalogue_conditions(f: CatalogueFilters) -> list:
    conds = [Course.status == CourseStatus.PUBLISHED.value]
    if f.q.strip():
        # A course is found by its text in any of its languages (each version keeps its own search text).
        translated = exists().where(CourseTranslation.course_id == Course.id, like_folded(CourseTranslation.search_text, f.q))
        conds.append(or_(like_folded(Course.search_text, f.q), translated))
    if f.area or f.competence or f.level:
        develops = [CourseCompetence.course_id == Course.id]
        if f.area:
            develops.append(exists().where(Competence.id == CourseCompetence.competence_id, Competence.area_id == f.area))
        if f.competence:
            develops.append(CourseCompetence.competence_id == f.competence)
        if f.level:
            develops.append(CourseCompetence.level >= f.level)
        conds.append(exists().where(*develops))
    return conds


def catalogue_page(session: Session, *, user_id: int, filters: CatalogueFilters, per_page: int) -> Page:
    """Published courses matching the filters: a count, the page's rows, then what they develop and
    the learner's progress on them."""
    conds = _catalogue_conditions(filters)
    total = session.exec(sa_select(func.count()).select_from(Course).where(*conds)).scalar_one()
    page = clamp_page(filters.page, total, per_page)
    ratings = (
        sa_select(CourseFeedback.course_id, func.avg(CourseFeedback.rating).label("avg"), func.count().label("n"))
        .group_by(CourseFeedback.course_id)
        .subquery()
    )
    orderings: dict[str, list[Any]] = {
        "title": [func.lower(Course.title)],
        "shortest": [Course.estimated_minutes, func.lower(Course.title)],
        "newest": [func.coalesce(Course.published_at, Course.created_at).desc()],
        "rated": [func.coalesce(ratings.c.avg, 0).desc(), func.coalesce(ratings.c.n, 0).desc(), func.lower(Course.title)],
    }
    order = orderings[filters.sort]
    rows = session.exec(
        sa_select(Course, Enrolment, ratings.c.avg, ratings.c.n)
        .outerjoin(Enrolment, and_(Enrolment.course_id == Course.id, Enrolment.user_id == user_id))
        .outerjoin(ratings, ratings.c.course_id == Course.id)
        .where(*conds)
        .order_by(*order, Course.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    ids = [course.id for course, *_ in rows]
    develops = develops_of(session, ids)
    percents = _percentages(session, user_id, ids)
    cards = [
        CourseCard(
            course,
            develops.get(course.id, []),
            float(avg) if avg is not None else None,
            n or 0,
            enrolment,
            100 if enrolment and enrolment.completed_at else percents.get(course.id, 0),
        )
        for course, enrolment, avg, n in rows
    ]
    return Page(items=cards, total=total, page=page, per_page=per_page)


def catalogue_options(session: Session) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(areas, competences) that published courses develop: filters that can match something."""
    published = (
        sa_select(CourseCompetence.competence_id)
        .join(Course, Course.id == CourseCompetence.course_id)
        .where(Course.status == CourseStatus.PUBLISHED.value)
    )
    comp_version, comp_on, comp_name = name_in_language(Competence)
    area_version, area_on, area_name = name_in_language(CompetenceArea)
    comps = session.exec(
        sa_select(Competence.id, Competence.code, comp_name, CompetenceArea.id, CompetenceArea.code, area_name)
        .join(CompetenceArea, CompetenceArea.id == Competence.area_id)
        .outerjoin(comp_version, comp_on)
        .outerjoin(area_version, area_on)
        .where(Competence.id.in_(published))
        .order_by(Competence.framework_id, CompetenceArea.position, Competence.position, Competence.code)
    ).all()
    areas: dict[int, str] = {}
    for *_, area_id, area_code, area_name in comps:
        areas.setdefault(area_id, f"{area_code} {area_name}")
    return list(areas.items()), [(cid, f"{code} {name}") for cid, code, name, *_ in comps]
