"""Monthly compliance snapshots for the 12-month trend: the worker job "compliance.snapshot".

Each month stores the report's direct counters (people directly in each unit, or in none, × each requirement in
force: people in the audience who are not exempt, and how many are compliant), so the trend of any unit is a
roll-up of a small table instead of a replay of everyone's cycles.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from lms.clock import utcnow
from lms.jobs.registry import register_handler, register_periodic

from courses.compliance.models import ComplianceSnapshotCell
from courses.compliance.report_selectors import direct_counts, report_columns

JOB_KIND = "compliance.snapshot"
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
BATCH = 5000


class SnapshotError(ValueError):
    pass


def compliance_snapshot_take(
    session: Session, *, period: str | None = None, now: datetime | None = None, replace: bool = False
) -> int:
    """Store today's counters under `period` (default: this month); the number of cells written. Caller commits.
    A month already stored is kept unless `replace`."""
    now = now or utcnow()
    period = period or f"{now:%Y-%m}"
    if not PERIOD.match(period):
        raise SnapshotError(f"Period must look like 2026-11, not {period!r}.")
    if compliance_snapshot_exists(session, period):
        if not replace:
            raise SnapshotError(f"There is already a compliance snapshot for {period}.")
        session.execute(delete(ComplianceSnapshotCell).where(ComplianceSnapshotCell.period == period))
    counts = direct_counts(session, now=now, requirement_ids=[c.id for c in report_columns(session)])
    rows = [
        {"period": period, "org_unit_id": unit, "requirement_id": rid, "people": people, "compliant": compliant, "taken_at": now}
        for (unit, rid), (people, compliant) in sorted(counts.items())
    ]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(ComplianceSnapshotCell), rows[start : start + BATCH])
    return len(rows)


def compliance_snapshot_exists(session: Session, period: str) -> bool:
    return (
        session.execute(select(ComplianceSnapshotCell.period).where(ComplianceSnapshotCell.period == period).limit(1)).first()
        is not None
    )


def compliance_snapshot_job(session: Session, payload: dict[str, Any]) -> None:
    """The monthly worker job: a second run for the same month (another worker, a retry) changes nothing."""
    period = payload.get("period")
    if not isinstance(period, str) or not compliance_snapshot_exists(session, period):
        compliance_snapshot_take(session, period=period if isinstance(period, str) else None)


def compliance_snapshot_register() -> None:
    """Called by courses.plugin.register: the worker takes one snapshot a month."""
    register_handler(JOB_KIND, compliance_snapshot_job)
    register_periodic(JOB_KIND, "monthly")
