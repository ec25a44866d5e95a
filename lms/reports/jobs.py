"""The reports package's background job: the monthly snapshot trends are drawn from."""

from __future__ import annotations

from lms.jobs.registry import register_handler, register_periodic
from lms.reports.snapshot import snapshot_job


def register() -> None:
    register_handler("reports.snapshot", snapshot_job)
    register_periodic("reports.snapshot", "monthly")
