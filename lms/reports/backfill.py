"""Snapshots for months before Proficio took any: rebuilt from the append-only evidence log.

Evidence says what was known when, so each person's levels at the end of a past month follow from the
same rule as today's (lms.competences.rules). What the log does not keep is who was in which unit and
which job profile they had then: a reconstructed month uses today's structure. That is said wherever
it is offered (CLI help, README), and a month that already has a real snapshot is never overwritten.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel import Session

from lms.clock import utcnow
from lms.competences.models import Evidence, JobProfileRequirement
from lms.competences.rules import derive_levels
from lms.people.models import User
from lms.reports.aggregate import COUNTERS, FIRST_LEVEL, NO_UNIT
from lms.reports.models import ReportSnapshot
from lms.reports.snapshot import PERIOD, SnapshotError, snapshot_cells_store


def month_end(period: str) -> datetime:
    year, month = (int(part) for part in period.split("-"))
    return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


def snapshot_backfill(session: Session, *, period: str, now: datetime | None = None) -> ReportSnapshot:
    """Store the figures as they stood at the end of `period` (a past month). Caller commits."""
    if not PERIOD.match(period):
        raise SnapshotError(f"Period must look like 2026-11, not {period!r}.")
    end = month_end(period)
    if end > (now or utcnow()):
        raise SnapshotError(f"{period} has not ended yet; take a snapshot of today with `lms reports snapshot`.")
    if session.execute(select(ReportSnapshot.id).where(ReportSnapshot.period == period)).first():
        raise SnapshotError(f"There is already a snapshot for {period}.")

    required: dict[int, dict[int, int]] = defaultdict(dict)
    for profile, comp, level in session.execute(
        select(JobProfileRequirement.job_profile_id, JobProfileRequirement.competence_id, JobProfileRequirement.level)
    ):
        required[profile][comp] = level
    people = {
        uid: (unit or NO_UNIT, profile)
        for uid, unit, profile in session.execute(
            select(User.id, User.org_unit_id, User.job_profile_id).where(User.is_active, User.job_profile_id.is_not(None))
        )
    }
    evidence: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
    for item in session.execute(select(Evidence).where(Evidence.recorded_at < end)).scalars():
        if item.user_id in people:
            evidence[(item.user_id, item.competence_id)].append(item)

    cells: dict[tuple[int, int], list[int]] = {}
    for user_id, (unit, profile) in people.items():
        for comp, level_required in required.get(profile, {}).items():
            levels = derive_levels(evidence.get((user_id, comp), ()), end)
            verified = levels.verified_level
            counters = cells.setdefault((unit, comp), [0] * len(COUNTERS))
            self_level = levels.self_level
            for i, value in enumerate(
                (
                    1,
                    int(verified >= level_required),
                    max(level_required - verified, 0),
                    verified,
                    int(self_level is not None),
                    self_level or 0,
                    verified if self_level is not None else 0,
                )
            ):
                counters[i] += value
            counters[FIRST_LEVEL + verified] += 1

    snapshot = ReportSnapshot(period=period, taken_at=now or utcnow())
    session.add(snapshot)
    session.flush()
    snapshot_cells_store(session, snapshot_id=snapshot.id, cells=cells)
    return snapshot
