"""Building certificates for tests: by completing a course for real, or as a bare row."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from courses.certificates.codes import code_new
from courses.certificates.models import Certificate
from courses.learning.service import lesson_complete
from courses.models import Course, Enrolment
from lms.clock import utcnow
from lms.people.models import User
from tests.courses.factories import lessons_of, make_course


def complete_course(db: Session, user: User, course: Course | None = None) -> Enrolment:
    """Complete every lesson of ``course`` (a new one-lesson course by default) as ``user``, committed."""
    course = course or make_course(db, "Data protection essentials")
    enrolment = None
    for lesson in lessons_of(db, course):
        enrolment = lesson_complete(db, user=user, lesson=lesson)
    db.commit()
    assert enrolment is not None and enrolment.completed_at is not None
    return enrolment


def certificate_of(db: Session, user: User) -> list[Certificate]:
    db.expire_all()
    return list(db.exec(select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.id)).all())


def make_certificate(
    db: Session,
    user: User,
    course: Course,
    *,
    completed_at: datetime | None = None,
    valid_for: timedelta | None = None,
    revoked_at: datetime | None = None,
) -> Certificate:
    """A committed certificate row, without the completion behind it (for lists and searches)."""
    completed_at = completed_at or utcnow()
    certificate = Certificate(
        code=code_new(),
        user_id=user.id,
        course_id=course.id,
        completed_at=completed_at,
        issued_at=completed_at,
        valid_until=completed_at + valid_for if valid_for else None,
        revoked_at=revoked_at,
    )
    db.add(certificate)
    db.commit()
    return certificate
