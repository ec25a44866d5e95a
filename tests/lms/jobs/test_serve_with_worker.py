"""`lms serve --with-worker`: the worker runs jobs while the server runs, and goes when it goes."""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

import pytest
from sqlmodel import Session

from lms.db import make_engine
from lms.jobs.models import Job
from lms.jobs.queue import job_enqueue
from tests.support.live_server import LiveServer


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


def _wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def server(sqlite_template, tmp_path):
    path = tmp_path / "proficio.db"
    shutil.copy(sqlite_template, path)
    with LiveServer(f"sqlite:///{path}", tmp_path) as server:
        yield server


def test_the_worker_runs_queued_jobs_and_stops_with_the_server(server):
    engine = make_engine(server.env["DATABASE_URL"])
    try:
        with Session(engine, expire_on_commit=False) as session:
            job = job_enqueue(session, kind="quizzes.sweep")
            session.commit()
        server.start("--with-worker")
        workers = server.child_pids()
        assert len(workers) == 1

        def done() -> bool:
            with Session(engine) as session:
                return session.get(Job, job.id).state == "done"

        assert _wait_until(done, 60), server.output()
    finally:
        engine.dispose()

    server.stop()
    assert server.process.returncode == -signal.SIGTERM, server.output()  # as uvicorn ends on SIGTERM
    assert not any(_alive(pid) for pid in workers), "the worker outlived the server"
    assert "Worker" in server.output() and "stopped" in server.output()


def test_the_worker_stops_by_itself_when_the_server_is_killed(server):
    server.start("--with-worker")
    workers = server.child_pids()
    assert len(workers) == 1
    server.kill()
    assert _wait_until(lambda: not any(_alive(pid) for pid in workers), 30), "the worker outlived the server"


def test_serve_without_the_option_starts_no_worker(server):
    server.start()
    assert server.child_pids() == []
    assert "--with-worker" in server.lms("serve", "--help").stdout
