"""Mixed load from wrk (a C load generator): many people at once doing what people do, per page kind.

    python -m bench.mixed --database-url URL [--levels 20,50,100,200,400] [--duration 15] [--workers 1]

The database must hold a generated organisation (`python -m bench.generate`). Sessions are written
straight into it for the people who take part (no argon2 at setup), and their CSRF tokens worked
out from the same secret the server uses. Every page kind then runs as its own `wrk` process, all
at once, with connections shared out by KINDS, so each kind gets its own latency percentiles from
wrk while all of them load the server together. A connection sends its next request as soon as
the last one is answered (closed loop), so the number of connections is the number of people
active at that instant.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import delete, func, select
from sqlmodel import Session

from assessments.models import Attempt, Response
from bench.servers import SECRET, lms_served, peak_rss_mb
from bench.synth_people import EMPLOYEE, LEAD, MANAGER
from courses.models import Course, Enrolment, Lesson
from lms.auth.service import hash_token
from lms.config import get_settings
from lms.db import make_engine
from lms.demo_accounts import DEMO_PASSWORD
from lms.people.models import User
from lms.reports.models import ReportFigureRow, ReportFigureSet
from lms.reports.stored import figures_publish
from lms.web.cookies import ANON_COOKIE, SESSION_COOKIE
from lms.web.signing import sign
from tests.support.live_server import open_sessions

# Share of the people at any instant on each kind of page (sums to 1).
KINDS = {
    "sign-in": 0.05,
    "home": 0.15,
    "my learning": 0.15,
    "my skills": 0.15,
    "course": 0.10,
    "lesson": 0.10,
    "quiz autosave": 0.12,
    "quiz submit": 0.03,
    "team heatmap": 0.08,
    "org report": 0.07,
}
LUA = Path(__file__).with_name("mixed.lua")


@dataclass
class Request:
    method: str
    path: str
    cookie: str
    body: str = ""
    htmx: bool = False  # sent as htmx sends it (HX-Request: the fragment, not a redirect)


@dataclass
class KindResult:
    kind: str
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[str, int] = field(default_factory=dict)
    socket_errors: int = 0

    @property
    def server_errors(self) -> int:
        return sum(n for code, n in self.statuses.items() if code.startswith("5"))

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _csrf(binding: str) -> str:
    return sign(SECRET, "csrf", binding)


def prepare(database_url: str, people: int) -> dict[str, list[Request]]:
    """The requests each kind cycles through, for ``people`` distinct signed-in employees."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            return _requests(db, database_url, people)
    finally:
        engine.dispose()


def _requests(db: Session, database_url: str, people: int) -> dict[str, list[Request]]:
    # Learners with an enrolment in a published course, each with a page lesson of that course.
    lesson = (
        select(Enrolment.user_id, Enrolment.course_id, func.min(Lesson.id))
        .join(Course, Course.id == Enrolment.course_id)
        .join(Lesson, Lesson.course_id == Course.id)
        .where(Course.status == "published", Lesson.kind == "page")
        .group_by(Enrolment.user_id, Enrolment.course_id)
        .order_by(Enrolment.user_id)
        .limit(people * 3)
    )
    learners = {}
    for user_id, course_id, lesson_id in db.exec(lesson):
        learners.setdefault(user_id, (course_id, lesson_id))
    learners = dict(list(learners.items())[:people])
    # Open, untimed attempts with an answer in slot 0: autosave resends that answer (accepted as
    # the same save), submit closes the others (later submits of the same attempt show the result).
    attempts = db.exec(
        select(Attempt.id, Attempt.user_id, Response.sequence)
        .join(Response, (Response.attempt_id == Attempt.id) & (Response.slot == 0))
        .where(Attempt.state == "in_progress", Attempt.deadline_at.is_(None))
        .order_by(Attempt.id)
        .limit(people * 2)
    ).all()
    special = dict(db.exec(select(User.email, User.id).where(User.email.in_([MANAGER, LEAD, EMPLOYEE]))).all())
    everyone = sorted({*learners, *(a[1] for a in attempts), *special.values()})
    tokens = open_sessions(database_url, everyone)

    def cookie(user_id: int) -> str:
        return f"{SESSION_COOKIE}={tokens[user_id]}"

    def csrf(user_id: int) -> str:
        return _csrf("s:" + hash_token(tokens[user_id]))

    half = len(attempts) // 2
    saving, submitting = attempts[:half], attempts[half:]
    emails = db.exec(select(User.email).where(User.id.in_(list(learners))).order_by(User.id)).scalars().all()
    anon = [f"load{i}" for i in range(max(1, len(emails)))]
    out = {
        "sign-in": [
            Request(
                "POST",
                "/login",
                f"{ANON_COOKIE}={a}",
                urlencode({"email": e, "password": DEMO_PASSWORD, "csrf_token": _csrf("a:" + a), "next": "/"}),
            )
            for a, e in zip(anon, emails, strict=False)
        ],
        "home": [Request("GET", "/", cookie(u)) for u in learners],
        "my learning": [Request("GET", "/learning", cookie(u)) for u in learners],
        "my skills": [Request("GET", "/skills", cookie(u)) for u in learners],
        "course": [Request("GET", f"/courses/{c}", cookie(u)) for u, (c, _) in learners.items()],
        "lesson": [Request("GET", f"/courses/{c}/lessons/{le}", cookie(u)) for u, (c, le) in learners.items()],
        "quiz autosave": [
            Request(
                "POST",
                f"/attempts/{a}/slots/0",
                cookie(u),
                urlencode({"sequence": s, "choice": "a", "csrf_token": csrf(u)}),
                htmx=True,
            )
            for a, u, s in saving
        ],
        "quiz submit": [
            Request("POST", f"/attempts/{a}/submit", cookie(u), urlencode({"csrf_token": csrf(u)})) for a, u, _ in submitting
        ],
        "team heatmap": [Request("GET", "/team", cookie(special[MANAGER]))],
        "org report": [Request("GET", "/reports", cookie(special[LEAD]))],
    }
    empty = [kind for kind, requests in out.items() if not requests]
    if empty:
        raise RuntimeError(f"The database has nothing for: {', '.join(empty)} (generate an organisation first)")
    return out


