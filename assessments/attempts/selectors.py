"""Reads for quiz attempts: attempts used, the one in progress, a learner's own attempts and their answers,
and what a review may show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select as sa_select
from sqlmodel import Session, select

from assessments.models import Attempt, AttemptState, Quiz, Response, ReviewPolicy
from courses.learning.selectors import course_view
from courses.models import Course, Lesson
from lms.competences.models import Competence, Evidence
from lms.db import known
from lms.people.models import User


def attempts_used(session: Session, *, quiz: Quiz, user: User) -> int:
    return session.exec(
        sa_select(func.count()).select_from(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
    ).scalar_one()


def in_progress(session: Session, *, quiz: Quiz, user: User) -> Attempt | None:
    return session.exec(
        select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id, Attempt.state == AttemptState.IN_PROGRESS.value)
    ).first()


def attempt_for(session: Session, *, attempt_id: int, user: User) -> Attempt | None:
    """The attempt if it is this learner's own; None otherwise (callers answer 404)."""
    attempt = session.get(Attempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user.id else None


@dataclass(frozen=True)
class ReviewRights:
    score: bool
    answers: bool  # correct answers and feedback


def review_rights(attempt: Attempt) -> ReviewRights:
    """What the learner may see of a submitted attempt under the policy it was started with."""
    if attempt.state != AttemptState.SUBMITTED.value:
        return ReviewRights(score=False, answers=False)
    policy = attempt.settings.get("review_policy", ReviewPolicy.AFTER_SUBMIT.value)
    if policy == ReviewPolicy.AFTER_SUBMIT.value:
        return ReviewRights(True, True)
    if policy == ReviewPolicy.AFTER_PASSING.value:
        return ReviewRights(True, bool(attempt.passed))
    if policy == ReviewPolicy.SCORE_ONLY.value:
        return ReviewRights(True, False)
    return ReviewRights(False, False)


def submitted_attempts(session: Session, *, quiz: Quiz, user: User) -> list[Attempt]:
    """The learner's submitted attempts at the quiz, first first."""
    return list(
        session.exec(
            select(Attempt)
            .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id, Attempt.state == AttemptState.SUBMITTED.value)
            .order_by(Attempt.number)
        ).all()
    )


# Built once: building a select and its cache key on every request cost more than running it (issue 15).
_RESPONSES = select(Response).where(Response.attempt_id == bindparam("attempt_id"))
_OWN_ATTEMPT = (
    sa_select(Attempt, Quiz, Lesson)
    .join(Quiz, Quiz.id == Attempt.quiz_id)
    .join(Lesson, Lesson.id == Quiz.lesson_id)
    .where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))
)


def own_attempt_with_quiz(session: Session, *, attempt_id: int, user: User) -> tuple[Attempt, Quiz, Lesson] | None:
    """The attempt with its quiz and lesson in one statement if it is this learner's own; None otherwise.
    Foreign keys (RESTRICT) keep an attempt's quiz and the quiz's lesson, so the joins drop nothing."""
    row = session.execute(_OWN_ATTEMPT, {"attempt_id": attempt_id, "user_id": user.id}).first()
    return (row[0], row[1], row[2]) if row is not None else None


def responses_by_slot(session: Session, attempt: Attempt) -> dict[int, Response]:
    """The attempt's saved answers, by slot."""
    return {r.slot: r for r in session.execute(_RESPONSES, {"attempt_id": attempt.id}).scalars()}


@dataclass
class Proved:
    code: str
    name: str
    level: int


@dataclass
class AfterResult:
    """Where a learner can go from a quiz result: their course and its next lesson, and what the attempt proved."""

    course: Course
    enrolment_status: str | None  # None: not enrolled (a trainer previewing, say)
    done_count: int
    lesson_count: int
    next_lesson: Lesson | None
    proved: list[Proved]

    @property
    def course_complete(self) -> bool:
        return self.enrolment_status == "completed"


def after_result(session: Session, *, attempt: Attempt, lesson: Lesson, user: User) -> AfterResult:
    course = session.get(Course, lesson.course_id)
    assert course is not None  # the lesson's foreign key
    view = course_view(session, course=course, user_id=user.id, with_extras=False)
    _, following = view.neighbours(known(lesson.id))
    # The evidence _record_evidence wrote for this attempt (a pass that proves a level, or a diagnostic's levels).
    rows = session.exec(
        sa_select(Competence.code, Competence.name, Evidence.level)
        .join(Competence, Competence.id == Evidence.competence_id)
        .where(Evidence.user_id == user.id, Evidence.reference == f"attempt:{attempt.id}")
        .order_by(Competence.position, Competence.id)
    ).all()
    return AfterResult(
        course=course,
        enrolment_status=view.enrolment.status if view.enrolment else None,
        done_count=view.done_count,
        lesson_count=len(view.lessons),
        next_lesson=following,
        proved=[Proved(code, name, level) for code, name, level in rows],
    )
