"""What the reports package adds to the platform: the monthly snapshot and publishing jobs, and demo history."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from lms.clock import utcnow
from lms.hooks import hooks
from lms.jobs.registry import register_handler, register_periodic
from lms.reports.backfill import snapshot_backfill
from lms.reports.snapshot import snapshot_job, snapshot_take
from lms.reports.stored import publish_job

DEMO_MONTHS = 6
PUBLISH_EVERY = timedelta(minutes=1)
_registered = False


def _months_before(now: datetime, count: int) -> list[str]:
    year, month = now.year, now.month
    periods = []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        periods.append(f"{year:04d}-{month:02d}")
    return periods[::-1]


def reports_demo_load(session: Session) -> None:
    """Half a year of trend from the demo's evidence log, and this month's snapshot."""
    now = utcnow()
    for period in _months_before(now, DEMO_MONTHS):
        snapshot_backfill(session, period=period, now=now)
    snapshot_take(session, now=now)


def register() -> None:
    """Called last by lms.app.load_features, so the demo history sees every other loader's evidence."""
    global _registered
    if _registered:
        return
    _registered = True
    register_handler("reports.snapshot", snapshot_job)
    register_periodic("reports.snapshot", "monthly")
    # Published figures follow the data within a minute, a new snapshot's too (it moves the data version).
    register_handler("reports.publish", publish_job)
    register_periodic("reports.publish", PUBLISH_EVERY)
    hooks.demo_loaders.append(reports_demo_load)
