"""Run every benchmark against one generated database and print the table (JSON under var/bench/).

    python -m bench.run --size S --database-url sqlite:///var/bench/s.db [--duration 10] [--concurrency 8]

The database must already hold a generated organisation of that size (python -m bench.generate).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sys
from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlmodel import Session

from bench import autosave, org_report, pages, signin, sweep
from bench.servers import APP, BARE, ROOT, peak_rss_mb, served
from lms.app import load_features
from lms.db import make_engine

OUT = ROOT / "var" / "bench"


@dataclass
class Row:
    figure: str
    value: float
    anchor: float | None
    unit: str
    target: str
    passed: bool
    detail: str = ""

    def ratio(self) -> str:
        return f"{self.value / self.anchor:.2f}" if self.anchor else "-"


def run(database_url: str, size: str, *, duration: float, warmup: float, concurrency: int) -> list[Row]:
    load_features()
    quiet()
    engine = make_engine(database_url)
    engine_name = make_url(database_url).get_backend_name()
    with Session(engine) as session:
        page_list = pages.pages(session)
        people = autosave.learners(session, concurrency)
        report = org_report.org_report_timing(session)
    engine.dispose()
    rows: list[Row] = []
    statements = pages.statements_per_page(database_url, page_list)
    for name, measured in statements.items():
        rows.append(
            Row(
                f"SQL statements: {name}",
                measured.count,
                None,
                "statements",
                "≤ 10",
                measured.count <= 10,
                f"in process {measured.total_ms:.0f} ms, of which SQL {measured.sql_ms:.1f} ms",
            )
        )
    rows.append(
        Row(
            "Organisation report (whole tree, by competence)",
            report["report_s"] * 1000,
            report["raw_s"] * 1000,
            "ms",
            "≤ 2 × raw SQL",
            report["report_s"] <= 2 * report["raw_s"],
        )
    )

    load = {"duration": duration, "warmup": warmup}
    logs = OUT / "logs"
    with (
        served(APP, database_url, logs / f"app-{engine_name}-{size}.log") as (app_url, app_pid),
        served(BARE, database_url, logs / f"bare-{engine_name}-{size}.log") as (bare_url, _bare_pid),
    ):
        for page in page_list:
            # The anchor runs right before each page, so both see the same load from the rest of the machine.
            anchor = asyncio.run(pages.bare_page_load(bare_url, concurrency=concurrency, **load))
            result = asyncio.run(pages.page_load(app_url, page, concurrency=concurrency, **load))
            rows.append(
                Row(
                    f"Page: {page.name}",
                    result.rps,
                    anchor.rps,
                    "req/s",
                    "≥ 0.5 × bare page",
                    result.rps >= 0.5 * anchor.rps,
                    f"p95 {result.p95_ms:.0f} ms (bare {anchor.p95_ms:.0f} ms), errors {result.errors}",
                )
            )
        anchor = asyncio.run(autosave.autosave_load(bare_url, people, bare=True, **load))
        result = asyncio.run(autosave.autosave_load(app_url, people, bare=False, **load))
        rows.append(
            Row(
                "Quiz autosave",
                result.rps,
                anchor.rps,
                "req/s",
                "≥ 0.5 × bare insert",
                result.rps >= 0.5 * anchor.rps,
                f"p95 {result.p95_ms:.0f} ms (bare {anchor.p95_ms:.0f} ms), errors {result.errors}",
            )
        )
        serving = peak_rss_mb(app_pid)
        seconds, cpu_seconds = signin.hash_timing()
        # The hash's CPU time, not its wall time: wall time moves with what else the machine is doing
        # (it moved this anchor 2x between runs), CPU time is the work the cores must do per sign-in.
        limit = signin.hash_limit(cpu_seconds)
        result = asyncio.run(signin.signin_load(app_url, concurrency=2 * (os.cpu_count() or 1), **load))
        rows.append(
            Row(
                "Sign-in",
                result.rps,
                limit,
                "req/s",
                "≥ 0.8 × cores ÷ hash CPU time",
                result.rps >= 0.8 * limit,
                f"argon2 verify {cpu_seconds * 1000:.0f} ms CPU, {seconds * 1000:.0f} ms wall (wall-time limit "
                f"{signin.hash_limit(seconds):.1f}/s), p95 {result.p95_ms:.0f} ms, errors {result.errors}",
            )
        )
        memory = peak_rss_mb(app_pid)
    rows.append(
        Row(
            "Peak memory of the app process: pages and autosave",
            serving,
            None,
            "MB",
            "≤ 250 MB",
            serving <= 250,
            "VmHWM before the sign-in run",
        )
    )
    rows.append(
        Row(
            "Peak memory of the app process: all runs",
            memory,
            None,
            "MB",
            "≤ 250 MB",
            memory <= 250,
            "VmHWM after the sign-in run (argon2 holds its memory cost per concurrent sign-in)",
        )
    )
    rows.extend(sweep_rows(database_url))
    return rows


def sweep_rows(database_url: str) -> list[Row]:
    """The mandatory-training sweep (bench/sweep.py), run after the servers stopped, rolled back after."""
    runs, unchanged, people = sweep.sweep_timing(database_url)
    first, again, typical = runs
    rows = [
        Row(
            f"Requirements sweep: {run.name}",
            run.seconds,
            None,
            "s",
            "≤ 100 statements besides queuing messages",
            run.sweep_statements <= 100,
            sweep.describe(run).split(": ", 1)[1] + f"; {people} people",
        )
        for run in (first, typical)
    ]
    rows.append(
        Row(
            "Requirements sweep: second run on the same day",
            again.seconds,
            None,
            "s",
            "changes nothing",
            unchanged,
            sweep.describe(again).split(": ", 1)[1],
        )
    )
    return rows


def quiet() -> None:
    """The app configures INFO logging; a line per benchmark request or migration would drown the table."""
    for name in ("httpx", "httpx2", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)


def table(rows: list[Row], title: str) -> str:
    lines = [title, "", "| figure | value | anchor | ratio | target | result | notes |", "|---|---:|---:|---:|---|---|---|"]
    for r in rows:
        anchor = f"{r.anchor:.1f}" if r.anchor is not None else "-"
        lines.append(
            f"| {r.figure} | {r.value:.1f} {r.unit} | {anchor} | {r.ratio()} | {r.target} | "
            f"{'pass' if r.passed else 'MISS'} | {r.detail} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per load run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring")
    parser.add_argument("--concurrency", type=int, default=8, help="virtual users per page run")
    args = parser.parse_args(argv)
    rows = run(args.database_url, args.size, duration=args.duration, warmup=args.warmup, concurrency=args.concurrency)
    engine_name = make_url(args.database_url).get_backend_name()
    machine = f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    print(table(rows, f"Size {args.size} on {engine_name} ({machine})"))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"results-{engine_name}-{args.size}.json"
    path.write_text(
        json.dumps(
            {
                "size": args.size,
                "engine": engine_name,
                "machine": machine,
                "settings": vars(args) | {"database_url": None},
                "rows": [r.__dict__ | {"ratio": r.ratio()} for r in rows],
            },
            indent=2,
        )
    )
    print(f"\nWritten to {path.relative_to(ROOT)}")
    return 0 if all(r.passed for r in rows) else 2


if __name__ == "__main__":
    sys.exit(main())
