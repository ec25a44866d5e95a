"""Taking a quiz: the intro page, starting, answering (autosaved by htmx, or "Save and next"),
the summary, submitting and the result.

A quiz is shown only to learners who may view its course and lesson; an attempt only to its owner
(attempts.selectors.own_attempt_with_quiz). Anything else is a 404, so ids reveal nothing. Questions reach templates
only through attempt_views, which leaves out everything that would give the answers away.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from assessments.attempts.views import answer_from_form, question_view, review_view
from assessments.attempts.service import (
    AttemptClosed,
    AttemptError,
    StaleAnswer,
    attempt_close_if_overdue,
    attempt_start,
    attempt_submit,
    response_save,
)
from assessments.attempts.deps import OwnAttempt, VisibleQuiz, VisibleQuizOfLesson
from assessments.attempts.selectors import (
    after_result,
    attempts_used,
    in_progress,
    responses_by_slot,
    review_rights,
    submitted_attempts,
)
from assessments.models import Attempt, AttemptState, Quiz, ReviewPolicy
from courses.models import CourseStatus, Lesson
from lms.clock import utcnow
from lms.i18n import lazy_gettext
from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.page_cache import page_cached_for
from lms.web.flash import flash
from lms.web.params import MAX_ID, SlotNo, parse_int
from lms.web.templating import is_partial, redirect, render

router = APIRouter()

NOT_OPEN = lazy_gettext("This course is not open, so the quiz cannot be started.")
TIME_UP = lazy_gettext("Time is up. Your attempt was submitted with the answers saved before the deadline.")
POLICY_WORDS = {
    ReviewPolicy.SCORE_ONLY.value: lazy_gettext("After you submit, you see your score."),
    ReviewPolicy.AFTER_SUBMIT.value: lazy_gettext("After you submit, you see your score, the right answers and feedback."),
    ReviewPolicy.AFTER_PASSING.value: lazy_gettext(
        "After you submit, you see your score; once you pass, you also see the right answers and feedback."
    ),
    ReviewPolicy.NEVER.value: lazy_gettext("Your score is not shown after you submit; your trainer sees it."),
}


async def posted_form(request: Request) -> FormData:
    # The question's fields are named after its choices and pairs, so they are read from the form.
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def time_left(attempt: Attempt) -> str | None:
    if attempt.deadline_at is None:
        return None
    seconds = (attempt.deadline_at - utcnow()).total_seconds()
    if seconds < 60:
        return "less than a minute"
    minutes = math.floor(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def one_per_page(attempt: Attempt, quiz: Quiz) -> bool:
    return attempt.settings.get("one_per_page", quiz.one_per_page)


@router.get("/quizzes/by-lesson/{lesson_id}")
def quiz_by_lesson(request: Request, user: SignedInUser, found: VisibleQuizOfLesson) -> Response:
    return redirect(request, f"/quizzes/{found.quiz.id}")


@router.get("/quizzes/{quiz_id}")
def quiz_intro(request: Request, db: DbSession, user: SignedInUser, found: VisibleQuiz) -> Response:
    quiz, lesson, course = found
    current = in_progress(db, quiz=quiz, user=user)
    if current is not None and attempt_close_if_overdue(db, attempt=current):
        db.commit()
        current = None
    attempts = submitted_attempts(db, quiz=quiz, user=user)
    used = attempts_used(db, quiz=quiz, user=user)
    return render(
        request,
        "assessments/attempts/intro.html",
        {
            "quiz": quiz,
            "lesson": lesson,
            "course": course,
            "current": current,
            "used": used,
            "attempts": [(a, review_rights(a)) for a in attempts],
            "policy_words": POLICY_WORDS.get(quiz.review_policy, ""),
            "open": course.status == CourseStatus.PUBLISHED.value,
            "exhausted": current is None and quiz.attempts_allowed is not None and used >= quiz.attempts_allowed,
        },
    )


@router.post("/quizzes/{quiz_id}/start")
def quiz_start(request: Request, db: DbSession, user: SignedInUser, found: VisibleQuiz) -> Response:
    quiz, _lesson, course = found
    if course.status != CourseStatus.PUBLISHED.value:
        raise HTTPException(status_code=403, detail=str(NOT_OPEN))
    try:
        attempt = attempt_start(db, quiz=quiz, user=user)
        db.commit()
    except AttemptError as exc:
        db.rollback()
        flash(request, str(exc), "error")
        return redirect(request, f"/quizzes/{quiz.id}")
    return redirect(request, f"/attempts/{attempt.id}")


def _closed_redirect(request: Request, db: Session, attempt: Attempt) -> Response | None:
    """Submitted (or just now timed out) attempts have nothing left to answer: go to the result."""
    if attempt_close_if_overdue(db, attempt=attempt):
        db.commit()
        flash(request, str(TIME_UP), "error")
    if attempt.state != AttemptState.IN_PROGRESS.value:
        return redirect(request, f"/attempts/{attempt.id}/result")
    return None


def _attempt_page(
    request: Request,
    db: Session,
    attempt: Attempt,
    quiz: Quiz,
    lesson: Lesson,
    page: int,
    *,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    responses = responses_by_slot(db, attempt)
    paged = one_per_page(attempt, quiz)
    count = len(attempt.layout)
    pages = count if paged else 1
    page = min(max(page, 1), pages)
    slots = [page - 1] if paged else list(range(count))
    return render(
        request,
        "assessments/attempts/attempt.html",
        {
            "attempt": attempt,
            "lesson": lesson,
            "page": page,
            "pages": pages,
            "paged": paged,
            "count": count,
            "questions": [question_view(attempt, s, responses.get(s)) for s in slots],
            "time_left": time_left(attempt),
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/attempts/{attempt_id}")
@page_cached_for(lambda state: state.get("untimed", False))
def attempt_page(
    request: Request, db: DbSession, user: SignedInUser, found: OwnAttempt, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> Response:
    attempt, quiz, lesson = found
    # A timed attempt's page counts down and closes at its deadline: not kept. Saved answers bump the person.
    request.state.untimed = attempt.deadline_at is None
    return _closed_redirect(request, db, attempt) or _attempt_page(request, db, attempt, quiz, lesson, page)


def _closed(request: Request, attempt: Attempt, message: str, slot: int) -> Response:
    context = {"attempt": attempt, "message": message, "slot": slot}
    # htmx saved one answer and gets that answer's status line; a plain form gets a page saying why.
    if is_partial(request):
        return render(request, "assessments/attempts/_save_status.html", context, status_code=409)
    return render(request, "assessments/attempts/closed.html", context, status_code=409)


@router.post("/attempts/{attempt_id}/slots/{slot}")
def slot_save(request: Request, db: DbSession, user: SignedInUser, found: OwnAttempt, slot: SlotNo, form: PostedForm) -> Response:
    attempt, quiz, lesson = found
    if not 0 <= slot < len(attempt.layout):
        raise HTTPException(status_code=404)
    raw_sequence = form.get("sequence")
    sequence = parse_int(raw_sequence, 0, MAX_ID) or 0
    flagged = form.get("flagged") == "1" if form.get("flag_field") == "1" else None
    try:
        response = response_save(
            db, attempt=attempt, slot=slot, answer=answer_from_form(attempt, slot, form), sequence=sequence, flagged=flagged
        )
        db.commit()
    except AttemptClosed as exc:
        db.commit()  # a deadline that passed just now has submitted the attempt: keep that
        return _closed(request, attempt, str(exc), slot)
    except StaleAnswer as exc:
        db.rollback()
        if is_partial(request):
            return render(
                request,
                "assessments/attempts/_save_status.html",
                {"attempt": attempt, "slot": slot, "error": str(exc)},
                status_code=409,
            )
        page = slot + 1 if one_per_page(attempt, quiz) else 1
        return _attempt_page(request, db, attempt, quiz, lesson, page, errors={slot: str(exc)}, status_code=409)
    except AttemptError as exc:
        db.rollback()
        raise HTTPException(status_code=404, detail=str(exc)) from None
    if is_partial(request):  # the status line for htmx; a plain form is redirected (Post/Redirect/Get)
        return render(request, "assessments/attempts/_save_status.html", {"attempt": attempt, "slot": slot, "response": response})
    return redirect(request, _after_save(attempt, quiz, slot, form.get("action")))


def _after_save(attempt: Attempt, quiz: Quiz, slot: int, action: str | UploadFile | None) -> str:
    base = f"/attempts/{attempt.id}"
    last = slot + 1 >= len(attempt.layout)
    if not one_per_page(attempt, quiz):
        return f"{base}/summary" if last or action == "summary" else f"{base}#q-{slot + 2}"
    if action == "previous":
        return f"{base}?page={max(slot, 1)}"
    if action == "summary" or last:
        return f"{base}/summary"
    return f"{base}?page={slot + 2}"


@router.get("/attempts/{attempt_id}/summary")
def attempt_summary(request: Request, db: DbSession, user: SignedInUser, found: OwnAttempt) -> Response:
    attempt, quiz, lesson = found
    closed = _closed_redirect(request, db, attempt)
    if closed:
        return closed
    responses = responses_by_slot(db, attempt)
    questions = [question_view(attempt, s, responses.get(s)) for s in range(len(attempt.layout))]
    return render(
        request,
        "assessments/attempts/summary.html",
        {
            "attempt": attempt,
            "lesson": lesson,
            "questions": questions,
            "paged": one_per_page(attempt, quiz),
            "unanswered": sum(1 for q in questions if not q.answered),
            "time_left": time_left(attempt),
        },
    )


@router.post("/attempts/{attempt_id}/submit")
def attempt_submit_post(request: Request, db: DbSession, user: SignedInUser, found: OwnAttempt) -> Response:
    attempt, _quiz, _lesson = found
    attempt_submit(db, attempt=attempt)
    db.commit()
    return redirect(request, f"/attempts/{attempt.id}/result")


@router.get("/attempts/{attempt_id}/result")
def attempt_result(request: Request, db: DbSession, user: SignedInUser, found: OwnAttempt) -> Response:
    attempt, quiz, lesson = found
    if attempt_close_if_overdue(db, attempt=attempt):
        db.commit()
    if attempt.state == AttemptState.IN_PROGRESS.value:
        return redirect(request, f"/attempts/{attempt.id}/summary")
    rights = review_rights(attempt)
    reviews = []
    if rights.answers:
        responses = responses_by_slot(db, attempt)
        reviews = [review_view(attempt, s, responses.get(s)) for s in range(len(attempt.layout))]
    return render(
        request,
        "assessments/attempts/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "lesson": lesson,
            "rights": rights,
            "reviews": reviews,
            "diagnostic": attempt.settings.get("diagnostic", False),
            "after": after_result(db, attempt=attempt, lesson=lesson, user=user),
        },
    )
