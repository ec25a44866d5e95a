"""Learners' ratings of courses they completed: one row per learner and course, updated on re-rating."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from lms.clock import utcnow
from lms.people.models import User
from lms.web.params import parse_int

from courses.models import Course, CourseFeedback, Enrolment
from courses.service import CourseError

COMMENT_MAX = 2000
NOT_COMPLETED = "You can rate this course once you have completed it."


class FeedbackNotAllowed(CourseError):
    """Rating a course the learner has not completed."""


@dataclass
class FeedbackForm:
    rating: str = ""
    comment: str = ""

    def check(self) -> tuple[dict[str, str], int | None, str]:
        """(errors, rating, comment); error keys are the ids of the fields they belong to."""
        errors: dict[str, str] = {}
        raw = self.rating.strip()
        rating = parse_int(raw, 1, 5)
        if rating is None:
            errors["rating"] = "Choose a rating from 1 to 5." if raw else "Choose a rating."
        comment = self.comment.strip()
        if len(comment) > COMMENT_MAX:
            errors["comment"] = (f"Keep your comment to {COMMENT_MAX:,} characters or fewer "
                                 f"(it has {len(comment):,}).")
        return errors, rating, comment


def feedback_allowed(session: Session, *, course: Course, user: User) -> bool:
    return session.exec(select(Enrolment.id).where(Enrolment.course_id == course.id, Enrolment.user_id == user.id,
                                                   Enrolment.completed_at.is_not(None))).first() is not None


def course_feedback_save(session: Session, *, course: Course, user: User, rating: int,
                         comment: str = "") -> CourseFeedback:
    """Record or update the learner's own rating. Callers commit."""
    if not feedback_allowed(session, course=course, user=user):
        raise FeedbackNotAllowed(NOT_COMPLETED)
    if not 1 <= rating <= 5:
        raise CourseError("Choose a rating from 1 to 5.", "rating")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise CourseError(f"Keep your comment to {COMMENT_MAX:,} characters or fewer.", "comment")
    feedback = session.get(CourseFeedback, (course.id, user.id))
    if feedback is None:
        feedback = CourseFeedback(course_id=course.id, user_id=user.id, rating=rating, comment=comment)
    else:
        # The row keeps only the learner's latest view; created_at then means "last rated".
        feedback.rating, feedback.comment, feedback.created_at = rating, comment, utcnow()
    session.add(feedback)
    session.flush()
    return feedback
