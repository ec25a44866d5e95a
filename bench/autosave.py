"""Benchmark 4: quiz autosave throughput against the bare endpoint doing the same single write.

Each virtual user is a learner with an untimed attempt in progress. The app run saves slot 0
through the real route (as htmx does: the fragment answer carries the next sequence number); the
anchor saves slot 1 of the same attempts with one compare-and-set UPDATE and a commit.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import Session

from assessments.models import Attempt, Response
from bench.load import client, run_load, sign_in
from lms.demo_accounts import DEMO_PASSWORD
from lms.people.models import User

SEQUENCE = re.compile(r'name="sequence"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="sequence"')


def learners(session: Session, count: int) -> list[tuple[str, int, int, int]]:
    """(email, attempt id, sequence of slot 0, sequence of slot 1) for learners with an open attempt."""
    slot0, slot1 = Response.__table__.alias("r0"), Response.__table__.alias("r1")
    rows = session.exec(
        select(User.email, Attempt.id, slot0.c.sequence, slot1.c.sequence)
        .join(Attempt, Attempt.user_id == User.id)
        .join(slot0, (slot0.c.attempt_id == Attempt.id) & (slot0.c.slot == 0))
        .join(slot1, (slot1.c.attempt_id == Attempt.id) & (slot1.c.slot == 1))
        .where(Attempt.state == "in_progress", Attempt.deadline_at.is_(None))
        .order_by(Attempt.id)
        .limit(count)
    ).all()
    if len(rows) < count:
        raise RuntimeError(f"Only {len(rows)} open attempts; the autosave benchmark needs {count}.")
    return [tuple(r) for r in rows]


def _next_sequence(html: str) -> int | None:
    found = SEQUENCE.search(html)
    return int(found.group(1) or found.group(2)) if found else None


async def autosave_load(base: str, people, *, bare: bool, duration: float, warmup: float):
    clients = [client(base) for _ in people]
    sequences = [row[3] if bare else row[2] for row in people]
    tokens = []
    try:
        if not bare:
            for http, (email, *_rest) in zip(clients, people, strict=True):
                tokens.append(await sign_in(http, email, DEMO_PASSWORD))

        async def step(http, index) -> bool:
            attempt_id = people[index][1]
            if bare:
                answer = await http.post(f"/autosave/{attempt_id}/1", data={"sequence": sequences[index], "choice": "true"})
            else:
                answer = await http.post(
                    f"/attempts/{attempt_id}/slots/0",
                    data={"sequence": sequences[index], "choice": "a", "csrf_token": tokens[index]},
                    headers={"HX-Request": "true"},
                )
            following = _next_sequence(answer.text) if answer.status_code == 200 else None
            if following is None:
                return False
            sequences[index] = following
            return True

        return await run_load(clients, step, duration=duration, warmup=warmup)
    finally:
        for http in clients:
            await http.aclose()
