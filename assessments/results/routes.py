"""A trainer's results for one quiz (/author/quizzes/{id}/results) and their CSV export.

Only people who may edit the quiz's course see them; anyone else gets the same 404 as for a quiz
that does not exist (assessments.quizzes.deps.EditableQuiz).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from assessments.models import AttemptState
from assessments.quizzes.deps import EditableQuiz
from assessments.results.export import results_header, results_rows
from assessments.results.selectors import attempt_counts, attempts_page, quiz_results
from assessments.results.stats import BINS
from lms.web.paging import SHORT_ROWS, page_size, url_with
from lms.clock import utcnow
from lms.csvfile import csv_response
from lms.export_headings import headings
from lms.i18n import format_percent, lazy_pgettext
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.templating import render

router = APIRouter(prefix="/author")

STATE_LABELS = {
    AttemptState.IN_PROGRESS.value: lazy_pgettext("attempt", "In progress"),
    AttemptState.SUBMITTED.value: lazy_pgettext("attempt", "Submitted"),
    AttemptState.ABANDONED.value: lazy_pgettext("attempt", "Abandoned"),
}


def _bins(counts: list[int]) -> list[tuple[str, int, int]]:
    """(range label, count, bar width in tenths of the largest bin)."""
    width = 100 // BINS
    top = max(counts) if counts else 0
    # The sign follows the locale: 0–10% in English, 0–10 % in French.
    return [
        (f"{i * width}–{format_percent((i + 1) * width / 100)}", n, round(10 * n / top) if top else 0) for i, n in enumerate(counts)
    ]


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


@router.get("/quizzes/{quiz_id}/results.csv")
def quiz_results_csv(request: Request, db: DbSession, user: AuthorUser, found: EditableQuiz) -> Response:
    quiz = found.quiz
    filename = f"quiz-{quiz.id}-results-{utcnow().date().isoformat()}.csv"
    results = quiz_results(db, quiz=quiz)
    return csv_response(filename, headings(results_header(results)), results_rows(results))
