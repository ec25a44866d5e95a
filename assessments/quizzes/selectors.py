"""Reads for quiz authoring: the quiz of a lesson, its slots and the bank questions to choose from.

Each function is a fixed number of queries, however many slots or questions there are.
"""

from __future__ import annotations

from sqlalchemy import false
from sqlmodel import Session, select

from assessments.models import Question, QuestionCategory, Quiz, QuizSlot


def quiz_for_lesson(session: Session, lesson_id: int) -> Quiz | None:
    return session.exec(select(Quiz).where(Quiz.lesson_id == lesson_id)).first()


def quiz_slots(session: Session, quiz: Quiz) -> list[QuizSlot]:
    return list(session.exec(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id).order_by(QuizSlot.position, QuizSlot.id)).all())


def slot_rows(session: Session, quiz: Quiz) -> list[tuple[QuizSlot, str]]:
    """The quiz's slots in order, each with what it holds: a named question or a random draw from a category."""
    slots = quiz_slots(session, quiz)
    questions = (
        {q.id: q for q in session.exec(select(Question).where(Question.id.in_([s.question_id for s in slots if s.question_id])))}
        if slots
        else {}
    )
    categories = {c.id: c for c in session.exec(select(QuestionCategory))}
    rows = []
    for slot in slots:
        if slot.question_id:
            q = questions.get(slot.question_id)
            rows.append((slot, f"{q.name} ({q.kind.replace('_', ' ')})" if q else "Missing question"))
        else:
            name = categories[slot.category_id].name if slot.category_id in categories else "?"
            rows.append((slot, f"{slot.draw_count} random question{'' if slot.draw_count == 1 else 's'} from “{name}”"))
    return rows


def categories_by_name(session: Session) -> list[QuestionCategory]:
    return list(session.exec(select(QuestionCategory).order_by(QuestionCategory.name)).all())


def question_options(session: Session, *, category_id: int | None, limit: int) -> list[Question]:
    """Up to ``limit`` questions not archived (of one category, if given), by name."""
    bank = select(Question).where(Question.archived == false())
    if category_id:
        bank = bank.where(Question.category_id == category_id)
    return list(session.exec(bank.order_by(Question.name, Question.id).limit(limit)).all())