def publish(database_url: str, *, by_worker: bool = True) -> None:
    """What the worker does once a minute (lms.reports.stored): the servers read these figures, as in
    production. Without (`--figures process`), stored figures are removed, so each server computes and
    holds its own cube, as every process did before the worker published them."""
    started = time.perf_counter()
    engine = make_engine(database_url)
    with Session(engine) as db:
        if by_worker:
            written = figures_publish(db, min_group=get_settings().report_min_group)
        else:
            written = 0
            db.execute(delete(ReportFigureRow))
            db.execute(delete(ReportFigureSet))
        db.commit()
    engine.dispose()
    what = f"published: {written} set(s)" if by_worker else "removed: servers compute their own"
    print(f"report figures {what} in {time.perf_counter() - started:.1f} s (load average {os.getloadavg()[0]:.1f})")


def shares(total: int, kinds: list[str] | None = None) -> dict[str, int]:
    """Connections per kind: at least one each, the rest by KINDS (over `kinds` only, if given)."""
    chosen = {kind: share for kind, share in KINDS.items() if kinds is None or kind in kinds}
    weight = sum(chosen.values())
    counts = {kind: max(1, round(total * share / weight)) for kind, share in chosen.items()}
    while sum(counts.values()) > total and max(counts.values()) > 1:
        biggest = max(counts, key=counts.get)
        counts[biggest] -= 1
    return counts


def _script(requests: list[Request], folder: Path, kind: str) -> Path:
    """A Lua table of the kind's requests for mixed.lua to cycle through (all values are ASCII:
    paths, cookies and URL-encoded bodies, so Lua's long strings hold them as they are)."""

    def lua(value: str) -> str:
        assert value.isascii() and "]==]" not in value
        return f"[==[{value}]==]"

    rows = ",\n".join(
        f"{{method={lua(r.method)}, path={lua(r.path)}, cookie={lua(r.cookie)}, body={lua(r.body)}, "
        f"htmx={'true' if r.htmx else 'false'}}}"
        for r in requests
    )
    data = folder / f"{kind.replace(' ', '-')}.lua"
    data.write_text(f"return {{\n{rows}\n}}\n")
    return data


def load(
    base_url: str, requests: dict[str, list[Request]], *, connections: int, duration: float, timeout: float = 60
) -> list[KindResult]:
    """Every kind at once, each from its own wrk process; returns per-kind results."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    folder = Path(tempfile.mkdtemp(prefix="proficio-mixed-"))
    running = []
    try:
        for kind, count in shares(connections, list(requests)).items():
            data = _script(requests[kind], folder, kind)
            env = {**os.environ, "MIXED_REQUESTS": str(data)}
            cmd = [wrk, "-t1", f"-c{count}", f"-d{duration:g}s", f"--timeout={timeout:g}s", "-s", str(LUA), base_url]
            running.append((kind, count, subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)))
        results = []
        for kind, count, proc in running:
            out, _ = proc.communicate(timeout=duration + timeout + 30)
            results.append(_parse(kind, count, out, duration))
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _parse(kind: str, count: int, output: str, duration: float) -> KindResult:
    line = next((ln for ln in output.splitlines() if ln.startswith("MIXED ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result for {kind}:\n{output}")
    data = json.loads(line[len("MIXED ") :])
    return KindResult(
        kind,
        count,
        data["requests"],
        duration,
        data["p50"] / 1000,
        data["p95"] / 1000,
        data["p99"] / 1000,
        {str(k): v for k, v in data["statuses"].items()},
        data["socket_errors"],
    )


def process_cpu_seconds(proc: subprocess.Popen) -> dict[int, float]:
    """CPU seconds used so far by each server process under `lms serve` (its children, or itself)."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    except OSError:
        return {}
    pids = [int(c) for c in children] or [proc.pid]
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return used


