"""A manager's home at the top of a large line, and what each page kind adds to a server's memory.

    python -m bench.manager_home --database-url sqlite:///var/bench/bench-L.db

Serves the app as an operator does (`lms serve`, production settings), then, one request at a time,
opens the home page of the head of the organisation (everyone below them), of a director and of the
50-person manager, each twice (the first view counts the line, the second reads what was kept), and
then each page kind the mixed load uses once, printing the time and the server's resident memory
(VmRSS, and VmHWM at the end) after each, with the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from bench.mixed import MANAGER, prepare
from bench.servers import lms_served
from lms.db import make_engine
from lms.people.models import User
from lms.web.cookies import SESSION_COOKIE
from tests.support.live_server import open_sessions


def _status(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _server_pid(proc) -> int:  # type: ignore[no-untyped-def]
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    kids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return kids[0] if kids else proc.pid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.manager_home", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    with Session(engine) as db:
        below = aliased(User)
        chief = db.execute(
            select(User.id).join(below, below.manager_id == User.id).where(User.manager_id.is_(None), User.is_active).limit(1)
        ).scalar_one()
        director = db.execute(select(User.id).where(User.manager_id == chief).order_by(User.id).limit(1)).scalar_one()
        manager = db.execute(select(User.id).where(User.email == MANAGER)).scalar_one()
        lines = {uid: db.execute(select(func.count()).where(User.manager_id == uid)).scalar() for uid in (chief, director)}
    engine.dispose()
    tokens = open_sessions(args.database_url, [chief, director, manager])
    kinds = prepare(args.database_url, 5)
    log = Path("var/bench/logs/manager-home.log")
    with lms_served(args.database_url, log, PROFICIO_ENV="production", COOKIE_SECURE="true") as (base, proc):
        pid = _server_pid(proc)
        print(f"idle after start: RSS {_status(pid, 'VmRSS'):.0f} MB (load average {os.getloadavg()[0]:.1f})")
        with httpx.Client(base_url=base, timeout=120) as client:

            def get(label: str, path: str, cookie: str) -> None:
                started = time.perf_counter()
                response = client.get(path, headers={"Cookie": cookie})
                ms = (time.perf_counter() - started) * 1000
                print(
                    f"{label}: {response.status_code} in {ms:.0f} ms, RSS {_status(pid, 'VmRSS'):.0f} MB"
                    f" (load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )

            for who, uid in (("head of organisation", chief), ("director", director), ("manager of 50", manager)):
                for view in ("first", "second"):
                    get(
                        f"home of the {who} ({lines.get(uid, 50)} direct reports), {view} view", "/", f"{SESSION_COOKIE}={tokens[uid]}"
                    )
            for kind, requests in kinds.items():
                if requests[0].method == "GET":
                    get(f"{kind}", requests[0].path, requests[0].cookie)
        print(f"peak: VmHWM {_status(pid, 'VmHWM'):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
