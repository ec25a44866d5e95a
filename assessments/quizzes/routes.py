"""Quiz authoring (/author/...quizzes): create a quiz lesson, its settings and its questions.

The quiz is found through its lesson's course, and a trainer who may not edit that course gets a
404, the same as for a quiz that does not exist (assessments.quizzes.deps).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from assessments.quizzes.deps import EditableQuiz, EditableQuizOfLesson, QuizInCourse
from assessments.quizzes.forms import REVIEW_POLICY_LABELS, QuizSettingsForm
from assessments.quizzes.selectors import categories_by_name, question_options, slot_rows
from assessments.quizzes.service import (
    MAX_DRAW,
    QuizError,
    quiz_create,
    quiz_update,
    slot_add_question,
    slot_add_random,
    slot_move,
    slot_remove,
)
from courses.authoring.deps import EditableCourse, ModuleOf
from courses.authoring.selectors import competence_groups
from lms.competences.models import MAX_LEVEL
from lms.i18n import gettext
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.params import Id, IdQuery, parse_id, parse_int
from lms.web.templating import redirect, render

router = APIRouter(prefix="/author")

Short = Annotated[str, Form(max_length=500)]
Many = Annotated[list[str], Form()]
QUESTION_OPTIONS_LIMIT = 500


@router.get("/courses/{course_id}/modules/{module_id}/quizzes/new")
def quiz_new(request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf) -> Response:
    return render(request, "assessments/quizzes/new.html", {"course": course, "module": module, "title": "", "errors": {}})


@router.post("/courses/{course_id}/modules/{module_id}/quizzes")
def quiz_create_post(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, module: ModuleOf, title: Short = ""
) -> Response:
    try:
        quiz = quiz_create(db, module=module, title=title, by=user)
    except QuizError as exc:
        db.rollback()
        return render(
            request,
            "assessments/quizzes/new.html",
            {"course": course, "module": module, "title": title, "errors": field_errors(exc)},
            status_code=422,
        )
    db.commit()
    flash(request, gettext("Quiz added. Choose its settings, then add questions."))
    return redirect(request, f"/author/quizzes/{quiz.id}")


@router.get("/quizzes/by-lesson/{lesson_id}")
def quiz_by_lesson(request: Request, user: AuthorUser, found: EditableQuizOfLesson) -> Response:
    return redirect(request, f"/author/quizzes/{found.quiz.id}")


def _page(
    request: Request,
    db: Session,
    found: QuizInCourse,
    *,
    form: QuizSettingsForm | None = None,
    errors: dict | None = None,
    category: int | None = None,
    status_code: int = 200,
) -> Response:
    quiz, lesson, course = found
    categories = categories_by_name(db)
    questions = question_options(db, category_id=category, limit=QUESTION_OPTIONS_LIMIT + 1)
    return render(
        request,
        "assessments/quizzes/settings.html",
        {
            "quiz": quiz,
            "lesson": lesson,
            "course": course,
            "form": form or QuizSettingsForm.from_quiz(quiz, lesson),
            "errors": errors or {},
            "policies": list(REVIEW_POLICY_LABELS.items()),
            "groups": competence_groups(db),
            "levels": range(1, MAX_LEVEL + 1),
            "slots": slot_rows(db, quiz),
            "categories": categories,
            "category": category,
            "questions": questions[:QUESTION_OPTIONS_LIMIT],
            "more_questions": len(questions) > QUESTION_OPTIONS_LIMIT,
            "max_draw": MAX_DRAW,
        },
        status_code=status_code,
    )


@router.get("/quizzes/{quiz_id}")
def quiz_settings(request: Request, db: DbSession, user: AuthorUser, found: EditableQuiz, category: IdQuery = None) -> Response:
    return _page(request, db, found, category=category)


@router.post("/quizzes/{quiz_id}")
def quiz_settings_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    found: EditableQuiz,
    title: Short = "",
    pass_percent: Short = "",
    time_limit_minutes: Short = "",
    attempts_allowed: Short = "",
    shuffle_questions: Short = "",
    shuffle_choices: Short = "",
    layout: Short = "one_per_page",
    review_policy: Short = "",
    mode: Short = "proves",
    proves_competence_id: Short = "",
    proves_level: Short = "",
    band_min: Many = [],
    band_level: Many = [],
) -> Response:
    quiz, lesson, _course = found
    form = QuizSettingsForm(
        title=title,
        pass_percent=pass_percent,
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        shuffle_questions=shuffle_questions == "1",
        shuffle_choices=shuffle_choices == "1",
        one_per_page=layout != "all",
        review_policy=review_policy,
        mode=mode,
        proves_competence_id=proves_competence_id,
        proves_level=proves_level,
        band_min=band_min[:20],
        band_level=band_level[:20],
    )
    errors, values = form.check(db)
    if errors:
        return _page(request, db, found, form=form, errors=errors, status_code=422)
    quiz_update(db, quiz=quiz, lesson=lesson, values=values)
    db.commit()
    flash(request, gettext("Quiz settings saved. Attempts already started keep the settings they started with."))
    return redirect(request, f"/author/quizzes/{quiz.id}")


@router.post("/quizzes/{quiz_id}/slots")
def slot_add_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    found: EditableQuiz,
    source: Short = "fixed",
    question_id: Short = "",
    category_id: Short = "",
    draw_count: Short = "",
) -> Response:
    quiz = found.quiz
    try:
        if source == "random":
            slot_add_random(db, quiz=quiz, category_id=parse_id(category_id), count=parse_int(draw_count, 1, MAX_DRAW))
        else:
            slot_add_question(db, quiz=quiz, question_id=parse_id(question_id))
    except QuizError as exc:
        db.rollback()
        return _page(request, db, found, errors=field_errors(exc, default="slots"), status_code=422)
    db.commit()
    flash(request, gettext("Questions added to the quiz."))
    return redirect(request, f"/author/quizzes/{quiz.id}#questions")


@router.post("/quizzes/{quiz_id}/slots/{slot_id}/delete")
def slot_delete_post(request: Request, db: DbSession, user: AuthorUser, found: EditableQuiz, slot_id: Id) -> Response:
    quiz = found.quiz
    try:
        slot_remove(db, quiz=quiz, slot_id=slot_id)
    except QuizError:
        raise HTTPException(status_code=404) from None
    db.commit()
    flash(request, gettext("Removed from the quiz. Attempts already started keep their questions."))
    return redirect(request, f"/author/quizzes/{quiz.id}#questions")


@router.post("/quizzes/{quiz_id}/slots/{slot_id}/move")
def slot_move_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    found: EditableQuiz,
    slot_id: Id,
    direction: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    quiz = found.quiz
    try:
        slot_move(db, quiz=quiz, slot_id=slot_id, direction=direction)
    except QuizError:
        raise HTTPException(status_code=404) from None
    db.commit()
    return redirect(request, f"/author/quizzes/{quiz.id}#slot-{slot_id}")
