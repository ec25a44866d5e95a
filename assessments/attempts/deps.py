"""The quiz or attempt a learner's route works on, loaded from its path.

A quiz is shown only to learners who may view its course, and only while its lesson and module are
visible; an attempt only to its owner (attempts.selectors.own_attempt_with_quiz). Anything else is a 404, so
ids reveal nothing.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from assessments.attempts.selectors import own_attempt_with_quiz
from assessments.models import Attempt, Quiz
from assessments.quizzes.deps import QuizInCourse
from assessments.quizzes.selectors import quiz_for_lesson
from courses.access import can_view
from courses.models import Course, Lesson, LessonKind, Module
from lms.people.models import User
from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id


def _visible(db: Session, request: Request, user: User, quiz: Quiz | None) -> QuizInCourse:
    lesson = db.get(Lesson, quiz.lesson_id) if quiz else None
    module = db.get(Module, lesson.module_id) if lesson else None
    course = db.get(Course, lesson.course_id) if lesson else None
    if (
        quiz is None
        or lesson is None
        or course is None
        or module is None
        or lesson.kind != LessonKind.QUIZ.value
        or lesson.hidden
        or module.hidden
        or not can_view(db, user, course, request.state.roles)
    ):
        raise HTTPException(status_code=404)
    return QuizInCourse(quiz, lesson, course)


def visible_quiz(request: Request, db: DbSession, user: SignedInUser, quiz_id: Id) -> QuizInCourse:
    return _visible(db, request, user, db.get(Quiz, quiz_id))


VisibleQuiz = Annotated[QuizInCourse, Depends(visible_quiz)]


def visible_quiz_of_lesson(request: Request, db: DbSession, user: SignedInUser, lesson_id: Id) -> QuizInCourse:
    return _visible(db, request, user, quiz_for_lesson(db, lesson_id))


VisibleQuizOfLesson = Annotated[QuizInCourse, Depends(visible_quiz_of_lesson)]


class AttemptOfQuiz(NamedTuple):
    attempt: Attempt
    quiz: Quiz
    lesson: Lesson


def own_attempt(db: DbSession, user: SignedInUser, attempt_id: Id) -> AttemptOfQuiz:
    found = own_attempt_with_quiz(db, attempt_id=attempt_id, user=user)
    if found is None:
        raise HTTPException(status_code=404)
    return AttemptOfQuiz(*found)


OwnAttempt = Annotated[AttemptOfQuiz, Depends(own_attempt)]
