"""SCORM runtime data in a person's subject access export and at erasure (see lms/privacy, lms/hooks.py).

What a package saved for a learner is theirs: status, score, time, and its suspend data, which
packages use for anything they like (answers typed, a name entered in a scenario). Erasure keeps the
row for the statistics, attached to the anonymous account as progress is, and clears the free parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from lms.hooks import ErasureLine, PersonalData
from lms.privacy.erasure import Action
from lms.privacy.rows import columns, stream

from courses.models import Lesson
from courses.packages.models import PackageRuntime

EXCLUDED: dict[str, str] = {
    "scorm_package.uploaded_by_id": "authorship of a course's package: content for others, not a record about its uploader",
}


def _runtime(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(*columns(PackageRuntime.__table__), Lesson.title.label("lesson_title"), Lesson.course_id)
        .join(Lesson, Lesson.id == PackageRuntime.lesson_id)
        .where(PackageRuntime.user_id == user_id)
        .order_by(PackageRuntime.lesson_id),
    )


EXPORTERS = (
    PersonalData("package_progress", "SCORM packages: status, score and saved place", ("scorm_runtime.user_id",), _runtime, 24),
)


def erase(session: Session, user_id: int, apply: bool) -> list[ErasureLine]:
    where = (col(PackageRuntime.user_id) == user_id) & (
        (col(PackageRuntime.suspend_data) != "") | (col(PackageRuntime.location) != "")
    )
    count = session.exec(select(func.count()).select_from(PackageRuntime).where(where)).scalar_one()
    if apply and count:
        session.exec(update(PackageRuntime).where(where).values(suspend_data="", location=""))
    return [ErasureLine("What SCORM packages saved for them (their place and saved state)", Action.CLEARED.value, count)]
