"""Many signed-in requests at once never lock the server up; a pool that stays full answers 503 fast.

Real `lms serve` processes with a deliberately small pool, real HTTP, many concurrent visitors.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from contextlib import contextmanager

import httpx2
import psycopg
from sqlalchemy.engine import make_url
from sqlmodel import Session

from lms.db import make_engine
from lms.people.models import User
from tests.conftest import TEST_PASSWORD
from tests.support.live_server import LiveServer, open_sessions, session_cookies
from tests.support.event_loop import run_coroutine

VISITORS = 100


def _people(db_url: str, password_hash: str, count: int) -> list[int]:
    engine = make_engine(db_url)
    try:
        with Session(engine) as db:
            users = [User(email=f"p{i}@example.gov", name=f"Person {i}", password_hash=password_hash) for i in range(count)]
            db.add_all(users)
            db.commit()
            return [u.id for u in users]
    finally:
        engine.dispose()


async def _crowd(url: str, tokens: list[str], path: str, rounds: int) -> list[int]:
    """Every visitor asks for ``path`` ``rounds`` times, all visitors at once; the statuses seen."""
    statuses: list[int] = []

    async def visitor(token: str) -> None:
        async with httpx2.AsyncClient(base_url=url, cookies=session_cookies(token), timeout=60) as http:
            for _ in range(rounds):
                statuses.append((await http.get(path)).status_code)

    await asyncio.gather(*(visitor(t) for t in tokens))
    return statuses


def test_a_crowd_of_signed_in_requests_is_served_with_a_small_pool(db_url, tmp_path, password_hash):
    # Before the fix, ~60 signed-in requests in flight held every connection while waiting for a
    # thread: all of them waited out the pool's 30 s and failed with 500.
    tokens = list(open_sessions(db_url, _people(db_url, password_hash, VISITORS)).values())
    with LiveServer(db_url, tmp_path, DB_POOL_SIZE="3", DB_POOL_TIMEOUT="60") as server:
        server.start()
        statuses = run_coroutine(_crowd(server.url, tokens, "/skills", rounds=3))
    assert statuses.count(200) == VISITORS * 3, {s: statuses.count(s) for s in set(statuses)}


@contextmanager
def _database_held(db_url: str):
    """Hold a lock that makes every request touching sessions wait, as a long migration would."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")  # in WAL mode, this keeps readers out too
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("UPDATE user_session SET client_ip = client_ip")
    else:
        conn = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
        conn.execute("LOCK TABLE user_session IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        conn.rollback()
        conn.close()


def test_a_pool_that_stays_full_answers_503_with_retry_after_quickly(db_url, tmp_path, password_hash):
    tokens = list(open_sessions(db_url, _people(db_url, password_hash, 3)).values())
    with LiveServer(db_url, tmp_path, DB_POOL_SIZE="1", DB_POOL_TIMEOUT="0.5") as server:
        server.start()
        results: dict[str, httpx2.Response] = {}
        with _database_held(db_url):
            # The first request takes the only connection and waits on the lock...
            stuck = threading.Thread(
                target=lambda: results.setdefault(
                    "stuck", httpx2.get(f"{server.url}/skills", cookies=session_cookies(tokens[0]), timeout=60)
                )
            )
            stuck.start()
            time.sleep(0.5)
            # ...so the next ones wait for a slot for DB_POOL_TIMEOUT, then get a clean 503.
            asked = time.monotonic()
            page = httpx2.get(f"{server.url}/skills", cookies=session_cookies(tokens[1]), timeout=30)
            waited = time.monotonic() - asked
            api = httpx2.get(f"{server.url}/api/v1/frameworks", headers={"Authorization": "Bearer prf_x"}, timeout=30)
            health = httpx2.get(f"{server.url}/healthz", timeout=30)
        stuck.join(timeout=60)
        after = httpx2.get(f"{server.url}/skills", cookies=session_cookies(tokens[2]), timeout=30)
    assert page.status_code == 503 and page.headers["retry-after"] == "5", page.text
    assert "Too many people are using Proficio right now" in page.text
    assert "text/html" in page.headers["content-type"]
    assert waited < 5, f"the 503 came after {waited:.1f}s"
    assert api.status_code == 503 and api.json() == {
        "detail": "Too many people are using Proficio right now. Please try again in a few seconds."
    }
    # The health check has its own connection: a full pool is not a dead database. (SQLite's
    # exclusive lock keeps every new connection out, so there the database truly cannot be read.)
    assert health.status_code == (503 if db_url.startswith("sqlite") else 200), health.text
    assert results["stuck"].status_code == 200  # the held request finished once the lock went
    assert after.status_code == 200
    assert "Traceback" not in server.output()


def test_password_holders_sign_in_under_load(db_url, tmp_path, password_hash):
    """Sign-ins (argon2 on its own threads) mixed with page views, many at once: none fails."""
    ids = _people(db_url, password_hash, 20)
    tokens = list(open_sessions(db_url, ids[10:]).values())
    with LiveServer(db_url, tmp_path, DB_POOL_SIZE="2", DB_POOL_TIMEOUT="60") as server:
        server.start()

        async def sign_in(i: int) -> int:
            async with httpx2.AsyncClient(base_url=server.url, timeout=60) as http:
                login = await http.get("/login")
                token = login.text.split('name="csrf_token" value="')[1].split('"')[0]
                answer = await http.post("/login", data={"email": f"p{i}@example.gov", "password": TEST_PASSWORD, "csrf_token": token})
                return answer.status_code

        async def everyone() -> tuple[list[int], list[int]]:
            return await asyncio.gather(
                asyncio.gather(*(sign_in(i) for i in range(10))), _crowd(server.url, tokens, "/learning", rounds=5)
            )

        signed, pages = run_coroutine(everyone())
    assert signed == [303] * 10
    assert pages == [200] * 50
