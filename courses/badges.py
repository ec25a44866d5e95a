"""The courses package's answer to lms.hooks.completed_courses: what digital badges for courses read."""

from __future__ import annotations

from sqlmodel import Session, col, select

from courses.models import Course, Enrolment
from lms.hooks import CompletedCourse


def completed_courses(session: Session, user_id: int) -> list[CompletedCourse]:
    stmt = (
        select(Course.id, Course.title, Course.summary, Enrolment.completed_at)
        .join(Enrolment, col(Enrolment.course_id) == Course.id)
        .where(Enrolment.user_id == user_id, Enrolment.status == "completed", col(Enrolment.completed_at).is_not(None))
        .order_by(col(Enrolment.completed_at).desc())
    )
    return [CompletedCourse(course_id, title, summary, when) for course_id, title, summary, when in session.exec(stmt).all()]