def peak_rss(proc: subprocess.Popen) -> list[float]:
    """Each server process's peak resident memory so far, in MB (issue 15: at most 250 MB at L)."""
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    except OSError:
        return []
    peaks = []
    for pid in [int(c) for c in children] or [proc.pid]:
        try:
            peaks.append(round(peak_rss_mb(pid)))
        except (OSError, RuntimeError):
            continue
    return sorted(peaks, reverse=True)


def cpu_shares(before: dict[int, float], after: dict[int, float]) -> list[float]:
    """Each process's share of the CPU the server used in between: how evenly work was spread."""
    spent = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
    total = sum(spent.values()) or 1.0
    return sorted((round(v / total, 2) for v in spent.values()), reverse=True)


def table(rows: list[tuple[int, int, list[KindResult]]], title: str) -> str:
    lines = [
        f"### {title}",
        "",
        "| workers | people | kind | requests | req/s | p50 ms | p95 ms | p99 ms | statuses | 5xx + socket errors |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for workers, people, results in rows:
        for r in results:
            statuses = " ".join(f"{k}:{v}" for k, v in sorted(r.statuses.items()))
            lines.append(
                f"| {workers} | {people} | {r.kind} | {r.requests} | {r.rps:.0f} | {r.p50_ms:.0f} | "
                f"{r.p95_ms:.0f} | {r.p99_ms:.0f} | {statuses} | {r.server_errors + r.socket_errors} |"
            )
        total = sum(r.requests for r in results)
        errors = sum(r.server_errors + r.socket_errors for r in results)
        lines.append(f"| {workers} | {people} | **all** | **{total}** | **{total / results[0].seconds:.0f}** | | | | | **{errors}** |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mixed", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--levels", default="20,50,100,200,400", help="people at once, comma-separated")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per level")
    parser.add_argument("--workers", default="1,2", help="server processes to try, comma-separated")
    parser.add_argument("--kinds", default="", help="only these page kinds, comma-separated (e.g. 'org report,home')")
    parser.add_argument(
        "--figures",
        choices=["worker", "process"],
        default="worker",
        help="report figures stored by the worker, or computed per process",
    )
    parser.add_argument("--output", type=Path, help="also write the table (Markdown) here")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    requests = prepare(args.database_url, max(levels))
    if args.kinds:
        # One kind (or a few) alone: which of them a process's memory grows with.
        requests = {kind: r for kind, r in requests.items() if kind in args.kinds.split(",")}
    publish(args.database_url, by_worker=args.figures == "worker")
    rows = []
    memory = []  # what issue 15's memory target reads: each level's peak RSS and the load it ran under
    for workers in (int(x) for x in args.workers.split(",")):
        log = Path("var/bench/logs") / f"mixed-w{workers}.log"
        # As an operator runs it: templates not re-read, report figures published at most once a minute.
        with lms_served(args.database_url, log, workers=workers, PROFICIO_ENV="production", COOKIE_SECURE="true") as (base, proc):
            for people in levels:
                before = process_cpu_seconds(proc)
                results = load(base, requests, connections=people, duration=args.duration)
                shares_seen = cpu_shares(before, process_cpu_seconds(proc))
                rows.append((workers, people, results))
                errors = sum(r.server_errors + r.socket_errors for r in results)
                memory.append(
                    f"- {workers} process(es), {people} people: peak RSS per process {peak_rss(proc)} MB, "
                    f"load average {os.getloadavg()[0]:.1f}"
                )
                print(
                    f"workers={workers} people={people} (load average {os.getloadavg()[0]:.1f}): "
                    f"{sum(r.requests for r in results)} requests, "
                    f"{errors} errors, CPU share per process {shares_seen}, peak RSS per process (MB) {peak_rss(proc)}",
                    flush=True,
                )
                time.sleep(1)
    engine = make_engine(args.database_url).url.get_backend_name()
    text = table(rows, f"Mixed load on {engine}, {args.duration:g} s per level") + "\n\n" + "\n".join(memory)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")
    return 0 if all(r.server_errors + r.socket_errors == 0 for _, _, rs in rows for r in rs) else 1


if __name__ == "__main__":
    sys.exit(main())
