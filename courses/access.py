"""Who may do what with one course. Routes answer 404 (never 403) when these say no, so a draft's
existence does not leak to people who may not see it."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, select

from lms.people.models import Role, User

from courses.models import Course, CourseEditor, CourseStatus, Enrolment


def is_editor(session: Session, user: User, course: Course) -> bool:
    return session.get(CourseEditor, (course.id, user.id)) is not None


def can_edit(session: Session, user: User | None, course: Course, roles: Collection[str]) -> bool:
    """Admins edit every course; trainers edit the courses they are editors of."""
    if user is None:
        return False
    if Role.ADMIN.value in roles:
        return True
    return Role.TRAINER.value in roles and is_editor(session, user, course)


def can_view(session: Session, user: User | None, course: Course, roles: Collection[str]) -> bool:
    """Published courses: anyone signed in. Drafts: editors and admins. Archived: also the learners
    already enrolled (read-only)."""
    if user is None:
        return False
    if course.status == CourseStatus.PUBLISHED.value:
        return True
    if can_edit(session, user, course, roles):
        return True
    if course.status == CourseStatus.ARCHIVED.value:
        return (
            session.exec(select(Enrolment.id).where(Enrolment.course_id == course.id, Enrolment.user_id == user.id)).first()
            is not None
        )
    return False
