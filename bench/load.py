"""HTTP load from the benchmark process: fixed concurrency, a warm-up, then a fixed duration.

Each virtual user has its own httpx client (its own cookies, one keep-alive connection) and
sends its next request as soon as the previous answer arrives (a closed loop).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx2 as httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
        }


# One request by one virtual user: returns True when the answer was the expected one.
Step = Callable[[httpx.AsyncClient, int], Awaitable[bool]]


def client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url, timeout=60, follow_redirects=False, limits=httpx.Limits(max_connections=1, max_keepalive_connections=1)
    )


async def sign_in(http: httpx.AsyncClient, email: str, password: str) -> str:
    """Sign in through the login form like a browser; returns the session's CSRF token."""
    page = await http.get("/login")
    token = CSRF.search(page.text).group(1)
    answer = await http.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"})
    if answer.status_code != 303:
        raise RuntimeError(f"Sign-in as {email} answered {answer.status_code}")
    home = await http.get("/account")
    return CSRF.search(home.text).group(1)


async def run_load(clients: list[httpx.AsyncClient], step: Step, *, duration: float, warmup: float) -> LoadResult:
    """Every client runs ``step`` in a loop; requests finishing inside the measured window are counted."""
    started = time.perf_counter()
    measure_from = started + warmup
    stop_at = measure_from + duration
    latencies: list[float] = []
    errors = 0

    async def user(index: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        while True:
            begun = time.perf_counter()
            if begun >= stop_at:
                return
            ok = await step(http, index)
            ended = time.perf_counter()
            # Counted by when it finished, so slow requests (a sign-in) are not lost at the window's edges.
            if measure_from <= ended <= stop_at:
                latencies.append(ended - begun)
                errors += not ok

    await asyncio.gather(*(user(i, c) for i, c in enumerate(clients)))
    latencies.sort()
    return LoadResult(len(latencies), errors, duration, _percentile(latencies, 50), _percentile(latencies, 95))


def _percentile(sorted_values: list[float], pct: int) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(pct / 100 * (len(sorted_values) - 1)))
    return sorted_values[index] * 1000
