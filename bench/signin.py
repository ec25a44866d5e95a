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


def hash_timing(rounds: int = 15) -> tuple[float, float]:
    """Median wall and CPU seconds of one verification (the work a sign-in does), with the app's argon2
    settings. CPU exceeds wall when argon2 spreads its lanes over threads."""
    stored = hash_password(DEMO_PASSWORD)
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        verify_password(DEMO_PASSWORD, stored)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def hash_limit(seconds: float) -> float:
    return (os.cpu_count() or 1) / seconds


async def signin_load(base: str, *, concurrency: int, duration: float, warmup: float):
    clients = [client(base) for _ in range(concurrency)]
    tokens = []
    try:
        for http in clients:
            tokens.append(CSRF.search((await http.get("/login")).text).group(1))

        async def step(http, index) -> bool:
            answer = await http.post(
                "/login", data={"email": EMPLOYEE, "password": DEMO_PASSWORD, "csrf_token": tokens[index], "next": "/"}
            )
            # Back to a signed-out visitor, so the next form post is checked against the same token.
            http.cookies.delete(SESSION_COOKIE)
            return answer.status_code == 303

        return await run_load(clients, step, duration=duration, warmup=warmup)
    finally:
        for http in clients:
            await http.aclose()
