"""The attempt engine, through its service functions, on both engines: submitting, grading, evidence and the sweep."""

from __future__ import annotations


import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from assessments.attempts.service import (
    attempt_start,
    attempt_submit,
    attempts_sweep,
    response_save,
)
from assessments.models import Attempt, Question, Response
from courses.models import Enrolment, Lesson, LessonKind, LessonProgress
from lms.competences.models import CompetenceStatus
from lms.competences.service import CompetenceError
from tests.assessments.factories import (
    answer,
    make_category,
    make_question,
    make_quiz,
    multiple_choice,
    numeric,
    quiz_lesson,
    quiz_of,
    short_text,
    single_choice,
    true_or_false,
)
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import make_competences
from tests.assessments.attempt_support import evidence_of, expire_deadline, fresh


# --- submitting and grading -------------------------------------------------------------------------


def test_grading_totals_percent_and_pass_mark(db, make_user):
    learner = make_user()
    questions = [single_choice(points=2), multiple_choice(), short_text(), numeric(), true_or_false()]
    quiz, _ = quiz_of(db, questions, pass_percent=60)
    attempt = attempt_start(db, quiz=quiz, user=learner)
    for slot, (data, right) in enumerate(zip(questions, [True, True, True, False, False], strict=True)):
        response_save(db, attempt=attempt, slot=slot, answer=answer(data, right=right), sequence=0)
    attempt_submit(db, attempt=attempt)
    db.commit()
    stored = fresh(db, Attempt, attempt.id)
    assert (stored.score, stored.max_score, stored.percent, stored.passed) == (4, 6, 66.67, True)
    points = [fresh(db, Response, (attempt.id, s)).points for s in range(5)]
    assert points == [2, 1, 1, 0, 0]
    assert fresh(db, Response, (attempt.id, 0)).feedback  # kept for review, shown only as the policy allows


def test_submit_twice_grades_once(db, make_user):
    learner = make_user()
    [skill] = make_competences(db, "4.2")
    data = single_choice()
    quiz, _ = quiz_of(db, [data], proves_competence_id=skill.id, proves_level=2)
    attempt = attempt_start(db, quiz=quiz, user=learner)
    response_save(db, attempt=attempt, slot=0, answer=answer(data), sequence=0)
    first = attempt_submit(db, attempt=attempt)
    db.commit()
    submitted_at = first.submitted_at
    # Even if the stored answer were changed behind its back, a second submit does not regrade.
    db.exec(update(Response).where(Response.attempt_id == attempt.id).values(answer={"choice": "a"}))
    db.commit()
    db.expire_all()
    second = attempt_submit(db, attempt=db.get(Attempt, attempt.id))
    db.commit()
    assert second.score == 1 and second.submitted_at == submitted_at
    assert len(evidence_of(db, learner)) == 1


def test_quiz_evidence_only_on_a_pass_with_the_quizs_competence_and_level(db, make_user):
    passer, failer = make_user(), make_user()
    [skill] = make_competences(db, "4.3")
    data = single_choice()
    quiz, _ = quiz_of(db, [data], proves_competence_id=skill.id, proves_level=4)
    for learner, right in ((passer, True), (failer, False)):
        attempt = attempt_start(db, quiz=quiz, user=learner)
        response_save(db, attempt=attempt, slot=0, answer=answer(data, right=right), sequence=0)
        attempt_submit(db, attempt=attempt)
        db.commit()
    [evidence] = evidence_of(db, passer)
    assert (evidence.competence_id, evidence.level, evidence.source) == (skill.id, 4, "quiz")
    assert fresh(db, CompetenceStatus, (passer.id, skill.id)).verified_level == 4
    assert evidence_of(db, failer) == []


def test_diagnostic_quiz_records_one_level_per_competence_by_bands(db, make_user):
    learner = make_user()
    safe, privacy, health = make_competences(db, "4.1", "4.2", "4.3")
    bank = make_category(db)
    questions, answers = [], []
    # 4.1: 2/2 right (100%), 4.2: 1/2 (50%), 4.3: 0/2 (0%).
    for competence, rights in ((safe, (True, True)), (privacy, (True, False)), (health, (False, False))):
        for right in rights:
            data = single_choice()
            questions.append(make_question(db, data, category=bank, competence_id=competence.id))
            answers.append(answer(data, right=right))
    quiz = make_quiz(db, questions=questions, diagnostic=True, pass_percent=0, diagnostic_bands=[[50, 2], [90, 5], [0.01, 1]])
    attempt = attempt_start(db, quiz=quiz, user=learner)
    for slot, response in enumerate(answers):
        response_save(db, attempt=attempt, slot=slot, answer=response, sequence=0)
    attempt_submit(db, attempt=attempt)
    db.commit()
    levels = {e.competence_id: (e.level, e.source) for e in evidence_of(db, learner)}
    assert levels == {safe.id: (5, "quiz"), privacy.id: (2, "quiz")}


