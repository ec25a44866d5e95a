"""Several workers draining one queue: each job runs exactly once, and its writes land once."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlmodel import Session, select

from lms.audit.models import AuditEvent
from lms.db import make_engine
from lms.jobs.models import Job
from lms.jobs.queue import job_enqueue
from lms.jobs.registry import Registry
from lms.jobs.worker import run_worker

JOBS = 200


def record(session: Session, payload: dict) -> None:
    session.add(AuditEvent(action="test.job", target_id=str(payload["n"]), actor_email=threading.current_thread().name))
    # Handlers do I/O; letting go of the GIL here makes the two workers interleave as processes would.
    time.sleep(0.001)


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_two_workers_run_every_job_exactly_once(db_url, session):
    registry = Registry()
    registry.register_handler("test.record", record)
    for n in range(JOBS):
        job_enqueue(session, kind="test.record", payload={"n": n})
    session.commit()

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        engine = make_engine(db_url)  # its own connections, as a separate process would have
        try:
            start.wait()
            run_worker(engine, worker_id=threading.current_thread().name, once=True, registry=registry)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=worker, name=name) for name in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []

    jobs = session.exec(select(Job)).all()
    assert {(job.state, job.attempts) for job in jobs} == {("done", 1)}
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "test.job")).all()
    assert sorted(int(event.target_id) for event in events) == list(range(JOBS))
    # Each job's write came from the worker that holds the job.
    by_job = {job.payload["n"]: job.locked_by for job in jobs}
    assert all(by_job[int(event.target_id)] == event.actor_email for event in events)
    shares = Counter(job.locked_by for job in jobs)
    assert set(shares) == {"w1", "w2"}, shares
