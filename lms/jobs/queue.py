"""Writes on the job queue: enqueue, claim, succeed, fail, retry, purge.

Claiming is safe with several workers: on PostgreSQL the candidate row is locked with
`FOR UPDATE SKIP LOCKED`, so workers pass over each other's rows instead of queueing behind them;
on SQLite (which ignores FOR UPDATE and lets one writer in at a time) the claiming UPDATE repeats
the "still claimable" condition, so of two workers that picked the same row only one changes it.
Succeeding and failing also check that the job is still the caller's (same worker, same attempt),
so a worker that outlived its lease cannot overwrite the outcome of the worker that took over.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.jobs.models import Job, JobState
from lms.jobs.registry import Every, period_of
from lms.people.models import User

# A job still `running` this long after it was claimed is taken to belong to a worker that died
# (killed, machine lost) and may be claimed again. Longer than any handler should take; a crashed
# worker's job waits at most this long.
JOB_LEASE = timedelta(minutes=10)
# Failed attempts wait 30 s, 2 min, 8 min, ... (capped), so a briefly unavailable dependency
# gets time to come back without a failing job spinning the worker.
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=6)
ERROR_CHARS = 4000


class JobError(ValueError):
    pass


class LeaseLost(JobError):
    """The job is no longer this worker's attempt (its lease ran out and another worker took it)."""


def job_enqueue(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any] | None = None,
    run_after: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 3,
) -> Job:
    """Queue a job; the caller commits. With a dedupe_key an existing job with that key (in any
    state, even done) is returned instead, also when another process is queueing it at this moment."""
    if max_attempts < 1:
        raise JobError("max_attempts must be at least 1")
    now = utcnow()
    values = dict(
        kind=kind,
        payload=payload or {},
        state=JobState.QUEUED.value,
        dedupe_key=dedupe_key,
        run_after=run_after or now,
        attempts=0,
        max_attempts=max_attempts,
        last_error="",
        created_at=now,
    )
    if dedupe_key is None:
        job = Job(**values)
        session.add(job)
        session.flush()
        return job
    # ON CONFLICT DO NOTHING instead of catching IntegrityError: on PostgreSQL a racing insert waits
    # for the other transaction and then yields to it, and the caller's transaction stays usable.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.exec(dialect.insert(Job).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"]))
    return session.exec(select(Job).where(Job.dedupe_key == dedupe_key)).one()


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Job.state == JobState.QUEUED.value, Job.run_after <= now),
        and_(Job.state == JobState.RUNNING.value, col(Job.locked_at) < now - JOB_LEASE),
    )


def job_claim(session: Session, *, worker_id: str, now: datetime | None = None) -> Job | None:
    """Take the oldest due job for this worker and commit, so the claim holds before the handler runs.

    A job whose worker vanished (running past the lease) is claimed again, or failed if that
    was its last attempt.
    """
    now = now or utcnow()
    while True:
        candidate = session.exec(
            select(Job.id, Job.state, Job.attempts, Job.max_attempts)
            .where(_claimable(now))
            .order_by(Job.run_after, Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if candidate is None:
            session.rollback()
            return None
        job_id, state, attempts, max_attempts = candidate
        still_claimable = and_(Job.id == job_id, _claimable(now))
        if state == JobState.RUNNING.value and attempts >= max_attempts:
            session.exec(
                update(Job)
                .where(still_claimable)
                .values(
                    state=JobState.FAILED.value,
                    finished_at=now,
                    last_error=f"The worker running it stopped answering (no result within {JOB_LEASE}).",
                )
            )
            session.commit()
            continue
        won = (
            session.exec(
                update(Job)
                .where(still_claimable)
                .values(
                    state=JobState.RUNNING.value,
                    locked_by=worker_id,
                    locked_at=now,
                    attempts=Job.attempts + 1,
                )
            ).rowcount
            == 1
        )
        session.commit()
        if won:
            return session.get(Job, job_id, populate_existing=True)


def _owned(job: Job) -> ColumnElement[bool]:
    return and_(Job.id == job.id, Job.state == JobState.RUNNING.value, Job.locked_by == job.locked_by, Job.attempts == job.attempts)


def job_succeed(session: Session, *, job: Job, now: datetime | None = None) -> None:
    """Mark the claimed job done, in the transaction holding the handler's writes; the caller commits."""
    done = session.exec(update(Job).where(_owned(job)).values(state=JobState.DONE.value, finished_at=now or utcnow())).rowcount == 1
    if not done:
        raise LeaseLost(f"job {job.id} was taken over by another worker")


def retry_delay(attempts: int) -> timedelta:
    return min(RETRY_BASE * 4 ** max(attempts - 1, 0), RETRY_CAP)


def job_fail(session: Session, *, job: Job, error: str, now: datetime | None = None) -> str:
    """Record a failed attempt: queue it again after a growing delay, or, after its last attempt,
    leave it failed. Returns the new state; the caller commits."""
    now = now or utcnow()
    error = error[:ERROR_CHARS]
    if job.attempts >= job.max_attempts:
        state = JobState.FAILED.value
        values = dict(finished_at=now, last_error=error)
    else:
        state = JobState.QUEUED.value
        values = dict(run_after=now + retry_delay(job.attempts), locked_at=None, last_error=error)
    if session.exec(update(Job).where(_owned(job)).values(state=state, **values)).rowcount != 1:
        raise LeaseLost(f"job {job.id} was taken over by another worker")
    return state


def job_retry(session: Session, *, job_id: int, by: User | None = None, client_ip: str | None = None) -> Job:
    """Give a failed job a fresh set of attempts, due now; the caller commits. `by` is None from the CLI."""
    job = session.get(Job, job_id)
    if job is None:
        raise JobError(f"there is no job {job_id}")
    if job.state != JobState.FAILED.value:
        raise JobError(f"job {job_id} is {job.state}; only failed jobs can be retried")
    job.state, job.attempts, job.run_after = JobState.QUEUED.value, 0, utcnow()
    job.locked_by = job.locked_at = job.finished_at = None
    session.add(job)
    audit_record(
        session,
        action="job.retried",
        actor=by,
        target_type="job",
        target_id=job.id,
        client_ip=client_ip,
        detail={"kind": job.kind, "last_error": job.last_error[:200]},
    )
    session.flush()
    return job


def job_purge(session: Session, *, finished_before: datetime) -> int:
    """Delete done jobs finished before the given time (failed ones stay for an operator to see)."""
    return session.exec(delete(Job).where(Job.state == JobState.DONE.value, col(Job.finished_at) < finished_before)).rowcount


def periodic_jobs_enqueue(session: Session, *, periodic: dict[str, Every], now: datetime | None = None) -> list[Job]:
    """Queue the current period's job of every periodic kind (one per period however often this
    runs, from however many workers; see lms.jobs.registry). The caller commits."""
    now = now or utcnow()
    jobs = []
    for kind, every in periodic.items():
        period = period_of(every, now)
        jobs.append(
            job_enqueue(
                session, kind=kind, payload={"period": period.label}, run_after=period.start, dedupe_key=f"{kind}:{period.label}"
            )
        )
    return jobs
