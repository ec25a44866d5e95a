"""The assessments package's part of subject access exports and erasure (see lms/privacy, lms/hooks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from assessments.models import Attempt, Quiz, Response
from courses.models import Lesson
from lms.hooks import ErasureLine, PersonalData
from lms.privacy.erasure import Action, Step, steps_run
from lms.privacy.rows import columns, stream

EXCLUDED: dict[str, str] = {
    "question.created_by_id": "authorship of a question: content for others, not a record about its author",
    "question_category.created_by_id": "authorship of a question category: content for others",
}

_RESPONSE = [c.label(f"response_{c.name}") for c in columns(Response.__table__, without=("attempt_id",))]


def _attempts(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    """Each attempt with its responses inside it, from one ordered statement read in chunks."""
    rows = stream(
        session,
        select(*columns(Attempt.__table__), Lesson.title.label("quiz_title"), *_RESPONSE)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Lesson, Lesson.id == Quiz.lesson_id)
        .outerjoin(Response, Response.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.id, Response.slot),
    )
    for _attempt_id, group in groupby(rows, key=lambda row: row["id"]):
        attempt: dict[str, Any] | None = None
        responses = []
        for row in group:
            response = {key.removeprefix("response_"): row.pop(key) for key in list(row) if key.startswith("response_")}
            attempt = attempt or row
            if response["slot"] is not None:
                responses.append(response)
        assert attempt is not None
        yield {**attempt, "responses": responses}


EXPORTERS = (PersonalData("quiz_attempts", "Quiz attempts, with your answers and grades", ("attempt.user_id",), _attempts, 30),)


def erase(session: Session, user_id: int, apply: bool) -> list[ErasureLine]:
    # Attempts and their grades stay: quiz results and question statistics are built on them.
    return steps_run(
        session,
        apply,
        [Step("Quiz attempts and answers", Action.ANONYMOUS, Attempt, Attempt.user_id == user_id)],
    )
