"""The objects an authoring route works on, loaded from its path: the course, one of its modules or lessons.

Trainers reach only the courses they are editors of; admins all of them (courses.access.can_edit). Any
other course id is answered with 404, the same as one that does not exist, so drafts do not leak; a
module or lesson id is looked up within the course in the URL, so an id from another course is a 404
too. Each loader depends on the authoring policy, so a person without it gets the policy's answer
(403, or the sign-in page) before anything is looked up.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from lms.people.models import User
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.access import can_edit
from courses.models import Course, Lesson, Module


def course_editable_by(db: Session, request: Request, user: User, course_id: int) -> Course:
    """The course if ``user`` may edit it, else 404 (also for routes that find the course through another object)."""
    course = db.get(Course, course_id)
    if course is None or not can_edit(db, user, course, request.state.roles):
        raise HTTPException(status_code=404)
    return course


def module_in(db: Session, course: Course, module_id: int) -> Module:
    module = db.get(Module, module_id)
    if module is None or module.course_id != course.id:
        raise HTTPException(status_code=404)
    return module


def lesson_in(db: Session, course: Course, lesson_id: int) -> Lesson:
    lesson = db.get(Lesson, lesson_id)
    if lesson is None or lesson.course_id != course.id:
        raise HTTPException(status_code=404)
    return lesson


def editable_course(request: Request, db: DbSession, user: AuthorUser, course_id: Id) -> Course:
    return course_editable_by(db, request, user, course_id)


EditableCourse = Annotated[Course, Depends(editable_course)]


def module_of(db: DbSession, course: EditableCourse, module_id: Id) -> Module:
    return module_in(db, course, module_id)


ModuleOf = Annotated[Module, Depends(module_of)]


def lesson_of(db: DbSession, course: EditableCourse, lesson_id: Id) -> Lesson:
    return lesson_in(db, course, lesson_id)


LessonOf = Annotated[Lesson, Depends(lesson_of)]
