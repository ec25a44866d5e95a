"""The statements a learner's progress sends to the learning record store (lms.xapi): opening a
lesson, completing it and the course, rating the course. Called by courses.learning.service in the
transaction of the event; nothing is queued while XAPI_ENDPOINT is empty.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from lms.people.models import User
from lms.xapi.service import activity, xapi_on, xapi_queue
from lms.xapi.statements import COURSE, LESSON, Activity

from courses.models import Course, CourseTranslation, Lesson, LessonKind, LessonTranslation


def course_activity(session: Session, course: Course) -> Activity:
    """The course in its own language and every version it has (one statement)."""
    versions = session.execute(
        select(CourseTranslation.language, CourseTranslation.title, CourseTranslation.summary).where(
            CourseTranslation.course_id == course.id
        )
    ).all()
    return activity(
        f"/courses/{course.id}",
        type=COURSE,
        name=course.title,
        lang=course.default_language,
        names=[(language, title) for language, title, _summary in versions],
        description=course.summary,
        descriptions=[(language, summary) for language, _title, summary in versions],
    )


def lesson_titles(session: Session, lesson: Lesson) -> list[tuple[str, str]]:
    """(language, title) of each version of the lesson (one statement)."""
    rows = session.execute(select(LessonTranslation.language, LessonTranslation.title).where(LessonTranslation.lesson_id == lesson.id))
    return [(language, title) for language, title in rows]


def lesson_activity(session: Session, course: Course, lesson: Lesson) -> Activity:
    return activity(
        f"/courses/{course.id}/lessons/{lesson.id}",
        type=LESSON,
        name=lesson.title,
        lang=course.default_language,
        names=lesson_titles(session, lesson),
    )


def lesson_opened(session: Session, *, user: User, course: Course, lesson: Lesson) -> None:
    # A SCORM package is launched (it runs on its own); any other lesson is read: experienced.
    if xapi_on():
        verb = "launched" if lesson.kind == LessonKind.PACKAGE.value else "experienced"
        xapi_queue(
            session, user=user, verb=verb, activity=lesson_activity(session, course, lesson), parent=course_activity(session, course)
        )


def lesson_completed(session: Session, *, user: User, course: Course, lesson: Lesson) -> None:
    if xapi_on():
        done = {"completion": True}
        xapi_queue(
            session,
            user=user,
            verb="completed",
            activity=lesson_activity(session, course, lesson),
            parent=course_activity(session, course),
            result=done,
        )


def course_completed(session: Session, *, user: User, course: Course) -> None:
    if xapi_on():
        xapi_queue(session, user=user, verb="completed", activity=course_activity(session, course), result={"completion": True})


def course_rated(session: Session, *, user: User, course: Course, rating: int) -> None:
    # The rating only: the comment is the learner's own words and stays here.
    if xapi_on():
        score = {"raw": rating, "min": 1, "max": 5, "scaled": round(rating / 5, 4)}
        xapi_queue(session, user=user, verb="rated", activity=course_activity(session, course), result={"score": score})
