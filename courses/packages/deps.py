"""The package a route works on, loaded from its path.

A learner reaches a package only through a lesson they may see: the course visible to them
(courses.access.can_view), the lesson and its module not hidden (editors see hidden ones, to preview).
Anything else is a 404, like a lesson that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.access import can_edit, can_view
from courses.authoring.deps import LessonOf
from courses.models import Course, Lesson, LessonKind, Module
from courses.packages.models import Package
from courses.packages.selectors import package_of_lesson


@dataclass(frozen=True)
class Played:
    course: Course
    lesson: Lesson
    package: Package


def played_package(request: Request, db: DbSession, user: SignedInUser, lesson_id: Id) -> Played:
    lesson = db.get(Lesson, lesson_id)
    course = db.get(Course, lesson.course_id) if lesson is not None and lesson.kind == LessonKind.PACKAGE.value else None
    if lesson is None or course is None or not can_view(db, user, course, request.state.roles):
        raise HTTPException(status_code=404)
    module = db.get(Module, lesson.module_id)
    if (lesson.hidden or module is None or module.hidden) and not can_edit(db, user, course, request.state.roles):
        raise HTTPException(status_code=404)
    package = package_of_lesson(db, lesson.id)
    if package is None:
        raise HTTPException(status_code=404)
    return Played(course=course, lesson=lesson, package=package)


PlayedPackage = Annotated[Played, Depends(played_package)]


def edited_package(db: DbSession, lesson: LessonOf) -> Package:
    package = package_of_lesson(db, lesson.id) if lesson.kind == LessonKind.PACKAGE.value else None
    if package is None:
        raise HTTPException(status_code=404)
    return package


EditedPackage = Annotated[Package, Depends(edited_package)]
