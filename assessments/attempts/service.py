"""Quiz attempts: start, autosave, submit, and the deadline sweep. Callers commit.

Trust rules, after Moodle's quiz_attempt: one attempt in progress per learner and quiz (the
database enforces it); every save carries the sequence number the page was rendered with, and a
save from a stale tab is refused instead of overwriting a newer answer; the deadline is checked on
the server; the in_progress → submitted transition is a compare-and-set UPDATE, so a double submit
grades once, and a save claims the same row first, so it cannot land after grading; grading, result,
evidence and course progress share one savepoint, undone together if any part fails.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from sqlalchemy import false, select as sa_select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assessments.grading import diagnostic_levels, grade
from assessments.attempts.selectors import attempts_used, in_progress
from assessments.bank.version_selectors import versions_of
from assessments.models import Attempt, AttemptState, Question, Quiz, QuizSlot, Response
from assessments.questions import QuestionData, graded_question
from assessments.xapi import attempt_graded
from courses.learning.service import lesson_complete
from courses.models import Lesson
from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.i18n import current_language, gettext
from lms.competences.models import Competence
from lms.competences.service import evidence_record
from lms.people.models import User

CHOICE_KINDS = {"single_choice", "multiple_choice"}


log = logging.getLogger(__name__)


class AttemptError(ValueError):
    """Something the learner should be told; the message is safe to show."""


class AttemptClosed(AttemptError):
    pass


class StaleAnswer(AttemptError):
    def __init__(self, current_sequence: int):
        self.current_sequence = current_sequence
        super().__init__(
            gettext(
                "This answer was changed in another tab or window since this page was loaded. "
                "Reload the page to see the latest answer before changing it."
            )
        )


def _settings(quiz: Quiz) -> dict:
    return {
        "pass_percent": quiz.pass_percent,
        "review_policy": quiz.review_policy,
        "time_limit_minutes": quiz.time_limit_minutes,
        "proves_competence_id": quiz.proves_competence_id,
        "proves_level": quiz.proves_level,
        "diagnostic": quiz.diagnostic,
        "diagnostic_bands": list(quiz.diagnostic_bands or []),
        "lesson_id": quiz.lesson_id,
        "one_per_page": quiz.one_per_page,
    }


def _layout(session: Session, quiz: Quiz, rng: random.Random) -> list[dict]:
    slots = session.exec(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id).order_by(QuizSlot.position, QuizSlot.id)).all()
    fixed_ids = [s.question_id for s in slots if s.question_id]
    fixed = {q.id: q for q in session.exec(select(Question).where(Question.id.in_(fixed_ids)))} if fixed_ids else {}
    chosen: list[Question] = []
    used = set(fixed_ids)
    for slot in slots:
        if slot.question_id:
            chosen.append(fixed[slot.question_id])
            continue
        # Ordered, so that a seeded rng draws the same questions on every engine.
        pool = [
            q
            for q in session.exec(
                select(Question).where(Question.category_id == slot.category_id, Question.archived == false()).order_by(Question.id)
            )
            if q.id not in used
        ]
        if len(pool) < slot.draw_count:
            raise AttemptError(gettext("This quiz is not ready yet: a question category has too few questions."))
        for question in rng.sample(pool, slot.draw_count):
            used.add(question.id)
            chosen.append(question)
    if not chosen:
        raise AttemptError(gettext("This quiz has no questions yet."))
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    # The versions in other languages are part of the snapshot: a version added, changed or removed
    # later never changes what this attempt shows, and grading reads "question" only.
    versions = versions_of(session, question_ids=[q.id or 0 for q in chosen])
    layout = []
    for question in chosen:
        data = QuestionData.from_dict(question.data)
        order = [c.id for c in data.choices]
        if quiz.shuffle_choices and question.kind in CHOICE_KINDS:
            rng.shuffle(order)
        layout.append(
            {
                "question_id": question.id,
                "question": question.data,
                "choice_order": order,
                "competence_id": question.competence_id,
                "language": question.language,
                "versions": versions.get(question.id or 0, {}),
            }
        )
    return layout


def attempt_start(
    session: Session, *, quiz: Quiz, user: User, rng: random.Random | None = None, language: str | None = None
) -> Attempt:
    """Return the learner's attempt in progress, or start one. Safe to call twice, even at once.

    ``language`` (the reader's, by default) is the one the attempt is answered in: grading accepts the
    answers of the snapshot's version in it, besides the original's, and those of no other language.
    """
    current = in_progress(session, quiz=quiz, user=user)
    if current is not None and attempt_close_if_overdue(session, attempt=current):
        current = None
    if current is not None:
        return current
    used = attempts_used(session, quiz=quiz, user=user)
    if quiz.attempts_allowed is not None and used >= quiz.attempts_allowed:
        raise AttemptError(gettext("You have used all the attempts this quiz allows."))
    now = utcnow()
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user.id,
        number=used + 1,
        started_at=now,
        deadline_at=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        layout=_layout(session, quiz, rng or random.Random()),
        settings={**_settings(quiz), "language": language or current_language()},
    )
    try:
        with session.begin_nested():
            session.add(attempt)
    except IntegrityError:
        # Another request started one between our check and our insert: use theirs.
        existing = in_progress(session, quiz=quiz, user=user)
        if existing is None:
            raise
        return existing
    return attempt


def response_save(
    session: Session,
    *,
    attempt: Attempt,
    slot: int,
    answer: dict,
    sequence: int,
    flagged: bool | None = None,
) -> Response:
    """Save one answer. ``sequence`` is the number the page showed; a mismatch means a stale tab."""
    if attempt.state != AttemptState.IN_PROGRESS.value:
        raise AttemptClosed(gettext("This attempt has been submitted; answers can no longer be changed."))
    if attempt_close_if_overdue(session, attempt=attempt):
        raise AttemptClosed(gettext("Time is up. Your attempt was submitted with the answers saved before the deadline."))
    if not 0 <= slot < len(attempt.layout):
        raise AttemptError(gettext("There is no such question in this attempt."))
    # Claim the attempt's row before touching the answer: a submit running at this moment either
    # commits first (and this save is refused) or waits for this save and grades it. Checking the
    # state in Python alone let a save land after grading, acknowledged but never graded.
    claimed = (
        session.exec(
            update(Attempt)
            .where(
                Attempt.id == attempt.id,
                Attempt.state == AttemptState.IN_PROGRESS.value,
            )
            .values(state=AttemptState.IN_PROGRESS.value)
        ).rowcount
        == 1
    )
    if not claimed:
        session.refresh(attempt)
        raise AttemptClosed(gettext("This attempt has been submitted; answers can no longer be changed."))
    values = {"answer": answer, "saved_at": utcnow(), "sequence": sequence + 1}
    if flagged is not None:
        values["flagged"] = flagged
    # Compare-and-set: only the save that saw the current sequence number wins. Tried first, since
    # nearly every autosave updates an answer already there; RETURNING spares reading it back.
    saved = (
        session.execute(
            update(Response)
            .where(
                Response.attempt_id == attempt.id,
                Response.slot == slot,
                Response.sequence == sequence,
            )
            .values(**values)
            .returning(Response),
            execution_options={"synchronize_session": "fetch"},
        )
        .scalars()
        .first()
    )
    if saved is not None:
        return saved
    existing = session.get(Response, (attempt.id, slot))
    if existing is not None:
        session.refresh(existing)
        # The same answer from a page that has not yet heard back from its own autosave (a learner
        # pressing "Save and next" while a save is in flight) loses nothing: accept it as it stands.
        if existing.answer == answer and (flagged is None or existing.flagged == flagged):
            return existing
        raise StaleAnswer(existing.sequence)
    if sequence != 0:
        raise StaleAnswer(0)
    response = Response(attempt_id=attempt.id, slot=slot, **values)
    try:
        with session.begin_nested():
            session.add(response)
    except IntegrityError:
        # Another tab saved this slot first; tell the learner how far it has got.
        current = session.exec(
            sa_select(Response.sequence).where(Response.attempt_id == attempt.id, Response.slot == slot)
        ).scalar_one_or_none()
        raise StaleAnswer(current or 1) from None
    return response


def attempt_close_if_overdue(session: Session, *, attempt: Attempt, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if attempt.state == AttemptState.IN_PROGRESS.value and attempt.deadline_at and now > attempt.deadline_at:
        attempt_submit(session, attempt=attempt, now=now)
        return True
    return False


def attempt_submit(session: Session, *, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Grade and close the attempt exactly once; a second call returns the graded attempt."""
    now = now or utcnow()
    won = (
        session.exec(
            update(Attempt)
            .where(
                Attempt.id == attempt.id,
                Attempt.state == AttemptState.IN_PROGRESS.value,
            )
            .values(state=AttemptState.SUBMITTED.value, submitted_at=now)
        ).rowcount
        == 1
    )
    session.refresh(attempt)
    if not won:
        return attempt
    try:
        # Grading, result, evidence and progress land together or not at all, even if the caller
        # goes on to commit after catching the error (the sweep does).
        with session.begin_nested():
            _grade(session, attempt)
    except Exception:
        session.exec(update(Attempt).where(Attempt.id == attempt.id).values(state=AttemptState.IN_PROGRESS.value, submitted_at=None))
        session.expire(attempt)
        raise
    return attempt


def _grade(session: Session, attempt: Attempt) -> None:
    responses = {r.slot: r for r in session.exec(select(Response).where(Response.attempt_id == attempt.id))}
    score = max_score = 0.0
    by_competence: dict[int, list[float]] = {}
    answers: list[tuple[int, str, float, float]] = []
    # The answers of the language the attempt started in count too, as snapshotted then: a version
    # edited later changes no past attempt (and nothing regrades a submitted one).
    language = attempt.settings.get("language")
    for index, entry in enumerate(attempt.layout):
        question = graded_question(entry, language)
        response = responses.get(index)
        result = grade(question, response.answer if response else {})
        if response is None:
            response = Response(attempt_id=attempt.id, slot=index, answer={})
        response.fraction, response.points = result.fraction, result.points
        response.feedback = "\n".join(result.feedback)
        session.add(response)
        score += result.points
        max_score += question.points
        answers.append((entry["question_id"], question.name, result.points, question.points))
        if entry.get("competence_id"):
            sub = by_competence.setdefault(entry["competence_id"], [0.0, 0.0])
            sub[0] += result.points
            sub[1] += question.points
    settings = attempt.settings
    attempt.score, attempt.max_score = round(score, 4), round(max_score, 4)
    attempt.percent = round(100 * score / max_score, 2) if max_score else 0.0
    attempt.passed = attempt.percent >= settings["pass_percent"]
    session.add(attempt)
    session.flush()
    user = session.get(User, attempt.user_id)
    # The outcome only, never the answers; inside the grading savepoint, so it lands with the result.
    audit_record(
        session,
        action="quiz.submit",
        actor=user,
        target_type="quiz",
        target_id=attempt.quiz_id,
        detail={
            "attempt_id": attempt.id,
            "score": attempt.score,
            "max_score": attempt.max_score,
            "percent": attempt.percent,
            "passed": attempt.passed,
        },
    )
    attempt_graded(session, attempt=attempt, user=user, answers=answers)
    _record_evidence(session, attempt, user, by_competence)
    if attempt.passed:
        lesson = session.get(Lesson, settings["lesson_id"])
        if lesson is not None:
            lesson_complete(session, user=user, lesson=lesson)


def _record_evidence(session: Session, attempt: Attempt, user: User, by_competence: dict) -> None:
    settings = attempt.settings
    reference = f"attempt:{attempt.id}"
    if settings.get("diagnostic"):
        bands = [tuple(b) for b in settings.get("diagnostic_bands") or []]
        levels = diagnostic_levels({cid: tuple(v) for cid, v in by_competence.items()}, bands)
        for competence_id, level in sorted(levels.items()):
            competence = session.get(Competence, competence_id)
            if competence is not None and level > 0:
                evidence_record(
                    session,
                    user=user,
                    competence=competence,
                    level=level,
                    source="quiz",
                    by=None,
                    reference=reference,
                    note="Diagnostic quiz result.",
                )
        return
    if attempt.passed and settings.get("proves_competence_id") and settings.get("proves_level"):
        competence = session.get(Competence, settings["proves_competence_id"])
        if competence is not None:
            evidence_record(
                session,
                user=user,
                competence=competence,
                level=settings["proves_level"],
                source="quiz",
                by=None,
                reference=reference,
                note=f"Passed with {attempt.percent:g}%.",
            )


def attempts_sweep(session: Session, *, now: datetime | None = None) -> int:
    """Submit every attempt whose deadline has passed (the worker runs this periodically)."""
    now = now or utcnow()
    overdue = session.exec(
        select(Attempt).where(
            Attempt.state == AttemptState.IN_PROGRESS.value, Attempt.deadline_at.is_not(None), col(Attempt.deadline_at) < now
        )
    ).all()
    submitted = 0
    for attempt in overdue:
        try:
            attempt_submit(session, attempt=attempt, now=now)
        except Exception:
            # One attempt that cannot be graded (say, a quiz misconfigured) must not hold up the rest;
            # it stays in progress and is retried on the next sweep.
            log.exception("Could not submit overdue attempt %s", attempt.id)
            continue
        submitted += 1
    return submitted
