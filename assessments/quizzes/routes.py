"""Quiz authoring (/author/...quizzes): create a quiz lesson, its settings and its questions.

The quiz is found through its lesson's course, and a trainer who may not edit that course gets a
404, the same as for a quiz that does not exist (courses.access.can_edit).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session, select
from starlette.responses import Response

from assessments.models import Question, QuestionCategory, Quiz, QuizSlot
from assessments.quizzes.service import (
    MAX_DRAW, REVIEW_POLICY_LABELS, QuizError, QuizSettingsForm, quiz_create, quiz_for_lesson, quiz_slots,
    quiz_update, slot_add_question, slot_add_random, slot_move, slot_remove,
)
from courses.access import can_edit
from courses.authoring.selectors import competence_groups
from courses.models import Course, Lesson, LessonKind, Module
from lms.competences.models import MAX_LEVEL
from lms.people.models import User
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


def _editable(db: Session, request: Request, user: User, course_id: int) -> Course:
    course = db.get(Course, course_id)
    if course is None or not can_edit(db, user, course, request.state.roles):
        raise HTTPException(status_code=404)
    return course


def _quiz(db: Session, request: Request, user: User, quiz_id: int) -> tuple[Quiz, Lesson, Course]:
    quiz = db.get(Quiz, quiz_id)
    lesson = db.get(Lesson, quiz.lesson_id) if quiz else None
    if quiz is None or lesson is None:
        raise HTTPException(status_code=404)
    return quiz, lesson, _editable(db, request, user, lesson.course_id)


def _module(db: Session, course: Course, module_id: int) -> Module:
    module = db.get(Module, module_id)
    if module is None or module.course_id != course.id:
        raise HTTPException(status_code=404)
    return module


@router.get("/courses/{course_id}/modules/{module_id}/quizzes/new")
def quiz_new(request: Request, db: DbSession, user: AuthorUser, course_id: Id, module_id: Id) -> Response:
    course = _editable(db, request, user, course_id)
    module = _module(db, course, module_id)
    return render(request, "assessments/quizzes/new.html", {"course": course, "module": module, "title": "", "errors": {}})


@router.post("/courses/{course_id}/modules/{module_id}/quizzes")
def quiz_create_post(request: Request, db: DbSession, user: AuthorUser, course_id: Id, module_id: Id,
                     title: Short = "") -> Response:
    course = _editable(db, request, user, course_id)
    module = _module(db, course, module_id)
    try:
        quiz = quiz_create(db, module=module, title=title, by=user)
    except QuizError as exc:
        db.rollback()
        return render(request, "assessments/quizzes/new.html", {"course": course, "module": module, "title": title,
                                                 "errors": field_errors(exc)}, status_code=422)
    db.commit()
    flash(request, "Quiz added. Choose its settings, then add questions.")
    return redirect(request, f"/author/quizzes/{quiz.id}")


@router.get("/quizzes/by-lesson/{lesson_id}")
def quiz_by_lesson(request: Request, db: DbSession, user: AuthorUser, lesson_id: Id) -> Response:
    lesson = db.get(Lesson, lesson_id)
    quiz = quiz_for_lesson(db, lesson_id) if lesson and lesson.kind == LessonKind.QUIZ.value else None
    if quiz is None:
        raise HTTPException(status_code=404)
    _editable(db, request, user, lesson.course_id)
    return redirect(request, f"/author/quizzes/{quiz.id}")


def _slot_rows(db: Session, quiz: Quiz) -> list[tuple[QuizSlot, str]]:
    slots = quiz_slots(db, quiz)
    questions = {q.id: q for q in db.exec(select(Question).where(
        Question.id.in_([s.question_id for s in slots if s.question_id])))} if slots else {}
    categories = {c.id: c for c in db.exec(select(QuestionCategory))}
    rows = []
    for slot in slots:
        if slot.question_id:
            q = questions.get(slot.question_id)
            rows.append((slot, f"{q.name} ({q.kind.replace('_', ' ')})" if q else "Missing question"))
        else:
            name = categories[slot.category_id].name if slot.category_id in categories else "?"
            rows.append((slot, f"{slot.draw_count} random question{'' if slot.draw_count == 1 else 's'} "
                               f"from “{name}”"))
    return rows


def _page(request: Request, db: Session, quiz: Quiz, lesson: Lesson, course: Course, *,
          form: QuizSettingsForm | None = None, errors: dict | None = None, category: int | None = None,
          status_code: int = 200) -> Response:
    categories = list(db.exec(select(QuestionCategory).order_by(QuestionCategory.name)).all())
    bank = select(Question).where(Question.archived == False)  # noqa: E712
    if category:
        bank = bank.where(Question.category_id == category)
    questions = list(db.exec(bank.order_by(Question.name, Question.id).limit(QUESTION_OPTIONS_LIMIT + 1)).all())
    return render(request, "assessments/quizzes/settings.html", {
        "quiz": quiz, "lesson": lesson, "course": course,
        "form": form or QuizSettingsForm.from_quiz(quiz, lesson), "errors": errors or {},
        "policies": list(REVIEW_POLICY_LABELS.items()), "groups": competence_groups(db),
        "levels": range(1, MAX_LEVEL + 1), "slots": _slot_rows(db, quiz), "categories": categories,
        "category": category, "questions": questions[:QUESTION_OPTIONS_LIMIT],
        "more_questions": len(questions) > QUESTION_OPTIONS_LIMIT, "max_draw": MAX_DRAW,
    }, status_code=status_code)


@router.get("/quizzes/{quiz_id}")
def quiz_settings(request: Request, db: DbSession, user: AuthorUser, quiz_id: Id,
                  category: IdQuery = None) -> Response:
    quiz, lesson, course = _quiz(db, request, user, quiz_id)
    return _page(request, db, quiz, lesson, course, category=category)


@router.post("/quizzes/{quiz_id}")
def quiz_settings_post(request: Request, db: DbSession, user: AuthorUser, quiz_id: Id,
                       title: Short = "", pass_percent: Short = "", time_limit_minutes: Short = "",
                       attempts_allowed: Short = "", shuffle_questions: Short = "", shuffle_choices: Short = "",
                       layout: Short = "one_per_page", review_policy: Short = "", mode: Short = "proves",
                       proves_competence_id: Short = "", proves_level: Short = "",
                       band_min: Many = [], band_level: Many = []) -> Response:  # noqa: B006
    quiz, lesson, course = _quiz(db, request, user, quiz_id)
    form = QuizSettingsForm(
        title=title, pass_percent=pass_percent, time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed, shuffle_questions=shuffle_questions == "1",
        shuffle_choices=shuffle_choices == "1", one_per_page=layout != "all", review_policy=review_policy,
        mode=mode, proves_competence_id=proves_competence_id, proves_level=proves_level,
        band_min=band_min[:20], band_level=band_level[:20])
    errors, values = form.check(db)
    if errors:
        return _page(request, db, quiz, lesson, course, form=form, errors=errors, status_code=422)
    quiz_update(db, quiz=quiz, lesson=lesson, values=values)
    db.commit()
    flash(request, "Quiz settings saved. Attempts already started keep the settings they started with.")
    return redirect(request, f"/author/quizzes/{quiz.id}")


@router.post("/quizzes/{quiz_id}/slots")
def slot_add_post(request: Request, db: DbSession, user: AuthorUser, quiz_id: Id, source: Short = "fixed",
                  question_id: Short = "", category_id: Short = "", draw_count: Short = "") -> Response:
    quiz, lesson, course = _quiz(db, request, user, quiz_id)
    try:
        if source == "random":
            slot_add_random(db, quiz=quiz, category_id=parse_id(category_id),
                                count=parse_int(draw_count, 1, MAX_DRAW))
        else:
            slot_add_question(db, quiz=quiz, question_id=parse_id(question_id))
    except QuizError as exc:
        db.rollback()
        return _page(request, db, quiz, lesson, course, errors=field_errors(exc, default="slots"),
                     status_code=422)
    db.commit()
    flash(request, "Questions added to the quiz.")
    return redirect(request, f"/author/quizzes/{quiz.id}#questions")


@router.post("/quizzes/{quiz_id}/slots/{slot_id}/delete")
def slot_delete_post(request: Request, db: DbSession, user: AuthorUser, quiz_id: Id, slot_id: Id) -> Response:
    quiz, _lesson, _course = _quiz(db, request, user, quiz_id)
    try:
        slot_remove(db, quiz=quiz, slot_id=slot_id)
    except QuizError:
        raise HTTPException(status_code=404) from None
    db.commit()
    flash(request, "Removed from the quiz. Attempts already started keep their questions.")
    return redirect(request, f"/author/quizzes/{quiz.id}#questions")


@router.post("/quizzes/{quiz_id}/slots/{slot_id}/move")
def slot_move_post(request: Request, db: DbSession, user: AuthorUser, quiz_id: Id, slot_id: Id,
                   direction: Annotated[str, Form(max_length=4)] = "") -> Response:
    quiz, _lesson, _course = _quiz(db, request, user, quiz_id)
    try:
        slot_move(db, quiz=quiz, slot_id=slot_id, direction=direction)
    except QuizError:
        raise HTTPException(status_code=404) from None
    db.commit()
    return redirect(request, f"/author/quizzes/{quiz.id}#slot-{slot_id}")
