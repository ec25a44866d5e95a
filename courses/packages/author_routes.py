"""Trainers add a SCORM package as a lesson, replace it, and choose how it completes.

The course, module and lesson come from courses.authoring.deps, so a trainer who may not edit the
course gets a 404, as for a course that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from sqlmodel import Session
from starlette.responses import Response

from lms.i18n import gettext
from lms.people.models import User
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.limits import body_limit
from lms.web.templating import redirect, render

from courses.authoring.deps import EditableCourse, LessonOf, ModuleOf
from courses.errors import CourseError
from courses.models import Course, Lesson, Module
from courses.packages.deps import EditedPackage
from courses.packages.models import Package
from courses.packages.selectors import content_url
from courses.packages.service import (
    max_upload_bytes,
    package_files_discard,
    package_lesson_create,
    package_replace,
    package_settings_update,
)

router = APIRouter(prefix="/author")

Short = Annotated[str, Form(max_length=500)]
Flag = Annotated[str, Form(max_length=8)]
Upload = Annotated[UploadFile | None, File()]


async def _read(request: Request, file: UploadFile | None) -> tuple[str, bytes]:
    if file is None or not file.filename:
        return "", b""
    return file.filename, await file.read(max_upload_bytes(request.app.state.settings) + 1)


def _new_page(
    request: Request,
    course: Course,
    module: Module,
    *,
    title: str = "",
    opened: bool = False,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "course": course,
        "module": module,
        "title": title,
        "complete_when_opened": opened,
        "errors": errors or {},
        "max_mb": request.app.state.settings.package_max_mb,
    }
    return render(request, "courses/packages/new.html", context, status_code=status_code)


@router.get("/courses/{course_id}/modules/{module_id}/packages/new")
def package_new(request: Request, user: AuthorUser, course: EditableCourse, module: ModuleOf) -> Response:
    return _new_page(request, course, module)


@router.post("/courses/{course_id}/modules/{module_id}/packages")
@body_limit(max_upload_bytes)
async def package_create_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    module: ModuleOf,
    file: Upload = None,
    title: Short = "",
    complete_when_opened: Flag = "",
) -> Response:
    settings = request.app.state.settings
    filename, data = await _read(request, file)
    opened = complete_when_opened == "1"
    if not filename:
        return _new_page(
            request,
            course,
            module,
            title=title,
            opened=opened,
            errors={"file": gettext("Choose the package's zip file.")},
            status_code=422,
        )
    try:
        package = package_lesson_create(
            db, settings=settings, module=module, title=title, filename=filename, data=data, complete_when_opened=opened, by=user
        )
    except CourseError as exc:
        db.rollback()
        return _new_page(request, course, module, title=title, opened=opened, errors=field_errors(exc), status_code=422)
    try:
        db.commit()
    except BaseException:
        package_files_discard(settings, package.storage_key)
        raise
    flash(request, gettext("Package added as a lesson. Open it as a learner would with Preview."))
    return redirect(request, f"/author/courses/{course.id}/lessons/{package.lesson_id}/package")


def _package_page(
    request: Request,
    db: Session,
    user: User,
    course: Course,
    lesson: Lesson,
    package: Package,
    *,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "course": course,
        "lesson": lesson,
        "package": package,
        "launch_url": content_url(package),
        "errors": errors or {},
        "max_mb": request.app.state.settings.package_max_mb,
    }
    return render(request, "courses/packages/package.html", context, status_code=status_code)


@router.get("/courses/{course_id}/lessons/{lesson_id}/package")
def package_page(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, lesson: LessonOf, package: EditedPackage
) -> Response:
    return _package_page(request, db, user, course, lesson, package)


@router.post("/courses/{course_id}/lessons/{lesson_id}/package")
@body_limit(max_upload_bytes)
async def package_replace_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    lesson: LessonOf,
    package: EditedPackage,
    file: Upload = None,
) -> Response:
    settings = request.app.state.settings
    filename, data = await _read(request, file)
    if not filename:
        return _package_page(
            request, db, user, course, lesson, package, errors={"file": gettext("Choose the package's zip file.")}, status_code=422
        )
    try:
        old_key = package_replace(db, settings=settings, package=package, filename=filename, data=data, by=user)
    except CourseError as exc:
        db.rollback()
        db.refresh(package)
        return _package_page(request, db, user, course, lesson, package, errors=field_errors(exc), status_code=422)
    new_key = package.storage_key
    try:
        db.commit()
    except BaseException:
        package_files_discard(settings, new_key)
        raise
    package_files_discard(settings, old_key)
    flash(request, gettext("Package replaced. Learners keep their progress and get the new version when they next open it."))
    return redirect(request, f"/author/courses/{course.id}/lessons/{lesson.id}/package")


@router.post("/courses/{course_id}/lessons/{lesson_id}/package/settings")
def package_settings_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    lesson: LessonOf,
    package: EditedPackage,
    complete_when_opened: Flag = "",
) -> Response:
    package_settings_update(db, package=package, complete_when_opened=complete_when_opened == "1", by=user)
    db.commit()
    flash(request, gettext("Completion setting saved."))
    return redirect(request, f"/author/courses/{course.id}/lessons/{lesson.id}/package")
