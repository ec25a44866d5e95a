"""The quiz an authoring route works on, loaded from its path with its lesson and course.

The quiz is found through its lesson's course, and a trainer who may not edit that course gets a
404, the same as for a quiz that does not exist (courses.access.can_edit, via courses.authoring.deps).
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from fastapi import Depends, HTTPException, Request

from assessments.models import Quiz
from assessments.quizzes.selectors import quiz_for_lesson
from courses.authoring.deps import course_editable_by
from courses.models import Course, Lesson, LessonKind
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.params import Id


class QuizInCourse(NamedTuple):
    quiz: Quiz
    lesson: Lesson
    course: Course


def editable_quiz(request: Request, db: DbSession, user: AuthorUser, quiz_id: Id) -> QuizInCourse:
    quiz = db.get(Quiz, quiz_id)
    lesson = db.get(Lesson, quiz.lesson_id) if quiz else None
    if quiz is None or lesson is None:
        raise HTTPException(status_code=404)
    return QuizInCourse(quiz, lesson, course_editable_by(db, request, user, lesson.course_id))


EditableQuiz = Annotated[QuizInCourse, Depends(editable_quiz)]


def editable_quiz_of_lesson(request: Request, db: DbSession, user: AuthorUser, lesson_id: Id) -> QuizInCourse:
    """The quiz of a quiz lesson (404 for any other lesson)."""
    lesson = db.get(Lesson, lesson_id)
    quiz = quiz_for_lesson(db, lesson_id) if lesson and lesson.kind == LessonKind.QUIZ.value else None
    if quiz is None:
        raise HTTPException(status_code=404)
    return QuizInCourse(quiz, lesson, course_editable_by(db, request, user, lesson.course_id))


EditableQuizOfLesson = Annotated[QuizInCourse, Depends(editable_quiz_of_lesson)]
