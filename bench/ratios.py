"""Each page against the bare page, measured from outside with wrk (a C load generator).

    python -m bench.ratios --database-url URL [--concurrency 8,32] [--duration 5] [--repeats 3] [--pages "org report,home"]

The app (as in production: PROFICIO_ENV=production, so templates are not re-read and report figures are
published as an operator's server publishes them) and the anchor (bench/bare_app.py: one query, a small
template) each run in their own uvicorn process with one worker, on the same database. For every page and
concurrency, runs alternate anchor, page, anchor, page...: each page run is compared with the anchor run just
before it, so a machine that slows down slows both. Every figure is the median of the repeats, with the spread
(min-max) of the ratio beside it, and the load average before each pair is printed; a pair started while the
machine was busy (1-minute load average above the number of cores) is marked, not hidden.

Targets (issue 15): every learner and manager page at >= 0.5x the anchor's requests per second and a p95
at most 2x the anchor's, at 8 and 32 concurrent, one process.
"""

from __future__ import annotations

import argparse
from contextlib import nullcontext
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


from bench.mixed import LUA, Request, _parse, _script, prepare
from bench.servers import APP, BARE, served

PAGES = ("home", "my learning", "my skills", "course", "lesson", "quiz question", "team heatmap", "compliance matrix", "org report")
RPS_TARGET = 0.5
P95_TARGET = 2.0


@dataclass
class Pair:
    page_rps: float
    bare_rps: float
    page_p95: float
    bare_p95: float
    load: float
    errors: int

    @property
    def ratio(self) -> float:
        return self.page_rps / self.bare_rps if self.bare_rps else 0.0

    @property
    def p95_ratio(self) -> float:
        return self.page_p95 / self.bare_p95 if self.bare_p95 else float("inf")


def requests_for(database_url: str, people: int = 40) -> dict[str, list[Request]]:
    """GET requests per page, for distinct signed-in people where the page is per person."""
    mixed = prepare(database_url, people)
    out = {kind: mixed[kind] for kind in ("home", "my learning", "my skills", "course", "lesson")}
    out["team heatmap"] = mixed["team heatmap"]
    out["org report"] = mixed["org report"]
    manager_cookie = mixed["team heatmap"][0].cookie
    out["compliance matrix"] = [Request("GET", "/team/compliance", manager_cookie)]
    # Quiz question pages: the open attempts prepare() found, each with its owner's cookie.
    owners = {r.path.split("/")[2]: r.cookie for r in mixed["quiz autosave"] + mixed["quiz submit"]}
    out["quiz question"] = [Request("GET", f"/attempts/{attempt}", cookie) for attempt, cookie in owners.items()]
    return {page: out[page] for page in PAGES if out.get(page)}


def _wrk(base: str, requests: list[Request], folder: Path, name: str, *, connections: int, duration: float):
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    data = _script(requests, folder, name)
    cmd = [wrk, "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout=30s", "-s", str(LUA), base]
    out = subprocess.run(cmd, env={**os.environ, "MIXED_REQUESTS": str(data)}, capture_output=True, text=True, timeout=duration + 90)
    return _parse(name, connections, out.stdout, duration)


