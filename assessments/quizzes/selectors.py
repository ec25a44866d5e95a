"""Reads for quiz authoring: the quiz of a lesson, its slots and the bank questions to choose from.

Each function is a fixed number of queries, however many slots or questions there are.
"""

from __future__ import annotations

from sqlalchemy import false, true
from sqlmodel import Session, select

from assessments.models import Question, QuestionCategory, Quiz, QuizSlot
from courses.learning.selectors import required_lessons
from courses.models import LessonKind


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


def publish_blockers(session: Session, course_id: int) -> list[str]:
    """Why each visible quiz lesson of the course could not be completed today, one message per problem.

    Mirrors how an attempt draws its questions (assessments.attempts.service._layout): fixed questions first,
    then each random slot from its category's questions that are not archived and not already fixed in the quiz.
    """
    lessons = [lesson for lesson in required_lessons(session, course_id) if lesson.kind == LessonKind.QUIZ.value]
    if not lessons:
        return []
    quizzes = {q.lesson_id: q for q in session.exec(select(Quiz).where(Quiz.lesson_id.in_([lesson.id for lesson in lessons])))}
    slots_of: dict[int, list[QuizSlot]] = {}
    if quizzes:
        quiz_ids = [q.id for q in quizzes.values()]
        for slot in session.exec(select(QuizSlot).where(QuizSlot.quiz_id.in_(quiz_ids)).order_by(QuizSlot.position, QuizSlot.id)):
            slots_of.setdefault(slot.quiz_id, []).append(slot)
    all_slots = [s for slots in slots_of.values() for s in slots]
    fixed_ids = {s.question_id for s in all_slots if s.question_id}
    archived = (
        set(session.exec(select(Question.id).where(Question.id.in_(fixed_ids), Question.archived == true())).all())
        if fixed_ids
        else set()
    )
    category_ids = {s.category_id for s in all_slots if not s.question_id and s.category_id}
    pools: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    if category_ids:
        rows = session.exec(
            select(Question.id, Question.category_id).where(Question.category_id.in_(category_ids), Question.archived == false())
        )
        for question_id, category_id in rows:
            pools.setdefault(category_id, set()).add(question_id)
        categories = session.exec(select(QuestionCategory).where(QuestionCategory.id.in_(category_ids)))
        names = {c.id: c.name for c in categories if c.id is not None}
    blockers = []
    for lesson in lessons:
        where = f"Lesson “{lesson.title}”"
        quiz = quizzes.get(lesson.id)
        slots = slots_of.get(quiz.id, []) if quiz else []
        if not slots:
            blockers.append(f"{where}: the quiz has no questions.")
            continue
        in_quiz = {s.question_id for s in slots if s.question_id}
        if in_quiz & archived:
            count = len(in_quiz & archived)
            blockers.append(
                f"{where}: {count} question{'' if count == 1 else 's'} in the quiz {'is' if count == 1 else 'are'} archived."
            )
        wanted: dict[int, int] = {}
        for slot in slots:
            if not slot.question_id and slot.category_id:
                wanted[slot.category_id] = wanted.get(slot.category_id, 0) + slot.draw_count
        for category_id, count in wanted.items():
            available = len(pools.get(category_id, set()) - in_quiz)
            if available < count:
                plural = "" if count == 1 else "s"
                blockers.append(
                    f"{where}: the quiz draws {count} random question{plural} from “{names.get(category_id, '?')}”, "
                    f"which has only {available} available."
                )
    return blockers
