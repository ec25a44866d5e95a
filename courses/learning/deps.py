"""The course (and lesson) a learner's route works on, loaded from its path.

A course the person may not see (courses.access.can_view) is a 404 like one that does not exist, so
drafts do not leak; so is a lesson that is hidden, in a hidden module or in another course.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from lms.i18n import lazy_gettext
from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.access import can_view
from courses.learning.selectors import CourseView
from courses.models import Course, Lesson

COURSE_NOT_FOUND = lazy_gettext("We could not find that course. It may have been withdrawn, or it is not open to you.")
LESSON_NOT_FOUND = lazy_gettext("We could not find that lesson in this course.")


def visible_course(request: Request, db: DbSession, user: SignedInUser, course_id: Id) -> Course:
    course = db.get(Course, course_id)
    if course is None or not can_view(db, user, course, request.state.roles):
        raise HTTPException(status_code=404, detail=str(COURSE_NOT_FOUND))
    return course


VisibleCourse = Annotated[Course, Depends(visible_course)]


def lesson_in_view(view: CourseView, lesson_id: int) -> Lesson:
    """The lesson as the learner's outline has it. Only visible lessons (in visible modules) are in the
    outline, so the lookup needs the view the page builds anyway (courses.learning.selectors.course_view)."""
    lesson = next((lesson for lesson in view.lessons if lesson.id == lesson_id), None)
    if lesson is None:
        raise HTTPException(status_code=404, detail=str(LESSON_NOT_FOUND))
    return lesson
