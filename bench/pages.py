"""Benchmarks 1 and 2: page throughput and p95 against the bare page, and SQL statements per page."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from sqlalchemy import event, func, select
from sqlmodel import Session
from starlette.testclient import TestClient

from bench.load import CSRF, client, run_load, sign_in
from bench.servers import SECRET
from bench.synth_people import EMPLOYEE, MANAGER
from courses.models import Course, Enrolment
from lms.app import create_app
from lms.config import Settings
from lms.demo_accounts import DEMO_PASSWORD


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    email: str


def pages(session: Session) -> list[Page]:
    """My learning, My skills, the employee's most popular course, and the 50-person heatmap."""
    course_id = session.exec(_popular_course()).scalar_one()
    return [
        Page("My learning", "/learning", EMPLOYEE),
        Page("My skills", "/skills", EMPLOYEE),
        Page("Course page", f"/courses/{course_id}", EMPLOYEE),
        Page("Team heatmap (50)", "/team", MANAGER),
    ]


def _popular_course():
    return (
        select(Enrolment.course_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Course.status == "published")
        .group_by(Enrolment.course_id)
        .order_by(func.count().desc(), Enrolment.course_id)
        .limit(1)
    )


async def page_load(base: str, page: Page, *, concurrency: int, duration: float, warmup: float):
    clients = [client(base) for _ in range(concurrency)]
    try:
        for http in clients:
            await sign_in(http, page.email, DEMO_PASSWORD)

        async def step(http, _index) -> bool:
            return (await http.get(page.path)).status_code == 200

        return await run_load(clients, step, duration=duration, warmup=warmup)
    finally:
        for http in clients:
            await http.aclose()


async def bare_page_load(base: str, *, concurrency: int, duration: float, warmup: float):
    clients = [client(base) for _ in range(concurrency)]
    try:

        async def step(http, _index) -> bool:
            return (await http.get("/fortunes")).status_code == 200

        return await run_load(clients, step, duration=duration, warmup=warmup)
    finally:
        for http in clients:
            await http.aclose()


@dataclass(frozen=True)
class Statements:
    count: int  # statements that read (the page's own work)
    sql_ms: float  # time spent in the database driver
    total_ms: float  # the whole request, in process (no HTTP server, no network)
    writes: int = 0  # a page that shows other people records that it did (lms/privacy/views.py): two inserts


def _measured(http: TestClient, engine, path: str, rounds: int = 5) -> Statements:
    """The statement count of one request, and the median request and SQL times over a few."""
    samples = []
    # One list for every round, emptied before each: the listeners below close over it.
    timings: list[float] = []
    writes: list[str] = []
    for _ in range(rounds):
        timings.clear()
        writes.clear()

        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info["bench_started"] = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            timings.append(time.perf_counter() - conn.info.pop("bench_started"))
            if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
                writes.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        try:
            started = time.perf_counter()
            assert http.get(path).status_code == 200
            total = time.perf_counter() - started
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
        samples.append((len(timings) - len(writes), sum(timings) * 1000, total * 1000))
    median_sql = statistics.median(s[1] for s in samples)
    return Statements(samples[-1][0], median_sql, statistics.median(s[2] for s in samples), writes=len(writes))


def statements_per_page(database_url: str, page_list: list[Page]) -> dict[str, Statements]:
    """SQL statements one request sends, counted in process once the app is warm (after one request)."""
    app = create_app(Settings(database_url=database_url, secret_key=SECRET, proficio_env="development"))
    engine = app.state.engine
    counts: dict[str, Statements] = {}
    try:
        with TestClient(app, base_url="http://testserver") as http:
            signed_in = None
            for page in page_list:
                if signed_in != page.email:
                    http.cookies.clear()
                    token = CSRF.search(http.get("/login").text).group(1)
                    answer = http.post(
                        "/login", data={"email": page.email, "password": DEMO_PASSWORD, "csrf_token": token}, follow_redirects=False
                    )
                    assert answer.status_code == 303, answer.status_code
                    signed_in = page.email
                http.get(page.path)
                counts[page.name] = _measured(http, engine, page.path)
    finally:
        engine.dispose()
    return counts
