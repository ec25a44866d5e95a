"""The sweep benchmark runs, changes nothing on a second run, and its own statements do not grow with size."""

from __future__ import annotations

from sqlalchemy import func, select as sa_select
from sqlmodel import Session

from bench.generate import generate
from bench.sweep import sweep_timing
from courses.requirements.models import Requirement
from lms.db import make_engine


def test_sweep_benchmark_is_idempotent_and_flat(empty_db_url):
    generate(empty_db_url, size="T", log=lambda _line: None)
    small, unchanged_small, people_small = sweep_timing(empty_db_url)
    generate(empty_db_url, size="S", replace=True, log=lambda _line: None)
    large, unchanged_large, people_large = sweep_timing(empty_db_url)
    assert unchanged_small and unchanged_large
    assert people_large > people_small
    assert large[0].report.opened > small[0].report.opened > 0
    # A step with nothing to do skips its statements (T may have no renewals today), so compare
    # against the bench's bound; the runs with nothing to queue are equal at both sizes.
    assert max(run.sweep_statements for run in small + large) <= 100
    assert [run.statements for run in small[1:]] == [run.statements for run in large[1:]]
    # Rolled back: the generated database is left as it was.
    engine = make_engine(empty_db_url)
    with Session(engine) as session:
        assert session.execute(sa_select(func.count()).select_from(Requirement)).scalar_one() == 0
    engine.dispose()
