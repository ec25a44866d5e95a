"""The worker loop on both engines: transactions per job, failures, periodic scheduling, housekeeping."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from lms.audit.models import AuditEvent
from lms.clock import utcnow
from lms.jobs.models import Job
from lms.jobs.queue import JOB_LEASE, job_claim, job_enqueue, periodic_jobs_enqueue
from lms.jobs.registry import Registry, period_of
from lms.jobs.worker import KEEP_DONE, Worker, run_worker
from tests.lms.jobs.conftest import fresh


def note(session: Session, payload: dict) -> None:
    session.add(AuditEvent(action="test.job", target_id=str(payload.get("n"))))


def notes(engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(AuditEvent.target_id).where(AuditEvent.action == "test.job")).all())


def test_a_failing_handler_leaves_nothing_behind_and_the_worker_goes_on(engine, session):
    registry = Registry()

    def half_done_then_broken(session: Session, payload: dict) -> None:
        note(session, payload)
        session.flush()
        raise RuntimeError("the mail server said no")

    registry.register_handler("test.broken", half_done_then_broken)
    registry.register_handler("test.note", note)
    broken = job_enqueue(session, kind="test.broken", payload={"n": "broken"})
    fine = job_enqueue(session, kind="test.note", payload={"n": "fine"})
    unknown = job_enqueue(session, kind="test.unknown")
    session.commit()

    assert run_worker(engine, worker_id="w1", once=True, registry=registry) == 3
    assert notes(engine) == ["fine"]
    assert fresh(engine, Job, fine.id).state == "done"
    failed = fresh(engine, Job, broken.id)
    assert failed.state == "queued" and failed.attempts == 1 and failed.run_after > utcnow()
    assert failed.last_error == "RuntimeError: the mail server said no"
    assert "no handler" in fresh(engine, Job, unknown.id).last_error


def test_a_worker_that_lost_its_lease_keeps_none_of_its_writes(engine, session):
    registry = Registry()

    def overran(session: Session, payload: dict) -> None:
        # While this handler runs past its lease, another worker takes the job over.
        with Session(engine) as other:
            job_claim(other, worker_id="w2", now=utcnow() + JOB_LEASE + timedelta(seconds=1))
        note(session, payload)

    registry.register_handler("test.slow", overran)
    job = job_enqueue(session, kind="test.slow", payload={"n": "slow"})
    session.commit()
    run_worker(engine, worker_id="w1", once=True, registry=registry)
    assert notes(engine) == []
    stored = fresh(engine, Job, job.id)
    assert (stored.state, stored.locked_by, stored.attempts) == ("running", "w2", 2)


def test_periodic_jobs_are_queued_once_per_period_by_any_number_of_workers(engine, session):
    registry = Registry()
    registry.register_handler("test.tick", note)
    registry.register_handler("test.month", note)
    registry.register_periodic("test.tick", timedelta(minutes=1))
    registry.register_periodic("test.month", "monthly")
    now = utcnow()
    workers = [Worker(worker_id=f"w{i}", registry=registry) for i in (1, 2)]
    with Session(engine) as other:
        workers[0].housekeeping(session, now)
        workers[1].housekeeping(other, now)
        periodic_jobs_enqueue(other, periodic=registry.periodic, now=now)  # a third scheduler, no memory
        other.commit()
    keys = sorted(session.exec(select(Job.dedupe_key)).all())
    assert keys == [f"test.month:{now:%Y-%m}", f"test.tick:{period_of(timedelta(minutes=1), now).label}"]

    workers[1].housekeeping(session, now + timedelta(minutes=1))
    assert len(session.exec(select(Job).where(Job.kind == "test.tick")).all()) == 2
    assert len(session.exec(select(Job).where(Job.kind == "test.month")).all()) == 1
    tick = session.exec(select(Job).where(Job.kind == "test.tick").order_by(Job.id)).first()
    assert tick.payload == {"period": period_of(timedelta(minutes=1), now).label}
    assert tick.run_after == period_of(timedelta(minutes=1), now).start


def test_a_periodic_job_runs_once_however_often_the_worker_runs(engine):
    registry = Registry()
    registry.register_handler("test.month", lambda session, payload: note(session, {"n": payload["period"]}))
    registry.register_periodic("test.month", "monthly")
    assert run_worker(engine, worker_id="w1", once=True, registry=registry) == 1
    assert run_worker(engine, worker_id="w2", once=True, registry=registry) == 0
    assert notes(engine) == [f"{utcnow():%Y-%m}"]


def test_the_worker_purges_old_done_jobs(engine, session):
    old = job_enqueue(session, kind="test.note")
    old.state, old.finished_at = "done", utcnow() - KEEP_DONE - timedelta(hours=1)
    session.add(old)
    session.commit()
    run_worker(engine, worker_id="w1", once=True, registry=Registry())
    assert fresh(engine, Job, old.id) is None


def test_a_running_worker_picks_up_new_jobs_and_stops_when_asked(engine, session):
    registry = Registry()
    handled = threading.Event()

    def done(session: Session, payload: dict) -> None:
        note(session, payload)
        handled.set()

    registry.register_handler("test.note", done)
    stop = threading.Event()
    ran: list[int] = []
    thread = threading.Thread(
        target=lambda: ran.append(run_worker(engine, worker_id="w1", poll_seconds=0.05, registry=registry, stop=stop))
    )
    thread.start()
    job_enqueue(session, kind="test.note", payload={"n": "late"})
    session.commit()
    assert handled.wait(30)
    stop.set()
    thread.join(30)
    assert not thread.is_alive() and ran == [1]
    assert notes(engine) == ["late"]


def test_the_registry_refuses_mistakes():
    registry = Registry()
    registry.register_handler("test.note", note)
    registry.register_handler("test.note", note)  # plugins may be loaded twice
    with pytest.raises(ValueError, match="already has a handler"):
        registry.register_handler("test.note", lambda session, payload: None)
    with pytest.raises(ValueError, match="before scheduling"):
        registry.register_periodic("test.other", "monthly")
    with pytest.raises(ValueError, match="monthly"):
        registry.register_periodic("test.note", "weekly")
