"""Trainers' pages for a course's versions in other languages (/author/courses/{id}/translations/{lang}/…).

The same people who may edit the course may edit its versions (courses.authoring.deps: 404 for anyone
else). The missing versions are listed on the course's authoring page, each linking here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.i18n import gettext
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.templating import redirect, render

from courses.authoring.deps import EditableCourse, LessonOf, ModuleOf
from courses.errors import CourseError
from courses.markdown import MAX_MARKDOWN, render_lesson_html
from courses.models import Course, CourseTranslation, Lesson, LessonKind, LessonTranslation, Module, ModuleTranslation
from courses.translations.deps import VersionLanguage
from courses.translations.resolve import language_name
from courses.translations.service import (
    course_default_language_set,
    course_language_remove,
    course_translation_save,
    lesson_translation_save,
    module_translation_save,
)

router = APIRouter(prefix="/author/courses/{course_id}")

Short = Annotated[str, Form(max_length=500)]
Long = Annotated[str, Form(max_length=MAX_MARKDOWN + 10_000)]


def _form(
    request: Request,
    course: Course,
    language: str,
    *,
    part: str,
    original: dict,
    values: dict,
    action: str,
    errors: dict | None = None,
    status_code: int = 200,
    preview: object = "",
) -> Response:
    return render(
        request,
        "courses/translations/form.html",
        {
            "course": course,
            "language": language,
            "language_name": language_name(language),
            "default_name": language_name(course.default_language),
            "part": part,
            "original": original,
            "form": values,
            "action": action,
            "errors": errors or {},
            "html": preview,
        },
        status_code=status_code,
    )


def _saved(request: Request, db: Session, course: Course, language: str, anchor: str) -> Response:
    db.commit()
    flash(request, gettext("The %(language)s version is saved.") % {"language": language_name(language)})
    return redirect(request, f"/author/courses/{course.id}#{anchor}")


def _refused(db: Session, exc: CourseError) -> dict:
    db.rollback()
    return field_errors(exc)


@router.get("/translations/{language}")
def course_version(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, language: VersionLanguage) -> Response:
    row = db.get(CourseTranslation, (course.id, language))
    values = {"title": row.title if row else "", "summary": row.summary if row else ""}
    original = {"title": course.title, "summary": course.summary}
    return _form(request, course, language, part="course", original=original, values=values, action=request.url.path)


@router.post("/translations/{language}")
def course_version_save(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    language: VersionLanguage,
    title: Short = "",
    summary: Long = "",
) -> Response:
    try:
        course_translation_save(db, course=course, language=language, title=title, summary=summary, by=user)
    except CourseError as exc:
        errors = _refused(db, exc)
        original = {"title": course.title, "summary": course.summary}
        values = {"title": title, "summary": summary}
        return _form(
            request,
            course,
            language,
            part="course",
            original=original,
            values=values,
            action=request.url.path,
            errors=errors,
            status_code=422,
        )
    return _saved(request, db, course, language, "translations")


@router.get("/translations/{language}/modules/{module_id}")
def module_version(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf, language: VersionLanguage
) -> Response:
    row = db.get(ModuleTranslation, (module.id, language))
    return _module_form(request, course, module, language, {"title": row.title if row else ""})


def _module_form(
    request: Request,
    course: Course,
    module: Module,
    language: str,
    values: dict,
    *,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    original = {"title": module.title}
    return _form(
        request,
        course,
        language,
        part="module",
        original=original,
        values=values,
        action=request.url.path,
        errors=errors,
        status_code=status_code,
    )


@router.post("/translations/{language}/modules/{module_id}")
def module_version_save(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    module: ModuleOf,
    language: VersionLanguage,
    title: Short = "",
) -> Response:
    try:
        module_translation_save(db, course=course, module=module, language=language, title=title, by=user)
    except CourseError as exc:
        errors = _refused(db, exc)
        return _module_form(request, course, module, language, {"title": title}, errors=errors, status_code=422)
    return _saved(request, db, course, language, "translations")


def _lesson_original(lesson: Lesson) -> dict:
    return {
        "title": lesson.title,
        "body": render_lesson_html(lesson.body_html, course_id=lesson.course_id),
        "quiz": lesson.kind == LessonKind.QUIZ.value,
    }


@router.get("/translations/{language}/lessons/{lesson_id}")
def lesson_version(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, lesson: LessonOf, language: VersionLanguage
) -> Response:
    row: LessonTranslation | None = db.get(LessonTranslation, (lesson.id, language))
    values = {"title": row.title if row else "", "body_markdown": row.body_markdown if row else lesson.body_markdown}
    preview = render_lesson_html(row.body_html, course_id=course.id) if row else ""
    return _form(
        request,
        course,
        language,
        part="lesson",
        original=_lesson_original(lesson),
        values=values,
        action=request.url.path,
        preview=preview,
    )


@router.post("/translations/{language}/lessons/{lesson_id}")
def lesson_version_save(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    lesson: LessonOf,
    language: VersionLanguage,
    title: Short = "",
    body_markdown: Long = "",
) -> Response:
    try:
        lesson_translation_save(db, course=course, lesson=lesson, language=language, title=title, body_markdown=body_markdown, by=user)
    except CourseError as exc:
        errors = _refused(db, exc)
        values = {"title": title, "body_markdown": body_markdown}
        return _form(
            request,
            course,
            language,
            part="lesson",
            original=_lesson_original(lesson),
            values=values,
            action=request.url.path,
            errors=errors,
            status_code=422,
        )
    return _saved(request, db, course, language, "translations")


@router.post("/translations/{language}/remove")
def course_version_remove(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, language: VersionLanguage
) -> Response:
    course_language_remove(db, course=course, language=language, by=user)
    db.commit()
    flash(request, gettext("The %(language)s version of this course is removed.") % {"language": language_name(language)})
    return redirect(request, f"/author/courses/{course.id}#translations")


@router.post("/language")
def course_default_language(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    default_language: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    try:
        changed = course_default_language_set(db, course=course, language=default_language, by=user)
        db.commit()
        if changed:
            flash(request, gettext("The course is now written in %(language)s.") % {"language": language_name(default_language)})
    except CourseError as exc:
        db.rollback()
        flash(request, str(exc), "error")
    return redirect(request, f"/author/courses/{course.id}#translations")