def test_passing_completes_the_lesson_and_a_course_whose_last_required_lesson_it_was(db, make_user):
    learner = make_user()
    course = make_course(db, modules=(("Reading", "Check yourself"),))
    reading, quiz_page = lessons_of(db, course)
    data = single_choice()
    quiz = make_quiz(db, questions=[make_question(db, data)], lesson=quiz_page)
    assert quiz_lesson(db, quiz).kind == LessonKind.QUIZ.value

    def take(right: bool) -> Attempt:
        attempt = attempt_start(db, quiz=quiz, user=learner)
        response_save(db, attempt=attempt, slot=0, answer=answer(data, right=right), sequence=0)
        attempt_submit(db, attempt=attempt)
        db.commit()
        return attempt

    assert not take(False).passed
    assert fresh(db, LessonProgress, (learner.id, quiz_page.id)) is None
    assert take(True).passed
    assert fresh(db, LessonProgress, (learner.id, quiz_page.id)).completed_at is not None
    enrolment = db.exec(select(Enrolment).where(Enrolment.user_id == learner.id)).one()
    assert enrolment.completed_at is None, "the reading lesson is still to do"

    # Now the other way round: the quiz is the last required lesson left.
    other = make_user()
    from courses.learning.service import lesson_complete

    lesson_complete(db, user=other, lesson=db.get(Lesson, reading.id))
    db.commit()
    attempt = attempt_start(db, quiz=quiz, user=other)
    response_save(db, attempt=attempt, slot=0, answer=answer(data), sequence=0)
    attempt_submit(db, attempt=attempt)
    db.commit()
    with Session(db.get_bind()) as check:
        done = check.exec(select(Enrolment).where(Enrolment.user_id == other.id)).one()
    assert done.status == "completed" and done.completed_at is not None


def test_a_failure_while_grading_rolls_back_everything(db, make_user):
    learner = make_user()
    [skill] = make_competences(db, "4.4")
    data = single_choice()
    # Level 9 is outside the scale, so recording the evidence fails after scoring and progress began.
    quiz, _ = quiz_of(db, [data], proves_competence_id=skill.id, proves_level=9)
    attempt = attempt_start(db, quiz=quiz, user=learner)
    response_save(db, attempt=attempt, slot=0, answer=answer(data), sequence=0)
    db.commit()
    with pytest.raises(CompetenceError, match="level"):
        attempt_submit(db, attempt=attempt)
    # Even a caller that carries on and commits must not leave a half-graded attempt behind.
    db.commit()
    stored = fresh(db, Attempt, attempt.id)
    assert stored.state == "in_progress" and stored.submitted_at is None and stored.score is None
    assert fresh(db, Response, (attempt.id, 0)).points is None
    assert evidence_of(db, learner) == []
    assert fresh(db, LessonProgress, (learner.id, quiz.lesson_id)) is None
    # And the answer is still there to be graded once the quiz is fixed.
    response = response_save(db, attempt=fresh(db, Attempt, attempt.id), slot=0, answer=answer(data), sequence=1)
    assert response.sequence == 2


def test_the_sweep_submits_only_overdue_attempts_and_survives_a_broken_one(db, make_user):
    learners = [make_user() for _ in range(4)]
    data = single_choice()
    timed, _ = quiz_of(db, [data], time_limit_minutes=5)
    untimed, _ = quiz_of(db, [data])
    [skill] = make_competences(db, "4.1")
    broken, _ = quiz_of(db, [data], time_limit_minutes=5, proves_competence_id=skill.id, proves_level=9)
    overdue = attempt_start(db, quiz=timed, user=learners[0])
    response_save(db, attempt=overdue, slot=0, answer=answer(data), sequence=0)
    running = attempt_start(db, quiz=timed, user=learners[1])
    forever = attempt_start(db, quiz=untimed, user=learners[2])
    failing = attempt_start(db, quiz=broken, user=learners[3])
    response_save(db, attempt=failing, slot=0, answer=answer(data), sequence=0)
    db.commit()
    expire_deadline(db, overdue)
    expire_deadline(db, failing)

    assert attempts_sweep(db) == 1
    db.commit()
    states = {a.id: fresh(db, Attempt, a.id).state for a in (overdue, running, forever, failing)}
    assert states == {overdue.id: "submitted", running.id: "in_progress", forever.id: "in_progress", failing.id: "in_progress"}
    assert fresh(db, Attempt, overdue.id).score == 1
    assert attempts_sweep(db) == 0


def test_archiving_a_question_later_leaves_running_attempts_alone(db, make_user):
    learner = make_user()
    quiz, [question] = quiz_of(db, [single_choice("Original")])
    attempt = attempt_start(db, quiz=quiz, user=learner)
    db.commit()
    db.exec(update(Question).where(Question.id == question.id).values(archived=True))
    db.commit()
    assert fresh(db, Attempt, attempt.id).layout[0]["question"]["name"] == "Original"


def test_lms_quizzes_sweep_submits_overdue_attempts_and_says_how_many(db, db_url, make_user):
    from typer.testing import CliRunner

    from lms.cli import app as lms_app
    from lms.config import get_settings

    data = single_choice()
    quiz, _ = quiz_of(db, [data], time_limit_minutes=5)
    overdue = [attempt_start(db, quiz=quiz, user=make_user()) for _ in range(2)]
    running = attempt_start(db, quiz=quiz, user=make_user())
    db.commit()
    for attempt in overdue:
        expire_deadline(db, attempt)

    def sweep():
        result = CliRunner().invoke(
            lms_app,
            ["quizzes", "sweep"],
            env={"DATABASE_URL": db_url, "SECRET_KEY": "cli-test-secret-" + "x" * 32, "PROFICIO_ENV": "development"},
        )
        get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        return result.stdout.strip()

    assert sweep() == "Submitted 2 overdue attempts."
    assert [fresh(db, Attempt, a.id).state for a in (*overdue, running)] == ["submitted", "submitted", "in_progress"]
    assert sweep() == "Submitted 0 overdue attempts."
