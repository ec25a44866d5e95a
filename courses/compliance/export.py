"""The manager's compliance matrix as a spreadsheet: one row per person x requirement they hold."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from courses.compliance.selectors import Matrix

COLUMNS = ["person", "email", "org_unit", "requirement", "status", "status_label", "date", "days_overdue"]


def matrix_rows(matrix: Matrix, unit_paths: dict[int, str], now: datetime) -> Iterator[Sequence[str | int | None]]:
    """Rows in COLUMNS order; `date` is the date the status is about (due, valid until, exemption end)."""
    for person in matrix.people:
        for column, standing in zip(matrix.columns, matrix.row(person.id), strict=True):
            if standing is None:
                continue
            late = standing.date is not None and standing.status.value in {"overdue", "expired"} and now > standing.date
            yield (
                person.name,
                person.email,
                unit_paths.get(person.org_unit_id, ""),
                column.requirement.name,
                standing.status.value,
                standing.label,
                standing.date.date().isoformat() if standing.date else None,
                (now - standing.date).days if late and standing.date else None,
            )
