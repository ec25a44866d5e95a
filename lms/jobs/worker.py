"""The worker loop behind `lms worker`: schedule periodic jobs, claim one, run it, record the outcome.

Each job runs in its own transaction: the handler's writes and "done" commit together, or on any
error roll back together and the job is retried later (see lms.jobs.queue for the delays). An error
in one job is logged with its id and never stops the worker. SIGTERM or SIGINT lets the current job
finish and then stops; a second signal acts as usual (Ctrl-C twice interrupts a stuck handler,
whose job another worker claims again once its lease has run out).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import FrameType

from sqlalchemy.engine import Engine
from sqlmodel import Session

from lms.clock import utcnow
from lms.data_versions import bulk_writes
from lms.jobs.models import JobState
from lms.jobs.queue import JobError, LeaseLost, job_claim, job_fail, job_purge, job_succeed, periodic_jobs_enqueue
from lms.jobs.registry import Registry, period_of, registry as default_registry

log = logging.getLogger(__name__)

# Done jobs are kept this long so operators can see what ran recently; a minute sweep alone adds
# 1,440 rows a day. Failed jobs are kept until someone retries or removes them.
KEEP_DONE = timedelta(days=14)
PURGE_EVERY = timedelta(hours=1)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    def __init__(self, *, worker_id: str, registry: Registry):
        self.worker_id, self.registry = worker_id, registry
        # The period each periodic kind was last queued for by this process, to skip the database
        # until a new period starts (the dedupe key still guards against other workers).
        self.scheduled: dict[str, str] = {}
        self.next_purge: datetime | None = None

    def housekeeping(self, session: Session, now: datetime) -> None:
        due = {
            kind: every for kind, every in self.registry.periodic.items() if self.scheduled.get(kind) != period_of(every, now).label
        }
        if due:
            periodic_jobs_enqueue(session, periodic=due, now=now)
            session.commit()
            self.scheduled.update({kind: period_of(every, now).label for kind, every in due.items()})
        if self.next_purge is None or now >= self.next_purge:
            purged = job_purge(session, finished_before=now - KEEP_DONE)
            session.commit()
            self.next_purge = now + PURGE_EVERY
            if purged:
                log.info("Purged %s done job(s) older than %s days", purged, KEEP_DONE.days)

    def run_next(self, session: Session) -> bool:
        """Claim and run one due job; False when none is due."""
        job = job_claim(session, worker_id=self.worker_id)
        if job is None:
            return False
        # Detached, so the claim's worker and attempt number stay as claimed for the ownership
        # checks, whatever the handler or a rollback does to the session.
        session.expunge(job)
        try:
            handler = self.registry.handlers.get(job.kind)
            if handler is None:
                raise JobError(f"no handler is registered for job kind {job.kind!r}")
            bulk_writes(session)  # a job may write many people's rows for a long time: lock none of their versions
            handler(session, dict(job.payload))
            job_succeed(session, job=job)
            session.commit()
            log.info("Job %s (%s) done", job.id, job.kind)
        except LeaseLost:
            session.rollback()
            log.warning("Job %s (%s) ran past its lease and was taken over; its result is discarded", job.id, job.kind)
        except Exception as exc:  # one bad job must not stop the worker
            session.rollback()
            log.exception("Job %s (%s) failed on attempt %s of %s", job.id, job.kind, job.attempts, job.max_attempts)
            try:
                state = job_fail(session, job=job, error=f"{type(exc).__name__}: {exc}")
                session.commit()
            except LeaseLost:
                session.rollback()
                return True
            if state == JobState.FAILED.value:
                log.error("Job %s (%s) gave up after %s attempts", job.id, job.kind, job.attempts)
        return True


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only; whoever runs us in a thread stops us via `stop`
        return
    watched = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.getsignal(sig) for sig in watched}

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("Stopping after the current job (%s)", signal.Signals(signum).name)
        stop.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    for sig in watched:
        signal.signal(sig, request_stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_worker(
    engine: Engine,
    *,
    worker_id: str | None = None,
    once: bool = False,
    poll_seconds: float = 5.0,
    registry: Registry = default_registry,
    stop: threading.Event | None = None,
) -> int:
    """Run jobs until stopped (or, with once=True, until none is due). Returns how many jobs ran.

    With once=True errors reaching the loop (say, the database is down) propagate so cron notices;
    otherwise they are logged and the worker tries again after `poll_seconds`.
    """
    stop = stop or threading.Event()
    worker = Worker(worker_id=worker_id or default_worker_id(), registry=registry)
    ran = 0
    # A single pass schedules for the moment it started, so it ends even if a period turns meanwhile.
    started = utcnow()
    with _stop_on_signals(stop), Session(engine, expire_on_commit=False) as session:
        log.info("Worker %s started", worker.worker_id)
        while not stop.is_set():
            try:
                worker.housekeeping(session, started if once else utcnow())
                if worker.run_next(session):
                    ran += 1
                    continue
            except Exception:
                session.rollback()
                if once:
                    raise
                log.exception("Worker %s could not reach the queue; trying again shortly", worker.worker_id)
            if once:
                break
            stop.wait(poll_seconds)
    log.info("Worker %s stopped after %s job(s)", worker.worker_id, ran)
    return ran
