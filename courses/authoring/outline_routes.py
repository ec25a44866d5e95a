"""Authoring a course's outline: modules and lessons, their order and visibility.

Outline actions are plain POST forms that redirect back to the course page; with htmx they answer
with the outline fragment only. Modules and lessons are looked up within the course in the URL, so
an id from another course is a 404 like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.i18n import gettext
from lms.people.models import User
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.params import parse_id
from lms.web.templating import is_partial, redirect, render

from courses.authoring import selectors as sel
from courses.authoring.deps import EditableCourse, LessonOf, ModuleOf, module_in
from courses.files.service import markdown_snippet
from courses.authoring.forms import LessonForm, module_title
from courses.authoring.pages import course_page_response, outline_context
from courses.authoring.service import (
    lesson_add,
    lesson_delete,
    lesson_hide,
    lesson_move,
    lesson_update,
    module_add,
    module_delete,
    module_hide,
    module_move,
    module_update,
)
from courses.markdown import MAX_MARKDOWN, markdown_to_html, render_lesson_html
from courses.models import Course, Lesson, Module
from courses.errors import CourseError

router = APIRouter(prefix="/author/courses/{course_id}")

Short = Annotated[str, Form(max_length=500)]
Body = Annotated[str, Form(max_length=MAX_MARKDOWN + 10_000)]


def _outline_done(
    request: Request, db: Session, course: Course, message: str, *, error: bool = False, anchor: str = "outline"
) -> Response:
    """After an outline change: the outline fragment for htmx, else back to the course page."""
    if is_partial(request):  # not render(block=...): a plain POST is redirected, not answered with the page
        return render(
            request,
            "courses/authoring/course.html",
            outline_context(db, course, outline_message=message, outline_error=error),
            block="outline",
        )
    flash(request, message, "error" if error else "success")
    return redirect(request, f"/author/courses/{course.id}#{anchor}")


def _outline_change(
    request: Request, db: Session, course: Course, change: Callable[[], object], message: str, anchor: str
) -> Response:
    try:
        change()
        db.commit()
    except CourseError as exc:
        db.rollback()
        return _outline_done(request, db, course, str(exc), error=True, anchor=anchor)
    return _outline_done(request, db, course, message, anchor=anchor)


def _moved(title: str, direction: str) -> str:
    # One sentence per direction: a translation may need to say "moved up" differently from "moved down".
    moved = gettext("Moved “%(title)s” up.") if direction == "up" else gettext("Moved “%(title)s” down.")
    return moved % {"title": title}


def _visibility(title: str, hidden: bool) -> str:
    shown = gettext("“%(title)s” is now hidden from learners.") if hidden else gettext("“%(title)s” is now shown to learners.")
    return shown % {"title": title}


@router.post("/modules")
def module_add_post(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, title: Short = "") -> Response:
    errors, clean = module_title(title)
    if errors:
        return course_page_response(
            request, db, user, course, errors={"module_title": errors["title"]}, module_title=title, status_code=422
        )
    module = module_add(db, course=course, title=clean)
    db.commit()
    flash(request, gettext("Module “%(title)s” added. Add its first lesson.") % {"title": clean})
    return redirect(request, f"/author/courses/{course.id}#module-{module.id}")


@router.get("/modules/{module_id}/edit")
def module_edit(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf) -> Response:
    return render(
        request, "courses/authoring/module_form.html", {"course": course, "module": module, "title": module.title, "errors": {}}
    )


@router.post("/modules/{module_id}/edit")
def module_edit_post(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf, title: Short = ""
) -> Response:
    errors, clean = module_title(title)
    if errors:
        return render(
            request,
            "courses/authoring/module_form.html",
            {"course": course, "module": module, "title": title, "errors": errors},
            status_code=422,
        )
    module_update(db, module=module, title=clean)
    db.commit()
    flash(request, gettext("Module renamed."))
    return redirect(request, f"/author/courses/{course.id}#module-{module.id}")


Direction = Annotated[str, Form(max_length=4)]
Flag = Annotated[str, Form(max_length=5)]


@router.post("/modules/{module_id}/move")
def module_move_post(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf, direction: Direction = ""
) -> Response:
    return _outline_change(
        request,
        db,
        course,
        lambda: module_move(db, module=module, direction=direction),
        _moved(module.title, direction),
        f"module-{module.id}",
    )


@router.post("/modules/{module_id}/visibility")
def module_visibility(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf, hidden: Flag = "1"
) -> Response:
    hide = hidden == "1"
    return _outline_change(
        request,
        db,
        course,
        lambda: module_hide(db, module=module, hidden=hide),
        _visibility(module.title, hide),
        f"module-{module.id}",
    )


@router.post("/modules/{module_id}/delete")
def module_delete_post(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf) -> Response:
    return _outline_change(
        request,
        db,
        course,
        lambda: module_delete(db, module=module, by=user),
        gettext("Module “%(title)s” deleted.") % {"title": module.title},
        f"module-{module.id}",
    )


@router.post("/lessons/{lesson_id}/move")
def lesson_move_post(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, lesson: LessonOf, direction: Direction = ""
) -> Response:
    return _outline_change(
        request,
        db,
        course,
        lambda: lesson_move(db, lesson=lesson, direction=direction),
        _moved(lesson.title, direction),
        f"lesson-{lesson.id}",
    )


@router.post("/lessons/{lesson_id}/visibility")
def lesson_visibility(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, lesson: LessonOf, hidden: Flag = "1"
) -> Response:
    hide = hidden == "1"
    return _outline_change(
        request,
        db,
        course,
        lambda: lesson_hide(db, lesson=lesson, hidden=hide),
        _visibility(lesson.title, hide),
        f"lesson-{lesson.id}",
    )


@router.post("/lessons/{lesson_id}/delete")
def lesson_delete_post(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, lesson: LessonOf) -> Response:
    return _outline_change(
        request,
        db,
        course,
        lambda: lesson_delete(db, lesson=lesson, by=user),
        gettext("Lesson “%(title)s” deleted.") % {"title": lesson.title},
        f"lesson-{lesson.id}",
    )


def _lesson_page(
    request: Request,
    db: Session,
    course: Course,
    module: Module,
    form: LessonForm,
    *,
    lesson: Lesson | None = None,
    errors: dict | None = None,
    preview: str | None = None,
    status_code: int = 200,
) -> Response:
    outline = sel.course_outline(db, course.id)
    if preview is None and lesson is not None:
        preview = lesson.body_html
    return render(
        request,
        "courses/authoring/lesson_form.html",
        {
            "course": course,
            "module": module,
            "lesson": lesson,
            "form": form,
            "errors": errors or {},
            "html": render_lesson_html(preview or ""),
            "modules": [(m.module.id, m.module.title) for m in outline.modules],
            "snippets": [(a, markdown_snippet(a)) for a in sel.course_attachments(db, course.id)],
        },
        status_code=status_code,
    )


def _save_lesson(
    request: Request, db: Session, user: User, course: Course, module: Module, form: LessonForm, action: str, lesson: Lesson | None
) -> Response:
    errors, values = form.check()
    if action == "preview":
        # Without JavaScript, "Preview" re-renders the form with the rendered body; nothing is saved.
        return _lesson_page(
            request, db, course, module, form, lesson=lesson, errors=errors, preview=markdown_to_html(values["body_markdown"])
        )
    target: Module | None = module
    if lesson is not None and form.module_id.strip():
        target = db.get(Module, parse_id(form.module_id)) if parse_id(form.module_id) else None
        if target is None or target.course_id != course.id:
            errors["module_id"] = gettext("Choose a module of this course.")
    if errors:
        return _lesson_page(request, db, course, module, form, lesson=lesson, errors=errors, status_code=422)
    try:
        if lesson is None:
            lesson = lesson_add(db, module=module, **values)
            message = gettext("Lesson “%(title)s” added.") % {"title": lesson.title}
        else:
            lesson_update(db, lesson=lesson, module=target, **values)
            message = gettext("Lesson saved.")
    except CourseError as exc:  # e.g. an image that is not one of this course's files
        db.rollback()
        return _lesson_page(
            request, db, course, module, form, lesson=lesson, errors=field_errors(exc, default="body_markdown"), status_code=422
        )
    db.commit()
    flash(request, message)
    return redirect(request, f"/author/courses/{course.id}#lesson-{lesson.id}")


@router.get("/modules/{module_id}/lessons/new")
def lesson_new(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf) -> Response:
    return _lesson_page(request, db, course, module, LessonForm(module_id=str(module.id)))


@router.post("/modules/{module_id}/lessons/new")
def lesson_new_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    module: ModuleOf,
    title: Short = "",
    estimated_minutes: Short = "",
    body_markdown: Body = "",
    action: Short = "save",
) -> Response:
    form = LessonForm(title=title, estimated_minutes=estimated_minutes, body_markdown=body_markdown, module_id=str(module.id))
    return _save_lesson(request, db, user, course, module, form, action, None)


@router.get("/lessons/{lesson_id}/edit")
def lesson_edit(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, lesson: LessonOf) -> Response:
    module = module_in(db, course, lesson.module_id)
    form = LessonForm(
        title=lesson.title,
        estimated_minutes=str(lesson.estimated_minutes),
        body_markdown=lesson.body_markdown,
        module_id=str(lesson.module_id),
    )
    return _lesson_page(request, db, course, module, form, lesson=lesson)


@router.post("/lessons/{lesson_id}/edit")
def lesson_edit_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    lesson: LessonOf,
    title: Short = "",
    estimated_minutes: Short = "",
    body_markdown: Body = "",
    module_id: Short = "",
    action: Short = "save",
) -> Response:
    module = module_in(db, course, lesson.module_id)
    form = LessonForm(title=title, estimated_minutes=estimated_minutes, body_markdown=body_markdown, module_id=module_id)
    return _save_lesson(request, db, user, course, module, form, action, lesson)
