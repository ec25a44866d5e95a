"""Building question banks and quizzes quickly for tests. Others may add helpers at the end of this file.

A quiz always lives in a quiz lesson of a course (tests.courses.factories.make_course); by default
that lesson is the only one, so passing the quiz completes the course.
"""

from __future__ import annotations

import itertools
import re

from sqlmodel import Session, select

from assessments.bank.service import category_create, question_create
from assessments.models import Attempt, Question, QuestionCategory, Quiz, QuizSlot
from assessments.questions import (
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    SINGLE_CHOICE,
    AcceptedAnswer,
    Choice,
    MatchPair,
    NumericAnswer,
    QuestionData,
    true_false,
)
from courses.models import Course, Lesson, LessonKind
from lms.people.models import User
from tests.courses.factories import lessons_of, make_course

_names = itertools.count(1)


# --- question data -------------------------------------------------------------------------------


def single_choice(name: str | None = None, *, right: str = "b", points: float = 1.0) -> QuestionData:
    """Choices a, b, c, d; ``right`` is the correct one."""
    name = name or f"Question {next(_names)}"
    return QuestionData(
        SINGLE_CHOICE,
        name,
        f"Which is right in *{name}*?",
        points=points,
        general_feedback="Think about the sender.",
        choices=[Choice(c, f"Option {c.upper()}", 1.0 if c == right else 0.0, "Yes." if c == right else "No.") for c in "abcd"],
    )


def multiple_choice(name: str | None = None, *, right: tuple[str, ...] = ("a", "c")) -> QuestionData:
    name = name or f"Question {next(_names)}"
    share = 1.0 / len(right)
    return QuestionData(
        MULTIPLE_CHOICE,
        name,
        "Tick every right option.",
        choices=[Choice(c, f"Option {c.upper()}", share if c in right else -0.5) for c in "abcd"],
    )


def short_text(name: str | None = None, *, accepted: str = "phishing") -> QuestionData:
    return QuestionData(SHORT_TEXT, name or f"Question {next(_names)}", "Name the attack.", accepted=[accepted])


def numeric(name: str | None = None, *, value: float = 42.0, tolerance: float = 0.5) -> QuestionData:
    return QuestionData(NUMERIC, name or f"Question {next(_names)}", "How many?", numeric=[NumericAnswer(value, tolerance)])


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


# Distinctive strings that must never reach a learner's browser before the review policy allows.
SECRETS = {
    "single_feedback_right": "FBSINGLERIGHTxq1",
    "single_feedback_wrong": "FBSINGLEWRONGxq2",
    "multi_feedback": "FBMULTIxq3",
    "tf_feedback": "FBTRUEFALSExq4",
    "short_answer": "quokkaphrasezz",
    "short_feedback": "FBSHORTxq5",
    "numeric_value": "271828",
    "numeric_tolerance": "0.0173",
    "numeric_feedback": "FBNUMERICxq6",
    "general_feedback": "FBGENERALxq7",
}


def questions() -> list[QuestionData]:
    """One question of each kind, carrying SECRETS (the quiz page and no-leak tests)."""
    s = SECRETS
    return [
        QuestionData(
            "single_choice",
            "Capital",
            "Which city is the **capital**?",
            general_feedback=s["general_feedback"],
            choices=[
                Choice("a", "Paris", 1.0, s["single_feedback_right"]),
                Choice("b", "Lyon", 0.0, s["single_feedback_wrong"]),
                Choice("c", "Nice", 0.0, ""),
            ],
        ),
        QuestionData(
            "multiple_choice",
            "Safe habits",
            "Which are safe habits?",
            multiple_rule="partial",
            choices=[
                Choice("m1", "Use a password manager", 0.5, s["multi_feedback"]),
                Choice("m2", "Turn on two-step sign-in", 0.5, ""),
                Choice("m3", "Reuse one password", -0.3333333, ""),
            ],
        ),
        true_false("Phish", "A bank will never ask for your PIN by email.", True, feedback_true=s["tf_feedback"]),
        QuestionData(
            "short_text", "Word", "Type the secret phrase.", accepted=[AcceptedAnswer(s["short_answer"], 1.0, s["short_feedback"])]
        ),
        QuestionData(
            "numeric",
            "Number",
            "Give the number.",
            numeric=[NumericAnswer(float(s["numeric_value"]), float(s["numeric_tolerance"]), 1.0, s["numeric_feedback"])],
        ),
        QuestionData(
            "matching",
            "Pairs",
            "Match each tool to its use.",
            pairs=[
                MatchPair("p1", "Spreadsheet", "Tables of numbers"),
                MatchPair("p2", "Word processor", "Letters"),
                MatchPair("p3", "Browser", "Web pages"),
                MatchPair("d1", "", "Nothing at all"),
            ],
        ),
    ]


