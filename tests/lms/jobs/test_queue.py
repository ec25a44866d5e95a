"""The queue's services on both engines: dedupe, claim order, retries, leases, retry and purge."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from lms.clock import utcnow
from lms.jobs.models import Job
from lms.jobs.queue import (
    JOB_LEASE,
    JobError,
    LeaseLost,
    job_claim,
    job_enqueue,
    job_fail,
    job_purge,
    job_retry,
    job_succeed,
)
from tests.lms.jobs.conftest import fresh


def job_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Job)).one()


def test_a_dedupe_key_leaves_one_job_and_returns_it(session):
    first = job_enqueue(session, kind="reports.snapshot", payload={"period": "2026-11"}, dedupe_key="reports.snapshot:2026-11")
    session.commit()
    again = job_enqueue(session, kind="reports.snapshot", payload={"period": "other"}, dedupe_key="reports.snapshot:2026-11")
    session.commit()
    assert again.id == first.id and again.payload == {"period": "2026-11"}
    plain = [job_enqueue(session, kind="mail.send") for _ in range(2)]
    session.commit()
    assert plain[0].id != plain[1].id
    assert job_count(session) == 3


def test_two_sessions_racing_one_dedupe_key_leave_one_job(engine, session):
    first = job_enqueue(session, kind="reports.snapshot", dedupe_key="race")  # not committed yet
    seen: list[int] = []

    def other_process() -> None:
        with Session(engine) as other:
            # Waits for the first transaction (its row lock, or SQLite's write lock), then yields to it.
            seen.append(job_enqueue(other, kind="reports.snapshot", dedupe_key="race").id)
            other.commit()

    racer = threading.Thread(target=other_process)
    racer.start()
    racer.join(0.3)  # let it reach the INSERT and wait there
    session.commit()
    racer.join(30)
    assert not racer.is_alive()
    assert seen == [first.id]
    assert job_count(session) == 1


def test_claim_takes_the_oldest_due_job_and_skips_future_ones(engine, session):
    now = utcnow()
    later = job_enqueue(session, kind="k", payload={"n": "later"}, run_after=now + timedelta(minutes=5))
    second = job_enqueue(session, kind="k", payload={"n": "second"}, run_after=now - timedelta(minutes=1))
    first = job_enqueue(session, kind="k", payload={"n": "first"}, run_after=now - timedelta(minutes=2))
    session.commit()

    claimed = job_claim(session, worker_id="w1", now=now)
    assert claimed.id == first.id
    stored = fresh(engine, Job, first.id)  # committed before any handler runs
    assert (stored.state, stored.locked_by, stored.attempts) == ("running", "w1", 1)
    assert stored.locked_at is not None
    assert job_claim(session, worker_id="w1", now=now).id == second.id
    assert job_claim(session, worker_id="w1", now=now) is None
    assert job_claim(session, worker_id="w1", now=now + timedelta(minutes=6)).id == later.id


def test_failures_retry_with_growing_delays_then_stay_failed_with_the_error(engine, session):
    job_enqueue(session, kind="k", max_attempts=3)
    session.commit()
    now = utcnow()
    delays = []
    for attempt in (1, 2, 3):
        job = job_claim(session, worker_id="w1", now=now)
        assert job.attempts == attempt
        state = job_fail(session, job=job, error=f"ConnectionError: try {attempt}", now=now)
        session.commit()
        stored = fresh(engine, Job, job.id)
        if attempt < 3:
            assert state == stored.state == "queued"
            delays.append(stored.run_after - now)
            assert job_claim(session, worker_id="w1", now=now) is None  # not due yet
            now = stored.run_after
    assert delays[0] > timedelta(0) and delays[1] > delays[0]
    assert state == stored.state == "failed"
    assert stored.last_error == "ConnectionError: try 3" and stored.finished_at is not None
    assert job_claim(session, worker_id="w1", now=now + timedelta(days=1)) is None


def test_a_failed_job_can_be_retried_and_others_cannot(engine, session):
    job = job_enqueue(session, kind="k", max_attempts=1)
    session.commit()
    job_fail(session, job=job_claim(session, worker_id="w1"), error="ValueError: bad data")
    session.commit()

    retried = job_retry(session, job_id=job.id)
    session.commit()
    stored = fresh(engine, Job, job.id)
    assert (stored.state, stored.attempts, stored.finished_at) == ("queued", 0, None)
    assert retried.id == job_claim(session, worker_id="w2").id
    with pytest.raises(JobError, match="is running"):
        job_retry(session, job_id=job.id)
    with pytest.raises(JobError, match="no job"):
        job_retry(session, job_id=job.id + 1000)


def test_a_job_left_running_past_its_lease_is_claimed_again(engine, session):
    job_enqueue(session, kind="k")
    session.commit()
    start = utcnow()
    crashed = job_claim(session, worker_id="crashed", now=start)
    with Session(engine, expire_on_commit=False) as other_worker:
        assert job_claim(other_worker, worker_id="w2", now=start + JOB_LEASE / 2) is None  # still its worker's
        taken = job_claim(other_worker, worker_id="w2", now=start + JOB_LEASE + timedelta(seconds=1))
    assert (taken.id, taken.locked_by, taken.attempts) == (crashed.id, "w2", 2)
    # The worker that came back late cannot record an outcome over the one that took over.
    with pytest.raises(LeaseLost):
        job_succeed(session, job=crashed)
    with pytest.raises(LeaseLost):
        job_fail(session, job=crashed, error="late")
    session.rollback()
    job_succeed(session, job=taken)
    session.commit()
    assert fresh(engine, Job, taken.id).state == "done"


def test_a_job_whose_last_attempt_vanished_is_failed_not_run_again(engine, session):
    job_enqueue(session, kind="k", max_attempts=1)
    session.commit()
    start = utcnow()
    job = job_claim(session, worker_id="crashed", now=start)
    assert job_claim(session, worker_id="w2", now=start + JOB_LEASE + timedelta(seconds=1)) is None
    stored = fresh(engine, Job, job.id)
    assert stored.state == "failed" and "stopped answering" in stored.last_error


def test_purge_deletes_old_done_jobs_only(engine, session):
    now = utcnow()
    jobs = {name: job_enqueue(session, kind=name) for name in ("old-done", "new-done", "old-failed", "queued")}
    session.commit()
    for name, state, age in (("old-done", "done", 15), ("new-done", "done", 13), ("old-failed", "failed", 30)):
        job = jobs[name]
        job.state, job.finished_at = state, now - timedelta(days=age)
        session.add(job)
    session.commit()
    assert job_purge(session, finished_before=now - timedelta(days=14)) == 1
    session.commit()
    assert sorted(session.exec(select(Job.kind)).all()) == ["new-done", "old-failed", "queued"]
