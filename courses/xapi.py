"""The statements a learner's progress sends to the learning record store (lms.xapi): opening a
lesson, completing it and the course, rating the course. Called by courses.learning.service in the
transaction of the event; nothing is queued while XAPI_ENDPOINT is empty.
"""

from __future__ import annotations

from sqlmodel import Session

from lms.people.models import User
from lms.xapi.service import activity, xapi_on, xapi_queue
from lms.xapi.statements import COURSE, LESSON, Activity

from courses.models import Course, Lesson, LessonKind


def course_activity(course: Course) -> Activity:
    return activity(f"/courses/{course.id}", type=COURSE, name=course.title, lang=course.default_language)


def lesson_activity(course: Course, lesson: Lesson) -> Activity:
    return activity(f"/courses/{course.id}/lessons/{lesson.id}", type=LESSON, name=lesson.title, lang=course.default_language)


def lesson_opened(session: Session, *, user: User, course: Course, lesson: Lesson) -> None:
    # A SCORM package is launched (it runs on its own); any other lesson is read: experienced.
    if xapi_on():
        verb = "launched" if lesson.kind == LessonKind.PACKAGE.value else "experienced"
        xapi_queue(session, user=user, verb=verb, activity=lesson_activity(course, lesson), parent=course_activity(course))


def lesson_completed(session: Session, *, user: User, course: Course, lesson: Lesson) -> None:
    if xapi_on():
        done = {"completion": True}
        xapi_queue(
            session, user=user, verb="completed", activity=lesson_activity(course, lesson), parent=course_activity(course), result=done
        )


def course_completed(session: Session, *, user: User, course: Course) -> None:
    if xapi_on():
        xapi_queue(session, user=user, verb="completed", activity=course_activity(course), result={"completion": True})


def course_rated(session: Session, *, user: User, course: Course, rating: int) -> None:
    # The rating only: the comment is the learner's own words and stays here.
    if xapi_on():
        score = {"raw": rating, "min": 1, "max": 5, "scaled": round(rating / 5, 4)}
        xapi_queue(session, user=user, verb="rated", activity=course_activity(course), result={"score": score})
