"""Memory and time of the organisation report's figures: the cube a web process used to hold against
the stored rows it reads now (issue 15: at most 250 MB per process at L).

    python -m bench.report_figures --database-url sqlite:///var/bench/bench-L.db

Prints, with the load average: the cube's size (tracemalloc: what stays allocated once built, and the
peak while building), the worker's publishing run (time, peak, rows written), and what a web process
keeps and spends per page with stored figures (the org tree and columns; one unit report's read).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from lms.db import make_engine
from lms.reports.cube import AREA, COMPETENCE
from lms.reports.models import ReportFigureRow, ReportFigureSet
from lms.reports.selectors import live_cube, report_columns, unit_report
from lms.reports.stored import StoredFigures, figures_publish, live_set
from lms.reports.tree import ORG, org_tree

MIN_GROUP = 5


def measured(fn: Callable[[], Any]) -> tuple[Any, float, float, float]:
    """(result, seconds, MB still allocated by the result, MB at the peak while computing it)."""
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, kept / 1e6, peak / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report_figures", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--skip-publish", action="store_true", help="read the figures already stored")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    # A database generated before migration 0025 was filled in has the revision but not the tables.
    SQLModel.metadata.create_all(engine, tables=[ReportFigureSet.__table__, ReportFigureRow.__table__])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with Session(engine) as db:
        columns = report_columns(db)
        cube, seconds, kept, peak = measured(lambda: live_cube(db, columns, min_group=MIN_GROUP))
        print(f"before: cube held by each web process: {kept:.1f} MB kept, {peak:.1f} MB peak while building, {seconds:.1f} s")
        del cube
        if not args.skip_publish:
            written, seconds, _kept, peak = measured(lambda: figures_publish(db, min_group=MIN_GROUP, force=True))
            db.commit()
            rows = db.execute(select(func.count()).select_from(ReportFigureRow)).scalar()
            print(
                f"worker: published {written} set(s), {rows} rows, in {seconds:.1f} s, {peak:.1f} MB peak"
                f" (load average {os.getloadavg()[0]:.1f})"
            )
        found = live_set(db, None, MIN_GROUP)
        if found is None:
            print("no stored figures: run without --skip-publish")
            return 1
        basis, seconds, kept, peak = measured(lambda: (report_columns(db, found.framework_id), org_tree(db, with_no_unit=True)))
        print(f"after: web process keeps the org tree and columns: {kept:.1f} MB kept, {peak:.1f} MB peak, {seconds:.2f} s")
        stored = StoredFigures(db, found, basis[1])
        for view in (AREA, COMPETENCE):

            def one(view: str = view) -> object:
                return unit_report(stored, basis[0], unit_id=ORG, view=view)

            _report, seconds, _kept, peak = measured(one)
            print(f"after: whole-organisation report by {view} from stored rows: {seconds * 1000:.0f} ms, {peak:.2f} MB peak")
        keys = [c.key for c in basis[0].competences]
        count, seconds, _kept, peak = measured(lambda: sum(1 for _ in stored.unit_rows(COMPETENCE, keys)))
        print(f"after: every unit's row (the all-units export) from stored rows: {count} units, {seconds:.1f} s, {peak:.1f} MB peak")
    print(f"load average {os.getloadavg()[0]:.1f}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
