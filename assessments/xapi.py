"""The statements a graded quiz attempt sends to the learning record store (lms.xapi): passed or
failed with the score, and one "answered" per question with its points. Queued inside the grading
savepoint, so they land with the result or not at all; never the answers themselves.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from lms.people.models import User
from lms.xapi.service import activity, xapi_on, xapi_queue
from lms.xapi.statements import ASSESSMENT, QUESTION, score_result

from courses.models import Course, Lesson
from courses.xapi import course_activity, lesson_titles

from assessments.models import Attempt


def attempt_graded(session: Session, *, attempt: Attempt, user: User, answers: list[tuple[int, str, float, float]]) -> None:
    """`answers` holds (question id, question name, points scored, points possible), in slot order."""
    if not xapi_on():
        return
    lesson = session.get(Lesson, attempt.settings.get("lesson_id"))
    course = session.get(Course, lesson.course_id) if lesson is not None else None
    lang = course.default_language if course is not None else "en"
    parent = course_activity(session, course) if course is not None else None
    # The quiz is named by its lesson, in the lesson's every version; a question's name has none.
    titles = lesson_titles(session, lesson) if lesson is not None else []
    quiz = activity(f"/quizzes/{attempt.quiz_id}", type=ASSESSMENT, name=lesson.title if lesson else "", lang=lang, names=titles)
    at: datetime | None = attempt.submitted_at
    for question_id, name, points, possible in answers:
        question = activity(f"/questions/{question_id}", type=QUESTION, name=name, lang=lang)
        result = score_result(raw=points, maximum=possible, success=possible > 0 and points >= possible, completion=True)
        xapi_queue(session, user=user, verb="answered", activity=question, parent=quiz, result=result, at=at)
    result = score_result(raw=attempt.score or 0.0, maximum=attempt.max_score or 0.0, success=bool(attempt.passed), completion=True)
    verb = "passed" if attempt.passed else "failed"
    xapi_queue(session, user=user, verb=verb, activity=quiz, parent=parent, result=result, at=at)
