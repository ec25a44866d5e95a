"""Building question banks and quizzes quickly for tests. Others may add helpers at the end of this file.

A quiz always lives in a quiz lesson of a course (tests.courses.factories.make_course); by default
that lesson is the only one, so passing the quiz completes the course.
"""

from __future__ import annotations

import itertools

from sqlmodel import Session, select

from assessments.models import Question, QuestionCategory, Quiz, QuizSlot
from assessments.questions import (
    MULTIPLE_CHOICE, NUMERIC, SHORT_TEXT, SINGLE_CHOICE, Choice, NumericAnswer, QuestionData, true_false,
)
from courses.models import Course, Lesson, LessonKind
from lms.competences.models import Competence
from tests.courses.factories import lessons_of, make_course

_names = itertools.count(1)


def single_choice(name: str | None = None, *, right: str = "b", points: float = 1.0) -> QuestionData:
    """Choices a, b, c, d; ``right`` is the correct one."""
    name = name or f"Question {next(_names)}"
    return QuestionData(SINGLE_CHOICE, name, f"Which is right in *{name}*?", points=points,
                        general_feedback="Think about the sender.",
                        choices=[Choice(c, f"Option {c.upper()}", 1.0 if c == right else 0.0,
                                        "Yes." if c == right else "No.") for c in "abcd"])


def multiple_choice(name: str | None = None, *, right: tuple[str, ...] = ("a", "c")) -> QuestionData:
    name = name or f"Question {next(_names)}"
    share = 1.0 / len(right)
    return QuestionData(MULTIPLE_CHOICE, name, "Tick every right option.",
                        choices=[Choice(c, f"Option {c.upper()}", share if c in right else -0.5) for c in "abcd"])


def short_text(name: str | None = None, *, accepted: str = "phishing") -> QuestionData:
    return QuestionData(SHORT_TEXT, name or f"Question {next(_names)}", "Name the attack.", accepted=[accepted])


def numeric(name: str | None = None, *, value: float = 42.0, tolerance: float = 0.5) -> QuestionData:
    return QuestionData(NUMERIC, name or f"Question {next(_names)}", "How many?",
                        numeric=[NumericAnswer(value, tolerance)])


def true_or_false(name: str | None = None, *, correct: bool = True) -> QuestionData:
    return true_false(name or f"Question {next(_names)}", "Is it safe?", correct)


def answer(data: QuestionData, *, right: bool = True) -> dict:
    """A response that earns full marks (``right=True``) or nothing."""
    kind = data.kind
    if kind == MULTIPLE_CHOICE:
        return {"choices": [c.id for c in data.choices if (c.fraction > 0) == right]}
    if kind == SHORT_TEXT:
        return {"text": data.accepted[0].text.upper() if right else "no idea"}
    if kind == NUMERIC:
        return {"value": str(data.numeric[0].value) if right else "-1e9"}
    best = max(data.choices, key=lambda c: c.fraction)
    worst = min(data.choices, key=lambda c: c.fraction)
    return {"choice": (best if right else worst).id}


def make_category(db: Session, name: str | None = None) -> QuestionCategory:
    category = QuestionCategory(name=name or f"Category {next(_names)}")
    db.add(category)
    db.commit()
    db.refresh(category)
    return category


def make_question(
    db: Session,
    data: QuestionData | None = None,
    *,
    category: QuestionCategory | None = None,
    competence: Competence | None = None,
    level: int | None = None,
    archived: bool = False,
) -> Question:
    data = data or single_choice()
    category = category or make_category(db)
    question = Question(category_id=category.id, kind=data.kind, name=data.name, data=data.to_dict(),
                        competence_id=competence.id if competence else None, level=level, archived=archived)
    db.add(question)
    db.commit()
    db.refresh(question)
    return question


def make_quiz(
    db: Session,
    *,
    questions: list[Question] = (),
    draws: list[tuple[QuestionCategory, int]] = (),
    course: Course | None = None,
    lesson: Lesson | None = None,
    **settings,
) -> Quiz:
    """A committed quiz with one fixed slot per question, then one slot per (category, count) draw.

    Without ``lesson`` the quiz takes the last lesson of ``course`` (a new one-lesson course if none)
    and turns it into a quiz lesson. ``settings`` are Quiz fields (pass_percent, time_limit_minutes...).
    """
    if lesson is None:
        course = course or make_course(db, title=f"Course {next(_names)}", modules=(("Check yourself",),))
        lesson = lessons_of(db, course)[-1]
    lesson.kind = LessonKind.QUIZ.value
    db.add(lesson)
    settings.setdefault("shuffle_choices", False)
    quiz = Quiz(lesson_id=lesson.id, **settings)
    db.add(quiz)
    db.flush()
    position = 0
    for question in questions:
        db.add(QuizSlot(quiz_id=quiz.id, position=position, question_id=question.id))
        position += 1
    for category, count in draws:
        db.add(QuizSlot(quiz_id=quiz.id, position=position, category_id=category.id, draw_count=count))
        position += 1
    db.commit()
    db.refresh(quiz)
    return quiz


def quiz_of(db: Session, data: list[QuestionData], **settings) -> tuple[Quiz, list[Question]]:
    """Shortcut: a quiz with these questions as fixed slots, in order."""
    category = make_category(db)
    questions = [make_question(db, d, category=category) for d in data]
    return make_quiz(db, questions=questions, **settings), questions


def quiz_lesson(db: Session, quiz: Quiz) -> Lesson:
    return db.exec(select(Lesson).where(Lesson.id == quiz.lesson_id)).one()


def make_competences(db: Session, *codes: str) -> list[Competence]:
    """A tiny framework with these competence codes (faster than loading DigComp)."""
    from lms.competences.models import CompetenceArea, Framework

    framework = Framework(code=f"F{next(_names)}", name="Safety")
    db.add(framework)
    db.flush()
    area = CompetenceArea(framework_id=framework.id, code="4", name="Safety")
    db.add(area)
    db.flush()
    items = [Competence(framework_id=framework.id, area_id=area.id, code=code, name=f"Competence {code}",
                        position=i) for i, code in enumerate(codes)]
    db.add_all(items)
    db.commit()
    for item in items:
        db.refresh(item)
    return items
