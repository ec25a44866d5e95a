"""Monthly snapshots of every competence status, for trends (a worker job and `lms reports snapshot`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from lms.clock import utcnow
from lms.reports.aggregate import COUNTERS, FIRST_LEVEL, direct_cells
from lms.reports.models import ReportSnapshot, ReportSnapshotCell

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
BATCH = 5000


class SnapshotError(Exception):
    pass


def snapshot_take(
    session: Session, *, period: str | None = None, replace: bool = False, now: datetime | None = None
) -> ReportSnapshot:
    """Store today's counters under `period` (default: the current month). Caller commits."""
    now = now or utcnow()
    period = period or f"{now:%Y-%m}"
    if not PERIOD.match(period):
        raise SnapshotError(f"Period must look like 2026-11, not {period!r}.")
    existing = session.execute(select(ReportSnapshot).where(ReportSnapshot.period == period)).scalar_one_or_none()
    if existing is not None:
        if not replace:
            raise SnapshotError(f"There is already a snapshot for {period}; use --replace to take it again.")
        session.execute(delete(ReportSnapshotCell).where(ReportSnapshotCell.snapshot_id == existing.id))
        session.delete(existing)
        session.flush()
    snapshot = ReportSnapshot(period=period, taken_at=now)
    session.add(snapshot)
    session.flush()
    snapshot_cells_store(session, snapshot_id=snapshot.id, cells=direct_cells(session, now=now))
    return snapshot


def snapshot_cells_store(session: Session, *, snapshot_id: int, cells: Mapping[tuple[int, int], Sequence[int]]) -> None:
    """Insert {(unit, competence): counters in COUNTERS order} as the snapshot's cells, in batches."""
    sums = COUNTERS[:FIRST_LEVEL]
    rows = [
        {
            "snapshot_id": snapshot_id,
            "org_unit_id": unit,
            "competence_id": comp,
            **dict(zip(sums, c[:FIRST_LEVEL], strict=True)),
            "levels": list(c[FIRST_LEVEL:]),
        }
        for (unit, comp), c in cells.items()
    ]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(ReportSnapshotCell), rows[start : start + BATCH])


def snapshot_job(session: Session, payload: dict[str, Any]) -> None:
    """The monthly worker job: a second run for the same month (another worker, a retry) changes nothing."""
    period = payload.get("period")
    exists = session.execute(select(ReportSnapshot.id).where(ReportSnapshot.period == period)).first()
    if exists is None:
        snapshot_take(session, period=period)


def snapshot_cells(session: Session, snapshot_id: int) -> dict[tuple[int, int], tuple[int, ...]]:
    """The stored counters in the same shape as lms.reports.aggregate.direct_cells."""
    rows = session.execute(
        select(
            ReportSnapshotCell.org_unit_id,
            ReportSnapshotCell.competence_id,
            ReportSnapshotCell.people,
            ReportSnapshotCell.meeting,
            ReportSnapshotCell.gap_sum,
            ReportSnapshotCell.verified_sum,
            ReportSnapshotCell.self_count,
            ReportSnapshotCell.self_sum,
            ReportSnapshotCell.verified_self_sum,
            ReportSnapshotCell.levels,
        ).where(ReportSnapshotCell.snapshot_id == snapshot_id)
    )
    return {(r[0], r[1]): (*r[2:9], *r[9]) for r in rows}


def snapshots_recent(session: Session, limit: int = 12) -> list[ReportSnapshot]:
    """The latest `limit` snapshots, oldest first."""
    rows = session.execute(select(ReportSnapshot).order_by(ReportSnapshot.period.desc()).limit(limit)).scalars()
    return sorted(rows, key=lambda s: s.period)