def measure(
    database_url: str,
    *,
    concurrency: list[int],
    duration: float,
    repeats: int,
    only: list[str] | None = None,
    baseline: dict[str, str] | None = None,
) -> dict[tuple[str, int], list[Pair]]:
    """Pairs per (page, concurrency). With ``baseline`` (environment settings, e.g. the page cache off),
    a second app process runs with them and each repeat measures anchor, baseline and app back to back:
    its pairs come under the page's name with " (baseline)" added."""
    pages = {page: reqs for page, reqs in requests_for(database_url).items() if not only or page in only}
    folder = Path(tempfile.mkdtemp(prefix="proficio-ratios-"))
    results: dict[tuple[str, int], list[Pair]] = {}
    logs = Path("var/bench/logs")
    production = {"PROFICIO_ENV": "production", "COOKIE_SECURE": "true"}
    second = served(APP, database_url, logs / "ratios-baseline.log", **production, **baseline) if baseline else nullcontext(("", 0))
    try:
        with (
            served(APP, database_url, logs / "ratios-app.log", **production) as (app, _),
            second as (base_app, _),
            served(BARE, database_url, logs / "ratios-bare.log") as (bare, _),
        ):
            anchor = [Request("GET", "/fortunes", "")]
            apps = [(app, "")] + ([(base_app, " (baseline)")] if baseline else [])
            for c in concurrency:
                for page, reqs in pages.items():
                    for server, _suffix in apps:
                        _wrk(server, reqs, folder, "warm", connections=c, duration=1)  # first-use costs out of the figures
                    for _ in range(repeats):
                        load = os.getloadavg()[0]
                        b = _wrk(bare, anchor, folder, "bare", connections=c, duration=duration)
                        for server, suffix in reversed(apps):
                            p = _wrk(server, reqs, folder, page.replace(" ", "-"), connections=c, duration=duration)
                            errors = p.server_errors + p.socket_errors + sum(n for s, n in p.statuses.items() if s != "200")
                            results.setdefault((page + suffix, c), []).append(Pair(p.rps, b.rps, p.p95_ms, b.p95_ms, load, errors))
                    for _server, suffix in reversed(apps):
                        print(line(page + suffix, c, results[(page + suffix, c)]), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def line(page: str, c: int, pairs: list[Pair]) -> str:
    ratios = [p.ratio for p in pairs]
    busy = sum(p.load > (os.cpu_count() or 1) for p in pairs)
    rps = statistics.median(p.page_rps for p in pairs)
    bare = statistics.median(p.bare_rps for p in pairs)
    p95 = statistics.median(p.p95_ratio for p in pairs)
    ok = statistics.median(ratios) >= RPS_TARGET and p95 <= P95_TARGET
    return (
        f"| {page} | {c} | {rps:.0f} | {bare:.0f} | **{statistics.median(ratios):.2f}x** ({min(ratios):.2f}-{max(ratios):.2f}) | "
        f"{statistics.median(p.page_p95 for p in pairs):.0f} | {p95:.1f}x | {'met' if ok else 'missed'} | "
        f"{max(p.load for p in pairs):.1f}{' busy' if busy else ''} | {sum(p.errors for p in pairs)} |"
    )


HEADER = (
    "| page | concurrent | req/s | anchor req/s | ratio, median (spread) | p95 ms | p95 ÷ anchor's | target | load avg | non-200 |\n"
    "|---|---:|---:|---:|---|---:|---:|---|---:|---:|"
)


def ratios_table(database_url: str, *, concurrency: tuple[int, ...] = (8, 32), duration: float = 3.0, repeats: int = 3) -> str:
    """The whole table for `make bench`: every page at each concurrency, against the anchor."""
    results = measure(database_url, concurrency=list(concurrency), duration=duration, repeats=repeats)
    lines = [f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at the end", "", HEADER]
    lines += [line(page, c, pairs) for (page, c), pairs in results.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ratios", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a generated organisation (python -m bench.generate)")
    parser.add_argument("--concurrency", default="8,32")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--baseline",
        default="",
        help="environment settings for a second app measured alongside, e.g. PAGE_CACHE_SECONDS=0 (before/after in one run)",
    )
    parser.add_argument("--pages", default="", help=f"comma-separated, from: {', '.join(PAGES)} (default: all)")
    args = parser.parse_args(argv)
    only = [p.strip() for p in args.pages.split(",") if p.strip()]
    if unknown := [p for p in only if p not in PAGES]:
        parser.error(f"unknown page {unknown[0]!r}; choose from: {', '.join(PAGES)}")
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at start\n\n{HEADER}", flush=True)
    results = measure(
        args.database_url,
        concurrency=[int(c) for c in args.concurrency.split(",")],
        duration=args.duration,
        repeats=args.repeats,
        only=only,
        baseline=dict(item.split("=", 1) for item in args.baseline.split(",") if "=" in item) or None,
    )
    return 0 if all(p.errors == 0 for pairs in results.values() for p in pairs) else 1


if __name__ == "__main__":
    sys.exit(main())
