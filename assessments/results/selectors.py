"""Reads for the trainer's quiz results: a fixed number of queries however many attempts there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select as sa_select
from sqlmodel import Session

from assessments.models import Attempt, AttemptState, Question, Quiz, Response
from assessments.results.stats import QuizStats, ScoredAttempt, facility, quiz_stats
from courses.models import Course, CourseEditor, CourseTranslation, Lesson, LessonTranslation
from courses.translations.resolve import MarkedText, marked_title, title_version
from lms.i18n import current_language
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


# --- Home page ---------------------------------------------------------------------------------

FLAG_MIN_ATTEMPTS = 5  # below this a facility is chance, not a signal
TOO_HARD = 0.2  # facility under this: almost nobody gets it right (a wrong key, or an unclear question)
TOO_EASY = 0.95  # over this: it tells nobody apart
FLAGS_SHOWN = 6


@dataclass(frozen=True)
class QuizFlag:
    quiz_id: int
    course_title: MarkedText  # in the reader's language where the course has a version
    lesson_title: MarkedText  # likewise
    question_id: int
    question_name: str
    facility: float
    attempts: int

    @property
    def too_hard(self) -> bool:
        return self.facility < TOO_HARD


@dataclass(frozen=True)
class QuizFlags:
    quizzes: int  # quizzes in the person's courses
    submitted: int  # submitted attempts over them
    flags: list[QuizFlag]  # the most extreme first, at most FLAGS_SHOWN
    flagged_total: int


def quiz_flags(session: Session, *, user: User) -> QuizFlags:
    """Questions in the quizzes of the courses this person edits whose facility needs a look.

    Four queries whatever the number of quizzes and attempts: quizzes, attempts, responses, question names.
    Facility as on the results page: per question, the mean fraction over the attempts that included it.
    """
    mine = sa_select(CourseEditor.course_id).where(CourseEditor.user_id == user.id)
    quizzes = {
        qid: (marked_title(course_title, default_language, version), marked_title(lesson_title, default_language, lesson_version))
        for qid, course_title, default_language, version, lesson_title, lesson_version in session.execute(
            sa_select(Quiz.id, Course.title, Course.default_language, CourseTranslation.title, Lesson.title, LessonTranslation.title)
            .join(Lesson, Lesson.id == Quiz.lesson_id)
            .join(Course, Course.id == Lesson.course_id)
            .outerjoin(CourseTranslation, title_version())
            .outerjoin(
                LessonTranslation, (LessonTranslation.lesson_id == Lesson.id) & (LessonTranslation.language == current_language())
            )
            .where(Course.id.in_(mine))
        ).all()
    }
    if not quizzes:
        return QuizFlags(0, 0, [], 0)
    submitted = (Attempt.quiz_id.in_(list(quizzes)), Attempt.state == AttemptState.SUBMITTED.value)
    attempts = session.execute(sa_select(Attempt.id, Attempt.quiz_id, Attempt.layout).where(*submitted)).all()
    fractions: dict[tuple[int, int], float] = {}
    for attempt_id, slot, fraction in session.execute(
        sa_select(Response.attempt_id, Response.slot, Response.fraction)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(*submitted)
    ):
        fractions[(attempt_id, slot)] = fraction or 0.0
    # (quiz, question) -> the attempt's mean fraction on that question, one per attempt
    per_question: dict[tuple[int, int], list[float]] = {}
    for attempt_id, quiz_id, layout in attempts:
        got: dict[int, list[float]] = {}
        for slot, entry in enumerate(layout or []):
            qid = entry.get("question_id")
            if qid is not None:
                got.setdefault(qid, []).append(fractions.get((attempt_id, slot), 0.0))
        for qid, values in got.items():
            per_question.setdefault((quiz_id, qid), []).append(sum(values) / len(values))
    extreme = []
    for (quiz_id, qid), values in per_question.items():
        value = facility(values)
        if len(values) >= FLAG_MIN_ATTEMPTS and value is not None and (value < TOO_HARD or value > TOO_EASY):
            extreme.append((quiz_id, qid, value, len(values)))
    # Too hard before too easy (a wrong key hurts learners), then the furthest from the middle.
    extreme.sort(key=lambda f: (f[2] >= TOO_HARD, -abs(f[2] - 0.5), f[0], f[1]))
    shown = extreme[:FLAGS_SHOWN]
    ids = {qid for _quiz, qid, _v, _n in shown}
    names: dict[int, str] = (
        dict(session.execute(sa_select(Question.id, Question.name).where(Question.id.in_(ids))).all()) if ids else {}
    )
    flags = [
        QuizFlag(quiz_id, *quizzes[quiz_id], qid, names.get(qid) or f"Question {qid}", value, n) for quiz_id, qid, value, n in shown
    ]
    return QuizFlags(len(quizzes), len(attempts), flags, len(extreme))