# --- the bank and quizzes -------------------------------------------------------------------------


def make_category(db: Session, name: str | None = None) -> QuestionCategory:
    """A new category through the bank service (names are unique); "Category <n>" without a name."""
    category = category_create(db, name=name or f"Category {next(_names)}", by=None)
    db.commit()
    db.refresh(category)
    return category


def make_question(
    db: Session,
    data: QuestionData | None = None,
    *,
    category: QuestionCategory | None = None,
    competence_id: int | None = None,
    level: int | None = None,
    archived: bool = False,
) -> Question:
    """A question through the bank service (so ``data`` is checked), in a new category unless given one."""
    category = category or make_category(db)
    question = question_create(db, category=category, data=data or single_choice(), by=None, competence_id=competence_id, level=level)
    question.archived = archived
    db.add(question)
    db.commit()
    db.refresh(question)
    return question


def make_quiz(
    db: Session,
    *,
    data: list[QuestionData] = (),
    questions: list[Question] = (),
    draws: list[tuple[QuestionCategory, int]] = (),
    course: Course | None = None,
    lesson: Lesson | None = None,
    editors: list[User] = (),
    status: str = "published",
    **settings,
) -> Quiz:
    """A committed quiz: one fixed slot per question of ``data`` (created in one new category), then per
    ``questions``, then one slot per (category, count) draw.

    Without ``lesson`` the quiz takes the last lesson of ``course`` (a new one-lesson course, with
    these ``editors`` and ``status``, if none) and turns it into a quiz lesson. ``settings`` are Quiz
    fields (pass_percent, time_limit_minutes...); choices are not shuffled unless asked.
    """
    if data:
        questions = _in_new_category(db, data) + list(questions)
    if lesson is None:
        course = course or make_course(
            db, title=f"Course {next(_names)}", editors=list(editors), status=status, modules=(("Check yourself",),)
        )
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
    """make_quiz(data=...) that also returns the questions it made, in slot order."""
    made = _in_new_category(db, data)
    return make_quiz(db, questions=made, **settings), made


def _in_new_category(db: Session, data: list[QuestionData]) -> list[Question]:
    category = make_category(db)
    return [make_question(db, item, category=category) for item in data]


def quiz_lesson(db: Session, quiz: Quiz) -> Lesson:
    return db.exec(select(Lesson).where(Lesson.id == quiz.lesson_id)).one()


# --- taking a quiz through the web ------------------------------------------------------------------

ATTEMPT_URL = re.compile(r"/attempts/(\d+)$")
SEQUENCE = re.compile(r'name="sequence" id="q-(\d+)-sequence" value="(\d+)"')


def start(browser, quiz: Quiz) -> int:
    """Start (or continue) an attempt through the web; returns its id."""
    response = browser.post(f"/quizzes/{quiz.id}/start")
    assert response.status_code == 303, response.text
    match = ATTEMPT_URL.search(response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def slot_of(db: Session, attempt_id: int, kind: str) -> int:
    """The slot of the attempt's question of this kind."""
    db.expire_all()
    attempt = db.get(Attempt, attempt_id)
    return next(i for i, e in enumerate(attempt.layout) if e["question"]["kind"] == kind)


def sequences(html: str) -> dict[int, int]:
    """{slot: sequence} of the answer forms on a page."""
    return {int(slot): int(value) for slot, value in SEQUENCE.findall(html)}
