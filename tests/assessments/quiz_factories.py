"""Building quizzes and their questions quickly for the quiz authoring and attempt page tests."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from assessments.models import Attempt, Question, QuestionCategory, Quiz, QuizSlot
from assessments.questions import (
    AcceptedAnswer, Choice, MatchPair, NumericAnswer, QuestionData, true_false,
)
from courses.models import Course, Lesson, LessonKind, Module
from tests.courses.factories import make_course

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
    s = SECRETS
    return [
        QuestionData("single_choice", "Capital", "Which city is the **capital**?",
                     general_feedback=s["general_feedback"],
                     choices=[Choice("a", "Paris", 1.0, s["single_feedback_right"]),
                              Choice("b", "Lyon", 0.0, s["single_feedback_wrong"]),
                              Choice("c", "Nice", 0.0, "")]),
        QuestionData("multiple_choice", "Safe habits", "Which are safe habits?", multiple_rule="partial",
                     choices=[Choice("m1", "Use a password manager", 0.5, s["multi_feedback"]),
                              Choice("m2", "Turn on two-step sign-in", 0.5, ""),
                              Choice("m3", "Reuse one password", -0.3333333, "")]),
        true_false("Phish", "A bank will never ask for your PIN by email.", True, feedback_true=s["tf_feedback"]),
        QuestionData("short_text", "Word", "Type the secret phrase.",
                     accepted=[AcceptedAnswer(s["short_answer"], 1.0, s["short_feedback"])]),
        QuestionData("numeric", "Number", "Give the number.",
                     numeric=[NumericAnswer(float(s["numeric_value"]), float(s["numeric_tolerance"]), 1.0,
                                            s["numeric_feedback"])]),
        QuestionData("matching", "Pairs", "Match each tool to its use.",
                     pairs=[MatchPair("p1", "Spreadsheet", "Tables of numbers"),
                            MatchPair("p2", "Word processor", "Letters"),
                            MatchPair("p3", "Browser", "Web pages"),
                            MatchPair("d1", "", "Nothing at all")]),
    ]


def make_category(db: Session, name: str = "General") -> QuestionCategory:
    category = db.exec(select(QuestionCategory).where(QuestionCategory.name == name)).first()
    if category is None:
        category = QuestionCategory(name=name)
        db.add(category)
        db.commit()
        db.refresh(category)
    return category


def make_question(db: Session, data: QuestionData, *, category: QuestionCategory | None = None,
                  competence_id: int | None = None) -> Question:
    category = category or make_category(db)
    question = Question(category_id=category.id, kind=data.kind, name=data.name, data=data.to_dict(),
                        competence_id=competence_id)
    db.add(question)
    db.commit()
    db.refresh(question)
    return question


def make_quiz(db: Session, *, course: Course | None = None, editors=(), data: list[QuestionData] | None = None,
              status: str = "published", **settings) -> Quiz:
    """A course whose only module ends with a quiz lesson holding ``data`` (default: one of each kind)."""
    course = course or make_course(db, editors=list(editors), status=status)
    module = db.exec(select(Module).where(Module.course_id == course.id)).first()
    lesson = Lesson(course_id=course.id, module_id=module.id, title="Check your knowledge",
                    kind=LessonKind.QUIZ.value, position=99)
    db.add(lesson)
    db.flush()
    quiz = Quiz(lesson_id=lesson.id, **{"shuffle_choices": False, **settings})
    db.add(quiz)
    db.flush()
    for position, item in enumerate(questions() if data is None else data):
        question = make_question(db, item)
        db.add(QuizSlot(quiz_id=quiz.id, position=position, question_id=question.id))
    db.commit()
    db.refresh(quiz)
    return quiz


ATTEMPT_URL = re.compile(r"/attempts/(\d+)$")


def start(browser, quiz: Quiz) -> int:
    """Start (or continue) an attempt through the web; returns its id."""
    response = browser.post(f"/quizzes/{quiz.id}/start")
    assert response.status_code == 303, response.text
    match = ATTEMPT_URL.search(response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def slot_of(db: Session, attempt_id: int, kind: str) -> int:
    db.expire_all()
    attempt = db.get(Attempt, attempt_id)
    return next(i for i, e in enumerate(attempt.layout) if e["question"]["kind"] == kind)


SEQUENCE = re.compile(r'name="sequence" id="q-(\d+)-sequence" value="(\d+)"')


def sequences(html: str) -> dict[int, int]:
    return {int(slot): int(value) for slot, value in SEQUENCE.findall(html)}
