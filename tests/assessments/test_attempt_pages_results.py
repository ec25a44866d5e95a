"""Results, review policies, deadlines and what a pass records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from assessments.models import Attempt, Response
from courses.models import Lesson, LessonProgress
from lms.clock import utcnow
from lms.competences.models import Evidence
from tests.assessments.factories import make_quiz, questions, start
from tests.lms.competences.factories import competence, load_digcomp

HX = {"HX-Request": "true"}
TWO = questions()[:2]  # single choice (a is right), multiple choice (m1 + m2 are right)


def _take(browser, quiz, *, right: bool) -> int:
    attempt_id = start(browser, quiz)
    browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a" if right else "b"})
    browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "0", "choices": ["m1", "m2"] if right else ["m3"]})
    assert browser.post(f"/attempts/{attempt_id}/submit").status_code == 303
    return attempt_id


@pytest.mark.parametrize(
    "policy, right, score, answers",
    [
        ("score_only", True, True, False),
        ("after_submit", False, True, True),
        ("after_passing", False, True, False),
        ("after_passing", True, True, True),
        ("never", True, False, False),
    ],
)
def test_the_result_shows_what_the_review_policy_allows(db, signed_in, policy, right, score, answers):
    quiz = make_quiz(db, data=TWO, review_policy=policy)
    browser, _ = signed_in()
    attempt_id = _take(browser, quiz, right=right)
    result = browser.get(f"/attempts/{attempt_id}/result").text
    assert ("You scored" in result) is score
    assert ("Your answers" in result) is answers
    assert ("a right answer" in result) is answers
    if not score:
        assert "does not show scores" in result and "%" not in result.split("<main")[1]
    intro = browser.get(f"/quizzes/{quiz.id}").text
    assert ("Not shown" in intro) is (not score)


def test_passing_completes_the_lesson_and_records_quiz_evidence(db, signed_in):
    load_digcomp(db)
    safety = competence(db, "4.1")
    quiz = make_quiz(db, data=TWO, proves_competence_id=safety.id, proves_level=3, pass_percent=100)
    browser, me = signed_in()
    failed = _take(browser, quiz, right=False)
    assert "You did not pass" in browser.get(f"/attempts/{failed}/result").text
    assert db.exec(select(Evidence).where(Evidence.user_id == me.id)).all() == []

    passed = _take(browser, quiz, right=True)
    result = browser.get(f"/attempts/{passed}/result").text
    assert "You passed" in result and "/skills" in result
    evidence = db.exec(select(Evidence).where(Evidence.user_id == me.id)).all()
    assert [(e.source, e.level, e.competence_id) for e in evidence] == [("quiz", 3, safety.id)]
    progress = db.get(LessonProgress, (me.id, quiz.lesson_id))
    assert progress is not None and progress.completed_at is not None
    lesson = db.get(Lesson, quiz.lesson_id)
    assert "Lesson completed" in browser.get(f"/courses/{lesson.course_id}/lessons/{lesson.id}").text
    skill = browser.get(f"/skills/{safety.id}").text
    assert "Quiz" in skill and "Passed with 100%" in skill


def test_after_the_deadline_saves_are_refused_and_the_attempt_is_submitted(db, signed_in):
    quiz = make_quiz(db, data=TWO, time_limit_minutes=10)
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    page = browser.get(f"/attempts/{attempt_id}").text
    assert "Time left: 9 minutes" in page or "Time left: 10 minutes" in page
    browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a"})
    attempt = db.get(Attempt, attempt_id)
    attempt.deadline_at = utcnow() - timedelta(seconds=5)
    db.add(attempt)
    db.commit()

    late = browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "0", "choices": ["m1", "m2"]}, headers=HX)
    assert late.status_code == 409 and "Time is up" in late.text and f"/attempts/{attempt_id}/result" in late.text
    db.expire_all()
    attempt = db.get(Attempt, attempt_id)
    assert attempt.state == "submitted" and attempt.score == 1 and attempt.max_score == 2
    assert db.get(Response, (attempt_id, 1)).answer == {}
    assert browser.get(f"/attempts/{attempt_id}").headers["location"] == f"/attempts/{attempt_id}/result"
    assert "You scored 1 out of 2" in browser.get(f"/attempts/{attempt_id}/result").text


def test_an_overdue_attempt_is_submitted_when_the_learner_returns(db, signed_in):
    quiz = make_quiz(db, data=TWO, time_limit_minutes=5)
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "0", "choices": ["m1", "m2"]})
    attempt = db.get(Attempt, attempt_id)
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.add(attempt)
    db.commit()
    back = browser.get(f"/attempts/{attempt_id}/summary")
    assert back.status_code == 303 and back.headers["location"] == f"/attempts/{attempt_id}/result"
    assert "Time is up" in browser.get(back.headers["location"]).text
    db.expire_all()
    assert db.get(Attempt, attempt_id).score == 1
