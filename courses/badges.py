"""The courses package's answer to lms.hooks.completed_courses: what digital badges for courses read."""

from __future__ import annotations

from sqlmodel import Session, col, select

from courses.models import Course, CourseTranslation, Enrolment
from courses.translations.resolve import title_version
from lms.hooks import CompletedCourse
from lms.i18n import current_language


def completed_courses(session: Session, user_id: int) -> list[CompletedCourse]:
    """The person's completed courses, each named in the reader's language where it has a version (in
    the same statement), else in its own, with the language it is named in."""
    language = current_language()
    stmt = (
        select(
            Course.id,
            Course.title,
            Course.summary,
            Course.default_language,
            CourseTranslation.title,
            CourseTranslation.summary,
            Enrolment.completed_at,
        )
        .join(Enrolment, col(Enrolment.course_id) == Course.id)
        .outerjoin(CourseTranslation, title_version(language))
        .where(Enrolment.user_id == user_id, Enrolment.status == "completed", col(Enrolment.completed_at).is_not(None))
        .order_by(col(Enrolment.completed_at).desc())
    )
    return [
        CompletedCourse(course_id, title, summary, when, own)
        if version is None
        else CompletedCourse(course_id, version, version_summary or summary, when, language)
        for course_id, title, summary, own, version, version_summary, when in session.exec(stmt).all()
    ]
