"""The manager's line assignments as CSV, one row per person × course."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from lms.competences.team_csv import safe_cell

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


def assignments_csv(items: list[LearningItem], now: datetime) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        e = item.enrolment
        overdue = item.days_overdue(now) if item.category_key == "overdue" else ""
        assigned_by = item.assigned_by or ("rule" if item.by_rule else "")
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    item.learner.name,
                    item.learner.email,
                    item.course.title,
                    item.category_label,
                    _day(e.due_at),
                    overdue,
                    e.progress_percent,
                    assigned_by,
                    e.source,
                    _day(e.enrolled_at),
                    _day(e.completed_at),
                )
            ]
        )
    return out.getvalue()
