"""A trainer's results for one quiz (/author/quizzes/{id}/results) and their CSV export.

Only people who may edit the quiz's course see them; anyone else gets the same 404 as for a quiz
that does not exist (assessments.quizzes.deps.EditableQuiz).
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from assessments.models import AttemptState
from assessments.quizzes.deps import EditableQuiz
from assessments.results.selectors import QuizResults, attempt_counts, attempts_page, quiz_results
from assessments.results.stats import BINS
from lms.web.paging import SHORT_ROWS, page_size, url_with
from lms.clock import utcnow
from lms.competences.team_csv import safe_cell
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.templating import render

router = APIRouter(prefix="/author")

STATE_LABELS = {
    AttemptState.IN_PROGRESS.value: "In progress",
    AttemptState.SUBMITTED.value: "Submitted",
    AttemptState.ABANDONED.value: "Abandoned",
}


def _bins(counts: list[int]) -> list[tuple[str, int, int]]:
    """(range label, count, bar width in tenths of the largest bin)."""
    width = 100 // BINS
    top = max(counts) if counts else 0
    return [(f"{i * width}–{(i + 1) * width}%", n, round(10 * n / top) if top else 0) for i, n in enumerate(counts)]


@router.get("/quizzes/{quiz_id}/results")
def quiz_results_page(
    request: Request, db: DbSession, user: AuthorUser, found: EditableQuiz, page: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> Response:
    quiz, lesson, course = found
    counts = attempt_counts(db, quiz=quiz)
    results = quiz_results(db, quiz=quiz)
    attempts = attempts_page(db, quiz=quiz, total=sum(counts.values()), page=page, per_page=page_size(request, SHORT_ROWS))
    names = dict(results.questions)
    return render(
        request,
        "assessments/results/results.html",
        {
            "quiz": quiz,
            "lesson": lesson,
            "course": course,
            "stats": results.stats,
            "submitted": counts.get(AttemptState.SUBMITTED.value, 0),
            "in_progress": counts.get(AttemptState.IN_PROGRESS.value, 0),
            "bins": _bins(results.stats.distribution),
            "questions": [(names[q.question_id], q) for q in results.stats.questions],
            "attempts": attempts,
            "states": STATE_LABELS,
            "page_url": lambda n: url_with(f"/author/quizzes/{quiz.id}/results", {}, page=n),
        },
    )


def results_csv(results: QuizResults) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "learner",
            "email",
            "attempt",
            "started",
            "submitted",
            "score",
            "max",
            "percent",
            "passed",
            *(safe_cell(name) for _qid, name in results.questions),
        ]
    )
    for row in results.rows:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    row.name,
                    row.email,
                    row.number,
                    row.started_at.isoformat(timespec="seconds"),
                    row.submitted_at.isoformat(timespec="seconds") if row.submitted_at else "",
                    f"{row.score:g}",
                    f"{row.max_score:g}",
                    f"{row.scored.percent:g}",
                    "yes" if row.scored.passed else "no",
                    *(f"{row.scored.points[q]:g}" if q in row.scored.points else "" for q, _name in results.questions),
                )
            ]
        )
    return out.getvalue()


@router.get("/quizzes/{quiz_id}/results.csv")
def quiz_results_csv(request: Request, db: DbSession, user: AuthorUser, found: EditableQuiz) -> Response:
    quiz = found.quiz
    filename = f"quiz-{quiz.id}-results-{utcnow().date().isoformat()}.csv"
    return Response(
        results_csv(quiz_results(db, quiz=quiz)),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
