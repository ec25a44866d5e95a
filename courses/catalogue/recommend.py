"""Courses that close skill gaps: registered as the platform's `gap_suggestions` hook."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, col, select

from courses.models import Course, CourseCompetence, CourseStatus


@dataclass(frozen=True)
class CourseSuggestion:
    course_id: int
    title: str
    level: int  # the level the course brings a learner to
    estimated_minutes: int

    @property
    def url(self) -> str:
        return f"/courses/{self.course_id}"


# Built once (issue 15): the home, My learning and My skills each ask on every request.
_SUGGESTIONS = (
    select(CourseCompetence.competence_id, CourseCompetence.level, Course.id, Course.title, Course.estimated_minutes)
    .join(Course, col(Course.id) == CourseCompetence.course_id)
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
    rows = session.exec(_SUGGESTIONS, params={"competence_ids": list(required), "min_level": min(required.values())}).all()
    found: dict[int, list[CourseSuggestion]] = {}
    for competence_id, level, course_id, title, minutes in rows:
        # The query uses the lowest requirement so it stays one statement; each gap filters its own.
        if level >= required[competence_id] and course_id not in exclude_course_ids:
            found.setdefault(competence_id, []).append(CourseSuggestion(course_id, title, level, minutes))
    return found
