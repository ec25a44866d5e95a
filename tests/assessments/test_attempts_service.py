"""The attempt engine, through its service functions, on both engines: starting an attempt and saving answers."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select as sa_select

from assessments.attempts.service import (
    AttemptClosed,
    AttemptError,
    StaleAnswer,
    attempt_start,
    attempt_submit,
    response_save,
)
from assessments.attempts.selectors import attempt_for
from assessments.models import Attempt, Response
from tests.assessments.factories import (
    make_category,
    make_question,
    make_quiz,
    quiz_of,
    single_choice,
)
from tests.lms.competences.factories import make_competences
from tests.assessments.attempt_support import evidence_of, expire_deadline, fresh


# --- starting ---------------------------------------------------------------------------------------


def test_start_is_idempotent_and_keeps_one_attempt_in_progress(db, make_user):
    learner, other = make_user(), make_user()
    quiz, _ = quiz_of(db, [single_choice(), single_choice()])
    first = attempt_start(db, quiz=quiz, user=learner)
    db.commit()
    again = attempt_start(db, quiz=quiz, user=learner)
    db.commit()
    assert again.id == first.id and first.number == 1
    assert attempt_for(db, attempt_id=first.id, user=learner).id == first.id
    assert attempt_for(db, attempt_id=first.id, user=other) is None
    assert db.exec(sa_select(func.count()).select_from(Attempt)).scalar_one() == 1


def test_attempts_allowed_is_respected(db, make_user):
    learner = make_user()
    quiz, _ = quiz_of(db, [single_choice()], attempts_allowed=2)
    for number in (1, 2):
        attempt = attempt_start(db, quiz=quiz, user=learner)
        assert attempt.number == number
        attempt_submit(db, attempt=attempt)
        db.commit()
    with pytest.raises(AttemptError, match="all the attempts"):
        attempt_start(db, quiz=quiz, user=learner)


def test_layout_draws_without_duplicates_skips_archived_and_shuffles_reproducibly(db, make_user):
    learners = [make_user() for _ in range(3)]
    bank = make_category(db)
    fixed = make_question(db, single_choice("Fixed one"), category=bank)
    pool = [make_question(db, single_choice(f"Pool {i}"), category=bank) for i in range(5)]
    archived = make_question(db, single_choice("Old one"), category=bank, archived=True)
    quiz = make_quiz(db, questions=[fixed], draws=[(bank, 5)], shuffle_questions=True, shuffle_choices=True)

    layouts = [attempt_start(db, quiz=quiz, user=u, rng=random.Random(7)).layout for u in learners[:2]]
    db.commit()
    ids = [entry["question_id"] for entry in layouts[0]]
    # The fixed question is never drawn a second time, and the archived one never at all.
    assert sorted(ids) == sorted([fixed.id, *(q.id for q in pool)])
    assert archived.id not in ids
    assert layouts[0] == layouts[1], "the same seed gives the same layout"
    for entry in layouts[0]:
        assert sorted(entry["choice_order"]) == ["a", "b", "c", "d"]
        assert entry["question"] == next(q for q in [fixed, *pool] if q.id == entry["question_id"]).data
    different = attempt_start(db, quiz=quiz, user=learners[2], rng=random.Random(8)).layout
    assert different != layouts[0], "another seed shuffles differently"


def test_too_few_questions_to_draw_is_refused(db, make_user):
    learner = make_user()
    bank = make_category(db)
    make_question(db, category=bank)
    make_question(db, category=bank, archived=True)
    quiz = make_quiz(db, draws=[(bank, 2)])
    with pytest.raises(AttemptError, match="too few questions"):
        attempt_start(db, quiz=quiz, user=learner)
    db.rollback()
    assert db.exec(sa_select(func.count()).select_from(Attempt)).scalar_one() == 0


def test_editing_the_quiz_or_question_later_changes_nothing_in_the_attempt(db, make_user):
    learner = make_user()
    [skill] = make_competences(db, "4.1")
    data = single_choice(right="b")
    quiz, [question] = quiz_of(db, [data], pass_percent=50, proves_competence_id=skill.id, proves_level=3)
    attempt = attempt_start(db, quiz=quiz, user=learner)
    db.commit()
    # The trainer tightens the quiz and changes the right answer after the learner started.
    quiz.pass_percent, quiz.proves_level = 100, 6
    db.add(quiz)
    question.data = single_choice(question.name, right="d").to_dict()
    db.add(question)
    db.commit()
    response_save(db, attempt=attempt, slot=0, answer={"choice": "b"}, sequence=0)
    attempt_submit(db, attempt=attempt)
    db.commit()
    assert attempt.passed and attempt.percent == 100
    assert attempt.layout[0]["question"] == data.to_dict()
    assert [(e.competence_id, e.level) for e in evidence_of(db, learner)] == [(skill.id, 3)]


# --- saving ----------------------------------------------------------------------------------------


def test_saves_compare_and_set_on_the_sequence_number(db, make_user):
    learner = make_user()
    quiz, _ = quiz_of(db, [single_choice(), single_choice()])
    attempt = attempt_start(db, quiz=quiz, user=learner)
    db.commit()
    saved = response_save(db, attempt=attempt, slot=0, answer={"choice": "a"}, sequence=0)
    db.commit()
    assert saved.sequence == 1 and not saved.flagged
    newer = response_save(db, attempt=attempt, slot=0, answer={"choice": "b"}, sequence=1, flagged=True)
    db.commit()
    assert newer.sequence == 2 and newer.flagged

    # A tab that still shows sequence 1 must not overwrite the newer answer.
    with pytest.raises(StaleAnswer) as stale:
        response_save(db, attempt=attempt, slot=0, answer={"choice": "c"}, sequence=1)
    db.commit()
    assert stale.value.current_sequence == 2
    stored = fresh(db, Response, (attempt.id, 0))
    assert stored.answer == {"choice": "b"} and stored.sequence == 2 and stored.flagged
    with pytest.raises(StaleAnswer) as ahead:
        response_save(db, attempt=attempt, slot=1, answer={"choice": "c"}, sequence=3)
    assert ahead.value.current_sequence == 0

    # The same answer sent again with the number the page had before its autosave came back is not
    # a conflict: nothing would be lost, so it is accepted without counting as a new save.
    same = response_save(db, attempt=attempt, slot=0, answer={"choice": "b"}, sequence=1)
    assert same.sequence == 2 and same.answer == {"choice": "b"}
    with pytest.raises(StaleAnswer):
        response_save(db, attempt=attempt, slot=0, answer={"choice": "b"}, sequence=1, flagged=False)
    db.rollback()

    # flagged=None leaves the flag alone; unflagging is explicit.
    kept = response_save(db, attempt=attempt, slot=0, answer={"choice": "d"}, sequence=2)
    assert kept.flagged
    unflagged = response_save(db, attempt=attempt, slot=0, answer={"choice": "d"}, sequence=3, flagged=False)
    db.commit()
    assert not unflagged.flagged and unflagged.sequence == 4
    with pytest.raises(AttemptError):
        response_save(db, attempt=attempt, slot=2, answer={"choice": "a"}, sequence=0)


def test_no_saves_after_submitting(db, make_user):
    learner = make_user()
    quiz, _ = quiz_of(db, [single_choice()])
    attempt = attempt_start(db, quiz=quiz, user=learner)
    response_save(db, attempt=attempt, slot=0, answer={"choice": "a"}, sequence=0)
    attempt_submit(db, attempt=attempt)
    db.commit()
    with pytest.raises(AttemptClosed):
        response_save(db, attempt=attempt, slot=0, answer={"choice": "b"}, sequence=1)
    assert fresh(db, Response, (attempt.id, 0)).answer == {"choice": "a"}


def test_after_the_deadline_saves_are_refused_and_the_attempt_is_submitted_with_saved_answers(db, make_user):
    learner = make_user()
    first, second = single_choice(right="a"), single_choice(right="a")
    quiz, _ = quiz_of(db, [first, second], time_limit_minutes=10, pass_percent=50)
    attempt = attempt_start(db, quiz=quiz, user=learner)
    assert attempt.deadline_at is not None
    response_save(db, attempt=attempt, slot=0, answer={"choice": "a"}, sequence=0)
    db.commit()
    expire_deadline(db, attempt)

    with pytest.raises(AttemptClosed, match="Time is up"):
        response_save(db, attempt=attempt, slot=1, answer={"choice": "a"}, sequence=0)
    db.commit()
    stored = fresh(db, Attempt, attempt.id)
    assert stored.state == "submitted" and stored.score == 1 and stored.max_score == 2 and stored.passed
    assert fresh(db, Response, (attempt.id, 1)).answer == {}
