"""Taking a course: the course page, lessons, marking lessons complete, enrolling and rating.

Every route first checks the learner may see the course (courses.access.can_view) and answers 404
otherwise, so drafts do not leak. Progress is only recorded on published courses, and only by POST:
opening a lesson page records nothing by itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.clock import utcnow
from lms.db import known
from lms.i18n import gettext, lazy_gettext
from lms.people.models import User
from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.page_cache import page_cached
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.params import Id
from lms.web.templating import is_partial, redirect, render

from courses.learning.deps import VisibleCourse, lesson_in_view
from courses.learning.forms import COMMENT_MAX, FeedbackForm
from courses.learning.service import NOT_COMPLETED, course_feedback_save
from courses.learning.selectors import feedback_allowed
from courses.markdown import render_lesson_html
from courses.models import Course, CourseStatus, LessonKind
from courses.learning.selectors import course_view
from courses.catalogue.selectors import duration_text
from courses.errors import CourseError
from courses.learning.service import enrol, lesson_complete, lesson_viewed
from courses.packages.selectors import package_player
from courses.translations.resolve import versions_for

router = APIRouter(prefix="/courses")

CLOSED = lazy_gettext("This course is not open, so progress cannot be recorded.")
QUIZ_ONLY = lazy_gettext("A quiz lesson is completed by passing its quiz.")
PACKAGE_ONLY = lazy_gettext("This lesson is completed by working through its package.")


def _course_page(
    request: Request,
    db: Session,
    user: User,
    course: Course,
    *,
    status_code: int = 200,
    errors: dict | None = None,
    form: FeedbackForm | None = None,
) -> Response:
    view = course_view(db, course=course, user_id=user.id)
    if form is None:
        form = FeedbackForm(str(view.feedback.rating), view.feedback.comment) if view.feedback else FeedbackForm()
    context = {
        "view": view,
        "course": course,
        "published": course.status == CourseStatus.PUBLISHED.value,
        "errors": errors or {},
        "form": form,
        "comment_max": COMMENT_MAX,
        "now": utcnow(),
        "duration": duration_text,
        "tr": versions_for(db, course),
    }
    return render(request, "courses/learning/course.html", context, status_code=status_code)


@router.get("/{course_id}")
@page_cached
def course_page(request: Request, db: DbSession, user: SignedInUser, course: VisibleCourse) -> Response:
    return _course_page(request, db, user, course)


@router.post("/{course_id}/enrol")
def course_enrol(request: Request, db: DbSession, user: SignedInUser, course: VisibleCourse) -> Response:
    try:
        enrol(db, course=course, user=user)
    except CourseError as exc:
        flash(request, str(exc), "error")
        return redirect(request, f"/courses/{course.id}")
    db.commit()
    flash(request, gettext("You are enrolled. Start whenever you are ready; your progress is saved as you go."))
    return redirect(request, f"/courses/{course.id}")


def _lesson_context(db: Session, user: User, course: Course, lesson_id: int) -> dict:
    view = course_view(db, course=course, user_id=user.id, with_extras=False)
    lesson = lesson_in_view(view, lesson_id)
    previous, following = view.neighbours(lesson.id)
    return {
        "view": view,
        "course": course,
        "lesson": lesson,
        "previous": previous,
        "next": following,
        "position": [item.id for item in view.lessons].index(lesson.id) + 1,
        "is_quiz": lesson.kind == LessonKind.QUIZ.value,
        "is_package": lesson.kind == LessonKind.PACKAGE.value,
        "published": course.status == CourseStatus.PUBLISHED.value,
        "duration": duration_text,
        # Progress belongs to the lesson, whichever language it is read in; only the text is chosen here.
        "tr": versions_for(db, course, bodies_of=[known(lesson.id)]),
    }


def _should_record_view(context: dict) -> bool:
    """An enrolled learner's position moves to this lesson (nothing to do if it is already here).

    Viewing never enrols: a lesson page can be opened by a link or an image from anywhere, and
    enrolling is the learner's own decision (Enrol, or Mark complete).
    """
    enrolment = context["view"].enrolment
    return (
        context["published"]
        and enrolment is not None
        and (enrolment.last_lesson_id != context["lesson"].id or enrolment.started_at is None)
    )


@router.get("/{course_id}/lessons/{lesson_id}")
@page_cached
def lesson_page(request: Request, db: DbSession, user: SignedInUser, course: VisibleCourse, lesson_id: Id) -> Response:
    # A GET changes nothing. The page asks to record the view itself (htmx POST on load, with the
    # CSRF header); without JavaScript, Mark complete records it.
    context = _lesson_context(db, user, course, lesson_id)
    context["record_view"] = _should_record_view(context)
    if context["is_package"]:
        context["player"] = package_player(db, context["lesson"])
    shown = context["tr"].lesson_body_html(context["lesson"])
    context["body"] = render_lesson_html(shown.text, course_id=course.id)
    context["body_lang"] = shown.fallback
    return render(request, "courses/learning/lesson.html", context)


@router.post("/{course_id}/lessons/{lesson_id}/view")
def lesson_view_record(request: Request, db: DbSession, user: SignedInUser, course: VisibleCourse, lesson_id: Id) -> Response:
    """Remember that an enrolled learner opened this lesson: starts the course, moves "Resume" here."""
    context = _lesson_context(db, user, course, lesson_id)
    if _should_record_view(context):
        lesson_viewed(db, user=user, lesson=context["lesson"])
        db.commit()
        context = _lesson_context(db, user, course, lesson_id)
    if is_partial(request):  # not render(block=...): a plain POST is redirected, not answered with the page
        return render(request, "courses/learning/lesson.html", context, block="progress")
    return redirect(request, f"/courses/{course.id}/lessons/{context['lesson'].id}")


@router.post("/{course_id}/lessons/{lesson_id}/complete")
def lesson_mark_complete(request: Request, db: DbSession, user: SignedInUser, course: VisibleCourse, lesson_id: Id) -> Response:
    context = _lesson_context(db, user, course, lesson_id)
    if not context["published"]:
        raise HTTPException(status_code=403, detail=str(CLOSED))
    if context["is_quiz"]:
        raise HTTPException(status_code=403, detail=str(QUIZ_ONLY))
    if context["is_package"]:
        raise HTTPException(status_code=403, detail=str(PACKAGE_ONLY))
    was_completed = context["view"].enrolment is not None and context["view"].enrolment.completed_at is not None
    enrolment = lesson_complete(db, user=user, lesson=context["lesson"])
    db.commit()
    just_completed = not was_completed and enrolment.completed_at is not None
    if is_partial(request):  # htmx gets the progress block; a plain POST is redirected
        context = _lesson_context(db, user, course, lesson_id)
        context["just_completed"] = just_completed
        return render(request, "courses/learning/lesson.html", context, block="progress")
    if just_completed:
        flash(request, gettext("Well done: you completed “%(course)s”.") % {"course": context["tr"].title().text})
        return redirect(request, f"/courses/{course.id}")
    following = context["next"]
    if following is None:
        return redirect(request, f"/courses/{course.id}")
    return redirect(request, f"/courses/{course.id}/lessons/{following.id}")


@router.post("/{course_id}/feedback")
def course_feedback(
    request: Request,
    db: DbSession,
    user: SignedInUser,
    course: VisibleCourse,
    rating: Annotated[str, Form(max_length=8)] = "",
    comment: Annotated[str, Form(max_length=COMMENT_MAX * 4)] = "",
) -> Response:
    if not feedback_allowed(db, course=course, user=user):
        raise HTTPException(status_code=403, detail=str(NOT_COMPLETED))
    form = FeedbackForm(rating, comment)
    errors, value, text = form.check()
    if not errors:
        try:
            course_feedback_save(db, course=course, user=user, rating=value, comment=text)
        except CourseError as exc:
            errors = field_errors(exc)
    if errors:
        db.rollback()
        return _course_page(request, db, user, course, status_code=422, errors=errors, form=form)
    db.commit()
    flash(request, gettext("Thank you. Your rating is saved; you can change it at any time."))
    return redirect(request, f"/courses/{course.id}#feedback")
