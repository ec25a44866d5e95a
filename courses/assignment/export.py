"""The manager's line assignments as CSV rows, one per person × course (written by lms.csvfile)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from courses.assignment.selectors import LearningItem

COLUMNS = [
    "person",
    "email",
    "course",
    "status",
    "due_date",
    "days_overdue",
    "progress_percent",
    "assigned_by",
    "source",
    "enrolled_at",
    "completed_at",
]


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else ""


def assignment_rows(items: list[LearningItem], now: datetime) -> Iterator[list[object]]:
    for item in items:
        e = item.enrolment
        overdue = item.days_overdue(now) if item.category_key == "overdue" else ""
        assigned_by = item.assigned_by or ("rule" if item.by_rule else "")
        yield [
            item.learner.name,
            item.learner.email,
            item.course_name.text,  # in the downloader's language where the course has a version
            item.category_label,
            _day(e.due_at),
            overdue,
            e.progress_percent,
            assigned_by,
            e.source,
            _day(e.enrolled_at),
            _day(e.completed_at),
        ]
