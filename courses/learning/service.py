"""Writes for learners: enrolment, lesson progress, completion (with its evidence) and course ratings. Callers commit."""

from __future__ import annotations

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, select

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.i18n import format_number, gettext, lazy_gettext
from lms.competences.models import Competence
from lms.competences.service import evidence_record
from lms.people.models import User

from courses import xapi
from courses.errors import CourseError
from courses.events import course_completed
from courses.learning.forms import COMMENT_MAX
from courses.learning.selectors import feedback_allowed, required_lessons
from courses.models import (
    Course,
    CourseCompetence,
    CourseFeedback,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    Lesson,
    LessonProgress,
)


def enrol(session: Session, *, course: Course, user: User) -> Enrolment:
    """Self-enrolment; enrolling twice returns the existing enrolment."""
    if course.status != CourseStatus.PUBLISHED:
        raise CourseError(gettext("This course is not open for enrolment."))
    existing = session.exec(select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id == user.id)).first()
    if existing:
        return existing
    enrolment = Enrolment(course_id=course.id, user_id=user.id, source=EnrolmentSource.SELF.value)
    session.add(enrolment)
    session.flush()
    audit_record(
        session, action="course.enrol", actor=user, target_type="course", target_id=course.id, detail={"source": enrolment.source}
    )
    return enrolment


def lesson_viewed(session: Session, *, user: User, lesson: Lesson) -> Enrolment:
    """Opening a lesson enrols (if needed), starts the course and remembers where the learner is."""
    course = session.get(Course, lesson.course_id)
    enrolment = session.exec(select(Enrolment).where(Enrolment.course_id == lesson.course_id, Enrolment.user_id == user.id)).first()
    if enrolment is None:
        enrolment = enrol(session, course=course, user=user)
    now = utcnow()
    if enrolment.started_at is None:
        enrolment.started_at = now
        if enrolment.status == "enrolled":
            enrolment.status = "in_progress"
    # Opening counts when the learner moves to this lesson (or first sees it), not at every call.
    opened = enrolment.last_lesson_id != lesson.id
    enrolment.last_lesson_id = lesson.id
    session.add(enrolment)
    if session.get(LessonProgress, (user.id, lesson.id)) is None:
        opened = True
        session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id, course_id=lesson.course_id, first_viewed_at=now))
    if opened:
        xapi.lesson_opened(session, user=user, course=course, lesson=lesson)
    session.flush()
    return enrolment


def lesson_complete(session: Session, *, user: User, lesson: Lesson) -> Enrolment:
    """Mark a lesson complete; completing the last required lesson completes the course and records
    `course` evidence for each competence it develops, in this same transaction. Idempotent."""
    enrolment = lesson_viewed(session, user=user, lesson=lesson)
    progress = session.get(LessonProgress, (user.id, lesson.id))
    if progress.completed_at is None:
        progress.completed_at = utcnow()
        session.add(progress)
        session.flush()
        xapi.lesson_completed(session, user=user, course=session.get(Course, lesson.course_id), lesson=lesson)
    progress_refresh(session, enrolment=enrolment, user=user)
    return enrolment


def progress_refresh(session: Session, *, enrolment: Enrolment, user: User) -> None:
    required = required_lessons(session, enrolment.course_id)
    ids = [lesson.id for lesson in required]
    done = (
        session.exec(
            sa_select(func.count())
            .select_from(LessonProgress)
            .where(LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(ids), LessonProgress.completed_at.is_not(None))
        ).scalar_one()
        if ids
        else 0
    )
    enrolment.progress_percent = round(100 * done / len(ids)) if ids else 0
    if ids and done == len(ids) and enrolment.completed_at is None:
        _complete(session, enrolment=enrolment, user=user)
    session.add(enrolment)


def _complete(session: Session, *, enrolment: Enrolment, user: User) -> None:
    now = utcnow()
    enrolment.completed_at, enrolment.status, enrolment.progress_percent = now, "completed", 100
    course = session.get(Course, enrolment.course_id)
    rows = session.exec(
        select(CourseCompetence, Competence)
        .join(Competence, Competence.id == CourseCompetence.competence_id)
        .where(CourseCompetence.course_id == course.id)
    ).all()
    for link, competence in rows:
        evidence_record(
            session,
            user=user,
            competence=competence,
            level=link.level,
            source="course",
            by=None,
            reference=f"course:{course.id}",
            note=f"Completed the course “{course.title}”.",
        )
    audit_record(session, action="course.complete", actor=user, target_type="course", target_id=course.id)
    xapi.course_completed(session, user=user, course=course)
    for listener in course_completed:
        listener(session, enrolment, user)


NOT_COMPLETED = lazy_gettext("You can rate this course once you have completed it.")


class FeedbackNotAllowed(CourseError):
    """Rating a course the learner has not completed."""


def course_feedback_save(session: Session, *, course: Course, user: User, rating: int, comment: str = "") -> CourseFeedback:
    """Record or update the learner's own rating. Callers commit."""
    if not feedback_allowed(session, course=course, user=user):
        raise FeedbackNotAllowed(str(NOT_COMPLETED))
    if not 1 <= rating <= 5:
        raise CourseError(gettext("Choose a rating from 1 to 5."), "rating")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise CourseError(
            gettext("Keep your comment to %(max)s characters or fewer.") % {"max": format_number(COMMENT_MAX)}, "comment"
        )
    feedback = session.get(CourseFeedback, (course.id, user.id))
    if feedback is None:
        feedback = CourseFeedback(course_id=course.id, user_id=user.id, rating=rating, comment=comment)
    else:
        # The row keeps only the learner's latest view; created_at then means "last rated".
        feedback.rating, feedback.comment, feedback.created_at = rating, comment, utcnow()
    session.add(feedback)
    session.flush()
    # The rating only: the comment is the learner's own words, read where feedback is shown.
    audit_record(session, action="course.rate", actor=user, target_type="course", target_id=course.id, detail={"rating": rating})
    xapi.course_rated(session, user=user, course=course, rating=rating)
    return feedback
