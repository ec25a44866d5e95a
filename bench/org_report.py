"""Benchmark 3: the organisation report for the whole tree against the raw SQL aggregate it needs."""

from __future__ import annotations

import statistics
import time

from sqlmodel import Session

from lms.reports.aggregate import direct_cells_statement
from lms.reports.selectors import org_report


def _median_seconds(work, rounds: int) -> float:
    work()  # warm: plans, caches and the framework's columns
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def org_report_timing(session: Session, rounds: int = 5) -> dict:
    report = _median_seconds(lambda: org_report(session, unit_id=None, by="competence"), rounds)
    raw = _median_seconds(lambda: session.execute(direct_cells_statement()).all(), rounds)
    return {"report_s": report, "raw_s": raw}
