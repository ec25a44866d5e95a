"""The authoring course page, shared by the routes that answer with it (course details, outline, files)."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from lms.i18n import SUPPORTED_LANGUAGES
from lms.people.models import User
from lms.web.templating import render

from courses.authoring import selectors as sel
from courses.files.service import ALLOWED_TEXT, markdown_snippet
from courses.models import Course
from courses.translations.resolve import language_name
from courses.translations.selectors import translation_table


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "No completions yet"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = round(hours / 24)
    return f"{days} days"


def outline_context(db: Session, course: Course, **extra: object) -> dict:
    return {"course": course, "outline": sel.course_outline(db, course.id), "outline_message": "", **extra}


def course_page_response(
    request: Request,
    db: Session,
    user: User,
    course: Course,
    *,
    errors: dict | None = None,
    module_title: str = "",
    publish_blockers: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    attachments = sel.course_attachments(db, course.id)
    context = outline_context(db, course)
    return render(
        request,
        "courses/authoring/course.html",
        dict(
            context,
            translations=translation_table(db, course=course, outline=context["outline"]),
            language_codes=SUPPORTED_LANGUAGES,
            language_label=language_name,
            stats=sel.course_stats(db, course.id),
            editors=sel.course_editors(db, course.id),
            competences=sel.course_competences(db, course.id),
            attachments=[(a, markdown_snippet(a)) for a in attachments],
            allowed_files=ALLOWED_TEXT,
            max_mb=request.app.state.settings.attachment_max_mb,
            duration_text=duration_text,
            user_id=user.id,
            errors=errors or {},
            module_title=module_title,
            publish_blockers=publish_blockers or [],
        ),
        block="outline",
        status_code=status_code,
    )
