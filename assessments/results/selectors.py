"""Reads for the trainer's quiz results: a fixed number of queries however many attempts there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select as sa_select
from sqlmodel import Session

from assessments.models import Attempt, AttemptState, Question, Quiz, Response
from assessments.results.stats import QuizStats, ScoredAttempt, quiz_stats
from lms.web.paging import Page, clamp_page
from lms.people.models import User


@dataclass(frozen=True)
class SubmittedRow:
    attempt_id: int
    name: str
    email: str
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: float
    max_score: float
    scored: ScoredAttempt


@dataclass(frozen=True)
class QuizResults:
    questions: list[tuple[int, str]]  # (question_id, name), in the order the quiz shows them
    rows: list[SubmittedRow]
    stats: QuizStats


def attempt_counts(session: Session, *, quiz: Quiz) -> dict[str, int]:
    found = session.execute(sa_select(Attempt.state, func.count()).where(Attempt.quiz_id == quiz.id).group_by(Attempt.state)).all()
    return {state: count for state, count in found}


def quiz_results(session: Session, *, quiz: Quiz) -> QuizResults:
    """Every submitted attempt with its points per question, and the statistics over them."""
    submitted = (Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.SUBMITTED.value)
    columns = (
        Attempt.id,
        Attempt.number,
        Attempt.started_at,
        Attempt.submitted_at,
        Attempt.score,
        Attempt.max_score,
        Attempt.percent,
        Attempt.passed,
        Attempt.layout,
        User.name,
        User.email,
    )
    attempts = session.execute(
        sa_select(*columns).join(User, User.id == Attempt.user_id).where(*submitted).order_by(Attempt.submitted_at, Attempt.id)
    ).all()
    answers: dict[int, dict[int, tuple[float, float]]] = {}
    for attempt_id, slot, got, fraction in session.execute(
        sa_select(Response.attempt_id, Response.slot, Response.points, Response.fraction)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(*submitted)
    ):
        answers.setdefault(attempt_id, {})[slot] = (got or 0.0, fraction or 0.0)

    first_slot: dict[int, int] = {}
    snapshot_names: dict[int, str] = {}
    rows = []
    for a in attempts:
        points: dict[int, float] = {}
        fractions: dict[int, list[float]] = {}
        for slot, entry in enumerate(a.layout or []):
            qid = entry.get("question_id")
            if qid is None:
                continue
            first_slot[qid] = min(first_slot.get(qid, slot), slot)
            snapshot_names.setdefault(qid, (entry.get("question") or {}).get("name") or f"Question {qid}")
            got, fraction = answers.get(a.id, {}).get(slot, (0.0, 0.0))
            points[qid] = points.get(qid, 0.0) + got
            fractions.setdefault(qid, []).append(fraction)
        scored = ScoredAttempt(
            score=a.score or 0.0,
            percent=a.percent or 0.0,
            passed=bool(a.passed),
            points=points,
            fractions={q: sum(f) / len(f) for q, f in fractions.items()},
        )
        rows.append(
            SubmittedRow(a.id, a.name, a.email, a.number, a.started_at, a.submitted_at, a.score or 0.0, a.max_score or 0.0, scored)
        )

    order = sorted(first_slot, key=lambda q: (first_slot[q], q))
    # The bank's current name, so a trainer recognises the question they would edit.
    names: dict[int, str] = (
        dict(session.execute(sa_select(Question.id, Question.name).where(Question.id.in_(order))).all()) if order else {}
    )
    questions = [(q, names.get(q) or snapshot_names[q]) for q in order]
    return QuizResults(questions=questions, rows=rows, stats=quiz_stats([r.scored for r in rows], order))


@dataclass(frozen=True)
class AttemptRow:
    id: int
    name: str
    number: int
    state: str
    percent: float | None
    passed: bool | None
    submitted_at: datetime | None


def attempts_page(session: Session, *, quiz: Quiz, total: int, page: int, per_page: int) -> Page:
    """One page of every attempt (any state), newest first; ``total`` comes from attempt_counts."""
    page = clamp_page(page, total, per_page)
    found = session.execute(
        sa_select(Attempt.id, User.name, Attempt.number, Attempt.state, Attempt.percent, Attempt.passed, Attempt.submitted_at)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.quiz_id == quiz.id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=[AttemptRow(*row) for row in found], total=total, page=page, per_page=per_page)
