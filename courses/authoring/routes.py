"""Trainer authoring (/author): my courses, course details and status, co-editors, live preview.

Trainers see and change only the courses they are editors of; admins all of them. Any other
course id is answered with 404, the same as one that does not exist, so drafts do not leak.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.i18n import gettext
from lms.web.forms import field_errors
from lms.web.paging import Page, clamp_page, page_size
from lms.people.models import Role
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.params import Id
from lms.web.templating import redirect, render

from courses.authoring import selectors as sel
from courses.access import can_edit
from courses.authoring.deps import EditableCourse
from courses.authoring.forms import CompetenceRow, CourseForm
from courses.authoring.pages import course_page_response
from courses.authoring.service import (
    course_archive,
    course_create,
    course_publish,
    course_to_draft,
    course_update,
    editor_add,
    editor_remove,
)
from courses.markdown import MAX_MARKDOWN, markdown_to_html, render_lesson_html
from courses.models import Course
from courses.errors import CourseError, PublishBlocked

router = APIRouter(prefix="/author")

Text = Annotated[str, Form(max_length=10_000)]
Short = Annotated[str, Form(max_length=500)]


def is_admin(request: Request) -> bool:
    return Role.ADMIN.value in request.state.roles


@router.get("")
def my_courses(request: Request, db: DbSession, user: AuthorUser, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    per_page = page_size(request)
    rows, total = sel.author_courses(db, user=user, is_admin=is_admin(request), page=page, per_page=per_page)
    clamped = clamp_page(page, total, per_page)
    if clamped != page:
        rows, total = sel.author_courses(db, user=user, is_admin=is_admin(request), page=clamped, per_page=per_page)
    return render(
        request,
        "courses/authoring/courses.html",
        {
            "result": Page(items=rows, total=total, page=clamped, per_page=per_page),
            "page_url": lambda n: f"/author?page={n}" if n > 1 else "/author",
            "is_admin": is_admin(request),
        },
    )


def _form_page(
    request: Request,
    db: Session,
    form: CourseForm,
    *,
    course: Course | None = None,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "courses/authoring/course_form.html",
        {
            "form": form.with_blank_rows(),
            "course": course,
            "errors": errors or {},
            "groups": sel.competence_groups(db),
            "levels": range(1, 9),
        },
        status_code=status_code,
    )


@router.get("/courses/new")
def course_new(request: Request, db: DbSession, user: AuthorUser) -> Response:
    return _form_page(request, db, CourseForm())


def posted_course_form(
    title: Short = "",
    summary: Text = "",
    audience: Short = "",
    estimated_minutes: Short = "",
    competence_id: Annotated[list[str], Form()] = [],
    level: Annotated[list[str], Form()] = [],
) -> CourseForm:
    """The course form as posted, shared by create and edit."""
    return CourseForm.from_lists(
        title=title,
        summary=summary,
        audience=audience,
        estimated_minutes=estimated_minutes,
        competence_ids=competence_id,
        levels=level,
    )


PostedCourseForm = Annotated[CourseForm, Depends(posted_course_form)]


@router.post("/courses/new")
def course_create_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    form: PostedCourseForm,
) -> Response:
    errors, values = form.check()
    if not errors:
        try:
            course = course_create(db, by=user, **values)
            db.commit()
        except CourseError as exc:
            db.rollback()
            errors = field_errors(exc)
    if errors:
        return _form_page(request, db, form, errors=errors, status_code=422)
    flash(request, gettext("Course created as a draft. Add a module and a lesson, then publish it."))
    return redirect(request, f"/author/courses/{course.id}")


@router.get("/courses/{course_id}")
def course_page(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse) -> Response:
    return course_page_response(request, db, user, course)


@router.get("/courses/{course_id}/edit")
def course_edit(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse) -> Response:
    rows = [CompetenceRow(str(link.competence.id), str(link.level)) for link in sel.course_competences(db, course.id)]
    form = CourseForm(
        title=course.title,
        summary=course.summary,
        audience=course.audience,
        estimated_minutes=str(course.estimated_minutes),
        rows=rows,
    )
    return _form_page(request, db, form, course=course)


@router.post("/courses/{course_id}/edit")
def course_edit_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    course: EditableCourse,
    form: PostedCourseForm,
) -> Response:
    errors, values = form.check()
    if not errors:
        try:
            course_update(db, course=course, by=user, **values)
            db.commit()
        except CourseError as exc:
            db.rollback()
            errors = field_errors(exc)
    if errors:
        return _form_page(request, db, form, course=course, errors=errors, status_code=422)
    flash(request, gettext("Course details saved."))
    return redirect(request, f"/author/courses/{course.id}")


STATUS_ACTIONS = {
    "publish": (course_publish, "Course published: learners can now find it in the catalogue."),
    "archive": (course_archive, "Course archived: it has left the catalogue; enrolled learners can still read it."),
    "draft": (course_to_draft, "Course is a draft again: only its editors can see it."),
}


@router.post("/courses/{course_id}/status")
def course_status(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, action: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    if action not in STATUS_ACTIONS:
        raise HTTPException(status_code=400, detail="Choose publish, archive or draft.")
    change, message = STATUS_ACTIONS[action]
    try:
        change(db, course=course, by=user)
        db.commit()
        flash(request, message)
    except PublishBlocked as exc:
        # The list is too long for a flash message, so the page answers with it in place.
        db.rollback()
        return course_page_response(
            request, db, user, course, errors={"publish-blockers": str(exc)}, publish_blockers=exc.blockers, status_code=422
        )
    except CourseError as exc:
        db.rollback()
        flash(request, str(exc), "error")
    return redirect(request, f"/author/courses/{course.id}")


@router.post("/courses/{course_id}/editors")
def editor_add_post(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, email: Short = "") -> Response:
    try:
        added = editor_add(db, course=course, email=email, by=user)
        db.commit()
        flash(request, gettext("%(name)s can now edit this course.") % {"name": added.name})
    except CourseError as exc:
        db.rollback()
        flash(request, str(exc), "error")
    return redirect(request, f"/author/courses/{course.id}#editors")


@router.post("/courses/{course_id}/editors/{user_id}/remove")
def editor_remove_post(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, user_id: Id) -> Response:
    try:
        editor_remove(db, course=course, user_id=user_id, by=user)
        db.commit()
        flash(request, gettext("Editor removed."))
    except CourseError as exc:
        db.rollback()
        flash(request, str(exc), "error")
    if user_id == user.id and not can_edit(db, user, course, request.state.roles):
        return redirect(request, "/author")
    return redirect(request, f"/author/courses/{course.id}#editors")


@router.post("/preview")
def preview(request: Request, user: AuthorUser, body_markdown: Annotated[str, Form(max_length=MAX_MARKDOWN)] = "") -> Response:
    return render(request, "courses/authoring/_preview.html", {"html": render_lesson_html(markdown_to_html(body_markdown))})
