"""Two requests at the same moment, as two tabs or a double click make them: real threads, each with
its own engine and session on the same database (a file for SQLite), lined up with a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, select

from assessments.attempts.service import StaleAnswer, attempt_start, attempt_submit, response_save
from assessments.models import Attempt, Quiz, Response
from courses.models import Enrolment, LessonProgress
from lms.competences.models import Evidence
from lms.db import make_engine
from lms.people.models import User
from tests.assessments.factories import answer, quiz_of, single_choice
from tests.lms.competences.factories import make_competences

ROUNDS = 3


def race(db_url: str, prepare: Callable[[Session], Any], act: Callable[[Session, Any], Any], n: int = 2) -> list:
    """Run ``act`` in ``n`` threads at once, each on what its own ``prepare`` loaded; each commits
    (or rolls back on error). Returns each thread's result or exception."""
    barrier = threading.Barrier(n, timeout=20)
    results: list[Any] = [None] * n

    def worker(index: int) -> None:
        engine = make_engine(db_url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                loaded = prepare(session)
                session.commit()  # end the read, so neither thread holds an old snapshot
                barrier.wait()
                try:
                    results[index] = act(session, loaded)
                    session.commit()
                except Exception as exc:  # noqa: BLE001 - reported to the test, which decides
                    session.rollback()
                    results[index] = exc
        except Exception as exc:  # noqa: BLE001 - opening the session failed: reported to the test too
            results[index] = exc
        finally:
            engine.dispose()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a request hung"
    return results


def count(db: Session, stmt) -> int:
    return db.exec(stmt).scalar_one()


def test_two_starts_at_once_make_one_attempt(db_url, db, make_user):
    quiz, _ = quiz_of(db, [single_choice(), single_choice(), single_choice()])
    for _ in range(ROUNDS):
        learner = make_user()
        results = race(
            db_url,
            lambda s, learner_id=learner.id: (s.get(Quiz, quiz.id), s.get(User, learner_id)),
            lambda s, qu: attempt_start(s, quiz=qu[0], user=qu[1]).id,
        )
        assert all(isinstance(r, int) for r in results), results
        assert results[0] == results[1], "both requests must land on the same attempt"
        assert count(db, sa_select(func.count()).select_from(Attempt).where(Attempt.user_id == learner.id)) == 1


def test_two_submits_at_once_grade_once(db_url, db, make_user):
    [skill] = make_competences(db, "4.2")
    data = single_choice()
    quiz, _ = quiz_of(db, [data], proves_competence_id=skill.id, proves_level=3)
    for _ in range(ROUNDS):
        learner = make_user()
        attempt = attempt_start(db, quiz=quiz, user=learner)
        response_save(db, attempt=attempt, slot=0, answer=answer(data), sequence=0)
        db.commit()

        def submit(session: Session, loaded: Attempt):
            done = attempt_submit(session, attempt=loaded)
            return done.state, done.score, done.submitted_at

        results = race(db_url, lambda s, attempt_id=attempt.id: s.get(Attempt, attempt_id), submit)
        assert not [r for r in results if isinstance(r, Exception)], results
        assert results[0] == results[1] == (results[0][0], 1.0, results[0][2]) and results[0][0] == "submitted"
        db.expire_all()
        assert count(db, sa_select(func.count()).select_from(Evidence).where(Evidence.user_id == learner.id)) == 1
        progress = db.get(LessonProgress, (learner.id, quiz.lesson_id))
        assert progress is not None and progress.completed_at is not None
        enrolment = db.exec(select(Enrolment).where(Enrolment.user_id == learner.id)).one()
        assert enrolment.status == "completed"


def test_two_saves_with_the_same_sequence_only_one_wins(db_url, db, make_user):
    quiz, _ = quiz_of(db, [single_choice(), single_choice()])
    for round_ in range(ROUNDS):
        learner = make_user()
        attempt = attempt_start(db, quiz=quiz, user=learner)
        # Slot 1 already has an answer (sequence 1): the update path. Slot 0 has none: the insert path.
        response_save(db, attempt=attempt, slot=1, answer={"choice": "a"}, sequence=0)
        db.commit()
        for slot, sequence in ((0, 0), (1, 1)):
            choices = iter(["b", "c"])
            lock = threading.Lock()

            def save(session: Session, loaded: Attempt, slot=slot, sequence=sequence, lock=lock, choices=choices):
                with lock:
                    choice = next(choices)
                try:
                    response_save(session, attempt=loaded, slot=slot, answer={"choice": choice}, sequence=sequence)
                except StaleAnswer as exc:
                    return ("stale", choice, exc.current_sequence)
                return ("saved", choice, None)

            results = race(db_url, lambda s, attempt_id=attempt.id: s.get(Attempt, attempt_id), save)
            assert not [r for r in results if isinstance(r, Exception)], results
            outcomes = sorted(r[0] for r in results)
            assert outcomes == ["saved", "stale"], (round_, slot, results)
            winner = next(r for r in results if r[0] == "saved")
            loser = next(r for r in results if r[0] == "stale")
            assert loser[2] == sequence + 1, "the loser is told the current sequence"
            db.expire_all()
            stored = db.get(Response, (attempt.id, slot))
            assert stored.answer == {"choice": winner[1]} and stored.sequence == sequence + 1


def test_a_save_racing_a_submit_is_either_graded_or_refused(db_url, db, make_user):
    """Never the third outcome: a save acknowledged after grading, so the stored answer is not the one graded."""
    from assessments.attempts.service import AttemptClosed

    data = single_choice()
    quiz, _ = quiz_of(db, [data])
    for _ in range(ROUNDS + 2):
        learner = make_user()
        attempt = attempt_start(db, quiz=quiz, user=learner)
        response_save(db, attempt=attempt, slot=0, answer=answer(data, right=False), sequence=0)
        db.commit()

        def act(session: Session, loaded: tuple[Attempt, str]):
            attempt_row, role = loaded
            if role == "submit":
                attempt_submit(session, attempt=attempt_row)
                return "submitted"
            try:
                response_save(session, attempt=attempt_row, slot=0, answer=answer(data), sequence=1)
            except AttemptClosed:
                return "refused"
            return "saved"

        roles = iter(["submit", "save"])
        lock = threading.Lock()

        def prepare(session: Session, attempt_id=attempt.id, lock=lock, roles=roles):
            with lock:
                return session.get(Attempt, attempt_id), next(roles)

        results = race(db_url, prepare, act)
        assert not [r for r in results if isinstance(r, Exception)], results
        db.expire_all()
        stored = db.get(Response, (attempt.id, 0))
        graded = db.get(Attempt, attempt.id)
        saved = "saved" in results
        assert stored.answer == answer(data, right=saved)
        assert (stored.points, graded.score) == ((1.0, 1.0) if saved else (0.0, 0.0)), results
