"""A quiz's results as CSV rows, one per attempt with each question's points (written by lms.csvfile)."""

from __future__ import annotations

from collections.abc import Iterator

from assessments.results.selectors import QuizResults


def results_header(results: QuizResults) -> list[str]:
    fixed = ["learner", "email", "attempt", "started", "submitted", "score", "max", "percent", "passed"]
    return [*fixed, *(name for _qid, name in results.questions)]


def results_rows(results: QuizResults) -> Iterator[list[object]]:
    for row in results.rows:
        yield [
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
        ]
