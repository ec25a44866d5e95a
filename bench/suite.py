"""`make bench`: generate a size on SQLite and on a throwaway PostgreSQL cluster, run every benchmark on both.

python -m bench.suite --size S [--duration 10]
"""

from __future__ import annotations

import argparse
import sys

from bench.first_visit import report as first_visit
from bench.generate import SIZES, generate
from bench.ratios import ratios_table
from bench.run import OUT, quiet, run, table
from tests.support.postgres import TempPostgres, find_pg_bin


def _one(url: str, engine_name: str, args) -> str:
    print(f"== {engine_name}: generating size {args.size}", flush=True)
    summary = generate(url, size=args.size, seed=args.seed, replace=True)
    print(f"   {summary.people} people in {summary.seconds} s; benchmarking", flush=True)
    rows = run(url, args.size, duration=args.duration, warmup=args.warmup, concurrency=args.concurrency)
    text = table(rows, f"Size {args.size} on {engine_name}")
    print(text, flush=True)
    # Issue 15's yardstick: each learner, manager and report page against the bare page, from wrk.
    print(f"== {engine_name}: pages against the bare page (wrk)", flush=True)
    ratios = f"#### Pages against the bare page, size {args.size} on {engine_name}\n\n" + ratios_table(url)
    print(ratios, flush=True)
    return text + "\n\n" + ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.suite", description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S", choices=list(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    quiet()
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite_url = f"sqlite:///{OUT / f'bench-{args.size}.db'}"
    tables = [_one(sqlite_url, "sqlite", args)]
    # What a browser transfers does not depend on the engine: measured once, in Chromium.
    visits = first_visit(sqlite_url)
    print(visits, flush=True)
    tables.append("```\n" + visits + "\n```")
    bindir = find_pg_bin()
    if bindir is None:
        print("PostgreSQL binaries not found: the PostgreSQL half was not run.", file=sys.stderr)
    else:
        server = TempPostgres(bindir)
        try:
            tables.append(_one(server.start(), "postgresql", args))
        finally:
            server.stop()
    path = OUT / f"results-{args.size}.md"
    path.write_text("\n\n".join(tables) + "\n")
    print(f"\nBoth tables: {path}")
    return 0 if bindir is not None else 1


if __name__ == "__main__":
    sys.exit(main())
