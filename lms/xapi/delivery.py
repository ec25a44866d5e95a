"""The worker's side of the xAPI outbox: statements sent to the LRS in batches, retried, or set aside.

Every minute the job takes the due statements, oldest first, in batches of BATCH: each batch is
claimed (its next_attempt_at pushed out by a lease) and committed before it is sent, so two workers
never send the same rows and a worker that dies mid-send leaves them to be sent again after the lease.
Sending again is harmless: each statement carries the id it was given when queued, and an LRS keeps
one statement per id (xAPI 1.0.3, "Statement Immutability").

What the LRS answers decides each row's fate:
- 2xx: sent.
- a network error, a timeout, 5xx, 401/403/404/408/429 (the LRS or its settings are at fault, not the
  statement): pending again after a growing wait; after MAX_ATTEMPTS, failed.
- any other 4xx (400 a statement it refuses, 409 a different statement under the same id): a batch is
  split and sent one statement at a time, so only the statements the LRS refuses are marked failed,
  with its reason, and never sent again by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx2 as httpx
from sqlalchemy import update
from sqlmodel import Session, col, select

from lms.clock import utcnow
from lms.config import Settings, get_settings
from lms.xapi.models import StatementState, XapiStatement

JOB_KIND = "xapi.deliver"
BATCH = 50
LEASE = timedelta(minutes=10)
# Waits after the 1st, 2nd, ... failed attempt; an LRS away for a weekend still gets everything.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = 20
TIMEOUT = 30.0
VERSION = "1.0.3"
# Answers that say the LRS (or how we reach it) is wrong, not the statement: worth trying again.
NOT_THE_STATEMENT = {401, 403, 404, 408, 429}
ERROR_CHARS = 1000


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def statements_url(settings: Settings) -> str:
    return settings.xapi_endpoint.strip().rstrip("/") + "/statements"


def _client(settings: Settings) -> httpx.Client:
    auth = (settings.xapi_username, settings.xapi_password) if settings.xapi_username else None
    return httpx.Client(
        auth=auth,
        timeout=TIMEOUT,
        headers={"X-Experience-API-Version": VERSION, "Content-Type": "application/json"},
        follow_redirects=False,
    )


def _claim(session: Session, now: datetime) -> list[XapiStatement]:
    due = list(
        session.exec(
            select(XapiStatement.id)
            .where(XapiStatement.state == StatementState.PENDING.value, XapiStatement.next_attempt_at <= now)
            .order_by(col(XapiStatement.next_attempt_at), col(XapiStatement.id))
            .limit(BATCH)
        )
    )
    if not due:
        session.rollback()
        return []
    # The lease's end, to the microsecond, marks this worker's rows: another worker claiming the same
    # rows at this moment changes none of them (they are no longer due) and reads back none.
    lease_until = now + LEASE
    session.exec(
        update(XapiStatement)
        .where(
            col(XapiStatement.id).in_(due),
            XapiStatement.state == StatementState.PENDING.value,
            XapiStatement.next_attempt_at <= now,
        )
        .values(next_attempt_at=lease_until)
    )
    session.commit()
    return list(
        session.exec(
            select(XapiStatement)
            .where(col(XapiStatement.id).in_(due), XapiStatement.next_attempt_at == lease_until)
            .order_by(col(XapiStatement.id))
        )
    )


def _post(client: httpx.Client, url: str, statements: list[dict[str, Any]]) -> tuple[int | None, str]:
    """The LRS's status code and what it said (None and the error when it could not be reached)."""
    try:
        response = client.post(url, json=statements)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return response.status_code, response.text[:ERROR_CHARS]


def _mark(session: Session, rows: list[XapiStatement], now: datetime, status: int | None, said: str, report: DeliveryReport) -> None:
    for row in rows:
        session.add(row)
        row.attempts += 1
        if status is not None and 200 <= status < 300:
            row.state, row.sent_at, row.last_error = StatementState.SENT.value, now, ""
            report.sent += 1
            continue
        reason = f"HTTP {status}: {said}" if status is not None else said
        refused = status is not None and 400 <= status < 500 and status not in NOT_THE_STATEMENT
        if refused or row.attempts >= MAX_ATTEMPTS:
            row.state, row.last_error = StatementState.FAILED.value, reason[:ERROR_CHARS]
            report.failed += 1
        else:
            row.next_attempt_at, row.last_error = now + backoff(row.attempts), reason[:ERROR_CHARS]
            report.retried += 1


def _send(session: Session, client: httpx.Client, url: str, rows: list[XapiStatement], now: datetime, report: DeliveryReport) -> None:
    status, said = _post(client, url, [row.statement for row in rows])
    refused = status is not None and 400 <= status < 500 and status not in NOT_THE_STATEMENT
    if refused and len(rows) > 1:
        # The LRS takes or refuses a batch whole: find out which statements it refuses.
        for row in rows:
            _send(session, client, url, [row], now, report)
        return
    _mark(session, rows, now, status, said, report)


def statements_deliver(session: Session, *, settings: Settings, now: datetime | None = None, batches: int = 100) -> DeliveryReport:
    """Send due statements, a batch at a time, committing each batch's outcome. Sends nothing while
    XAPI_ENDPOINT is empty (what was queued before it was emptied waits for it to come back)."""
    report = DeliveryReport()
    if not settings.xapi_endpoint.strip():
        return report
    now = now or utcnow()
    url = statements_url(settings)
    with _client(settings) as client:
        for _ in range(batches):
            rows = _claim(session, now)
            if not rows:
                break
            _send(session, client, url, rows, now, report)
            session.commit()
            if report.retried and report.sent == 0:
                break  # the LRS is away: leave the rest for the next run instead of a minute of timeouts
    return report


def deliver_job(session: Session, payload: dict[str, Any]) -> None:
    # The delivery commits batch by batch in a session of its own (a batch the LRS took must stay
    # marked sent even if a later one fails), leaving the job's own transaction to the worker.
    with Session(session.get_bind(), expire_on_commit=False) as own:
        statements_deliver(own, settings=get_settings())
