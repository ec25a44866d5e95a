"""Writes for quiz authoring: the quiz lesson, its settings and its slots. Callers commit.

A quiz is a courses Lesson of kind "quiz" plus one Quiz row with its settings. Attempts copy the
grading settings when they start, so nothing here can change an attempt already under way.
"""

from __future__ import annotations

from sqlalchemy import false, func, select as sa_select
from sqlmodel import Session

from assessments.models import Question, QuestionCategory, Quiz, QuizSlot
from assessments.quizzes.selectors import quiz_slots
from courses.authoring.service import lesson_add, position_move
from courses.models import Lesson, LessonKind, Module
from lms.i18n import gettext, ngettext
from lms.audit.service import audit_record
from lms.errors import FieldError
from lms.people.models import User

MAX_DRAW = 100


class QuizError(FieldError):
    pass


def quiz_create(session: Session, *, module: Module, title: str, by: User) -> Quiz:
    """A new quiz lesson at the end of ``module``, with default settings and no questions."""
    title = " ".join((title or "").split())
    if not title:
        raise QuizError(gettext("Enter a title for the quiz."), "title")
    if len(title) > 200:
        raise QuizError(gettext("Keep the title to 200 characters or fewer."), "title")
    lesson = lesson_add(session, module=module, title=title, estimated_minutes=10, body_markdown="")
    lesson.kind = LessonKind.QUIZ.value
    session.add(lesson)
    quiz = Quiz(lesson_id=lesson.id)
    session.add(quiz)
    session.flush()
    audit_record(
        session,
        action="quiz.create",
        actor=by,
        target_type="course",
        target_id=lesson.course_id,
        detail={"quiz_id": quiz.id, "lesson": title},
    )
    return quiz


def quiz_update(session: Session, *, quiz: Quiz, lesson: Lesson, values: dict) -> Quiz:
    """Apply checked settings (from QuizSettingsForm.check, in quizzes/forms.py). Attempts already started keep theirs."""
    lesson.title = values["title"]
    session.add(lesson)
    for name in (
        "pass_percent",
        "time_limit_minutes",
        "attempts_allowed",
        "shuffle_questions",
        "shuffle_choices",
        "one_per_page",
        "review_policy",
        "diagnostic",
        "proves_competence_id",
        "proves_level",
        "diagnostic_bands",
    ):
        setattr(quiz, name, values[name])
    session.add(quiz)
    return quiz


def _next_position(session: Session, quiz: Quiz) -> int:
    top = session.exec(sa_select(func.max(QuizSlot.position)).where(QuizSlot.quiz_id == quiz.id)).scalar_one()
    return 0 if top is None else top + 1


def slot_add_question(session: Session, *, quiz: Quiz, question_id: int | None) -> QuizSlot:
    question = session.get(Question, question_id) if question_id else None
    if question is None or question.archived:
        raise QuizError(gettext("Choose a question from the bank."), "question_id")
    if any(s.question_id == question.id for s in quiz_slots(session, quiz)):
        raise QuizError(gettext("That question is already in this quiz."), "question_id")
    slot = QuizSlot(quiz_id=quiz.id, position=_next_position(session, quiz), question_id=question.id)
    session.add(slot)
    session.flush()
    return slot


def slot_add_random(session: Session, *, quiz: Quiz, category_id: int | None, count: int | None) -> QuizSlot:
    category = session.get(QuestionCategory, category_id) if category_id else None
    if category is None:
        raise QuizError(gettext("Choose a category to draw questions from."), "category_id")
    if count is None or not 1 <= count <= MAX_DRAW:
        raise QuizError(gettext("Enter how many questions to draw, from 1 to %(max)s.") % {"max": MAX_DRAW}, "draw_count")
    available = session.exec(
        sa_select(func.count()).select_from(Question).where(Question.category_id == category.id, Question.archived == false())
    ).scalar_one()
    if count > available:
        raise QuizError(
            ngettext(
                "“%(category)s” has only %(num)s question; draw fewer or add questions to it first.",
                "“%(category)s” has only %(num)s questions; draw fewer or add questions to it first.",
                available,
            )
            % {"category": category.name, "num": available},
            "draw_count",
        )
    slot = QuizSlot(quiz_id=quiz.id, position=_next_position(session, quiz), category_id=category.id, draw_count=count)
    session.add(slot)
    session.flush()
    return slot


def _slot(session: Session, quiz: Quiz, slot_id: int) -> QuizSlot:
    slot = session.get(QuizSlot, slot_id)
    if slot is None or slot.quiz_id != quiz.id:
        raise QuizError(gettext("That question is not in this quiz."), "slots")
    return slot


def slot_remove(session: Session, *, quiz: Quiz, slot_id: int) -> None:
    session.delete(_slot(session, quiz, slot_id))
    session.flush()


def slot_move(session: Session, *, quiz: Quiz, slot_id: int, direction: str) -> bool:
    return position_move(session, quiz_slots(session, quiz), _slot(session, quiz, slot_id), direction)
