"""Benchmark 5: sign-in throughput against the ceiling argon2 sets (cores ÷ one hash's time)."""

from __future__ import annotations

import os
import statistics
import time

from bench.load import CSRF, client, run_load
from bench.synth_people import EMPLOYEE
from lms.auth.passwords import hash_password, verify_password
from lms.demo_accounts import DEMO_PASSWORD
from lms.web.cookies import SESSION_COOKIE


def hash_seconds(rounds: int = 15) -> float:
    """Median time of one verification (the work a sign-in does), with the app's argon2 settings."""
    stored = hash_password(DEMO_PASSWORD)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        verify_password(DEMO_PASSWORD, stored)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def hash_limit(seconds: float) -> float:
    return (os.cpu_count() or 1) / seconds


async def signin_load(base: str, *, concurrency: int, duration: float, warmup: float):
    clients = [client(base) for _ in range(concurrency)]
    tokens = []
    try:
        for http in clients:
            tokens.append(CSRF.search((await http.get("/login")).text).group(1))

        async def step(http, index) -> bool:
            answer = await http.post("/login", data={"email": EMPLOYEE, "password": DEMO_PASSWORD,
                                                     "csrf_token": tokens[index], "next": "/"})
            # Back to a signed-out visitor, so the next form post is checked against the same token.
            http.cookies.delete(SESSION_COOKIE)
            return answer.status_code == 303

        return await run_load(clients, step, duration=duration, warmup=warmup)
    finally:
        for http in clients:
            await http.aclose()
