"""Courses that close skill gaps: registered as the platform's `gap_suggestions` hook."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, and_, bindparam
from sqlmodel import Session, col, select

from lms.i18n import current_language

from courses.models import Course, CourseCompetence, CourseStatus, CourseTranslation
from courses.translations.resolve import MarkedText


@dataclass(frozen=True)
class CourseSuggestion:
    course_id: int
    title: str  # in the reader's language where the course has a version in it, else a MarkedText with its own
    level: int  # the level the course brings a learner to
    estimated_minutes: int

    @property
    def url(self) -> str:
        return f"/courses/{self.course_id}"


# Built once (issue 15): the home, My learning and My skills each ask on every request.
_SUGGESTIONS = (
    select(
        CourseCompetence.competence_id,
        CourseCompetence.level,
        Course.id,
        Course.title,
        Course.estimated_minutes,
        Course.default_language,
        CourseTranslation.title,
    )
    .join(Course, col(Course.id) == CourseCompetence.course_id)
    # The title in the reader's language comes in the same statement.
    .outerjoin(
        CourseTranslation,
        and_(col(CourseTranslation.course_id) == Course.id, col(CourseTranslation.language) == bindparam("language", type_=String)),
    )
    .where(
        Course.status == CourseStatus.PUBLISHED.value,
        col(CourseCompetence.competence_id).in_(bindparam("competence_ids", expanding=True)),
        CourseCompetence.level >= bindparam("min_level", type_=Integer),
    )
    .order_by(CourseCompetence.level, Course.estimated_minutes, Course.title, Course.id)
)


def suggestions(
    session: Session, gaps: list[tuple[int, int]], *, exclude_course_ids: set[int] | frozenset = frozenset()
) -> dict[int, list[CourseSuggestion]]:
    """For each (competence, required level): the published courses that bring a learner to at least
    that level, best fit first (smallest sufficient level, then shortest). One query for all gaps."""
    required: dict[int, int] = {}
    for competence_id, level in gaps:
        required[competence_id] = max(level, required.get(competence_id, 0))
    if not required:
        return {}
    language = current_language()
    params = {"competence_ids": list(required), "min_level": min(required.values()), "language": language}
    rows = session.exec(_SUGGESTIONS, params=params).all()
    found: dict[int, list[CourseSuggestion]] = {}
    for competence_id, level, course_id, title, minutes, own_language, translated in rows:
        # The query uses the lowest requirement so it stays one statement; each gap filters its own.
        if level >= required[competence_id] and course_id not in exclude_course_ids:
            shown = (
                MarkedText(translated)
                if translated is not None
                else MarkedText(title, None if own_language == language else own_language)
            )
            found.setdefault(competence_id, []).append(CourseSuggestion(course_id, shown, level, minutes))
    return found
