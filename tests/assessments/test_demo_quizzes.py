"""`lms demo` gives every demo course a quiz, a DigComp Safety diagnostic, and attempts in every state."""

from __future__ import annotations

import pytest
from sqlmodel import select

from assessments.models import Attempt, Question, Quiz, QuizSlot
from courses.models import Course, Lesson
from lms.competences.models import Competence, Evidence
from lms.competences.service import statuses_rebuild
from lms.people.selectors import user_by_email


@pytest.mark.demo
def test_demo_quizzes_questions_and_attempts(db):
    quizzes = {q.lesson_id: q for q in db.exec(select(Quiz)).all()}
    lessons = {lesson.id: lesson for lesson in db.exec(select(Lesson).where(Lesson.id.in_(quizzes))).all()}
    by_course: dict[int, list[Quiz]] = {}
    for lesson_id, quiz in quizzes.items():
        assert lessons[lesson_id].kind == "quiz"
        by_course.setdefault(lessons[lesson_id].course_id, []).append(quiz)

    def questions(quiz: Quiz) -> list[Question]:
        ids = db.exec(select(QuizSlot.question_id).where(QuizSlot.quiz_id == quiz.id)).all()
        return db.exec(select(Question).where(Question.id.in_(ids))).all()

    published = db.exec(select(Course).where(Course.status == "published")).all()
    assert len(published) >= 6
    kinds = set()
    for course in published:
        proving = [q for q in by_course.get(course.id, []) if not q.diagnostic]
        assert len(proving) == 1, course.title
        quiz = proving[0]
        assert 70 <= quiz.pass_percent <= 80 and quiz.attempts_allowed == 3
        assert quiz.proves_competence_id and quiz.proves_level
        asked = questions(quiz)
        assert len(asked) >= 4, course.title
        assert all(q.competence_id for q in asked)
        kinds |= {q.kind for q in asked}
    assert kinds == {"single_choice", "multiple_choice", "true_false", "short_text", "numeric", "matching"}
    settings = [q for q in quizzes.values() if not q.diagnostic]
    assert any(q.time_limit_minutes == 20 for q in settings)
    assert {q.review_policy for q in settings} >= {"after_submit", "after_passing"}

    diagnostics = [q for q in quizzes.values() if q.diagnostic]
    assert len(diagnostics) == 1
    code_of = dict(db.exec(select(Competence.id, Competence.code)).all())
    codes = [code_of[q.competence_id] for q in questions(diagnostics[0])]
    assert sorted(set(codes)) == ["4.1", "4.2", "4.3", "4.4"]
    assert all(codes.count(code) >= 2 for code in set(codes))

    attempts = db.exec(select(Attempt)).all()
    submitted = [a for a in attempts if a.state == "submitted"]
    assert any(a.passed for a in submitted) and any(a.passed is False for a in submitted)
    assert any(a.state == "in_progress" for a in attempts)
    assert any(a.quiz_id == diagnostics[0].id for a in submitted)
    # Passing left quiz evidence, dated when the attempt was submitted.
    quiz_evidence = db.exec(select(Evidence).where(Evidence.source == "quiz")).all()
    assert quiz_evidence and all(e.reference.startswith("attempt:") for e in quiz_evidence)

    employee = user_by_email(db, "employee@example.gov")
    mine = [a for a in attempts if a.user_id == employee.id]
    assert {a.state for a in mine} == {"submitted", "in_progress"}
    assert any(a.passed for a in mine)
    timed = next(q for q in settings if q.time_limit_minutes)
    assert not [a for a in mine if a.quiz_id == timed.id], "the browser test takes the timed quiz afresh"

    assert statuses_rebuild(db, fix=False).drift == []
