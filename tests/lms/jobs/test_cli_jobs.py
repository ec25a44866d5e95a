"""`lms worker` and `lms jobs` as an operator uses them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from assessments.attempts.service import attempt_start
from assessments.models import Attempt
from lms.cli import app
from lms.clock import utcnow
from lms.config import get_settings
from lms.jobs.models import Job
from lms.jobs.queue import job_claim, job_enqueue, job_fail
from lms.jobs.registry import Registry
from lms.jobs.worker import run_worker
from tests.assessments.factories import quiz_of, single_choice
from tests.lms.jobs.conftest import fresh

ENV = {"SECRET_KEY": "cli-test-secret-" + "x" * 32, "PROFICIO_ENV": "development"}


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def lms(db_url: str, *args: str):
    result = CliRunner().invoke(app, list(args), env={"DATABASE_URL": db_url, **ENV})
    assert "Traceback" not in result.output, result.output
    return result


def test_worker_once_runs_the_quiz_deadline_sweep_and_jobs_list_shows_it(db_url, db, make_user):
    quiz, _ = quiz_of(db, [single_choice()], time_limit_minutes=5)
    attempt = attempt_start(db, quiz=quiz, user=make_user())
    db.exec(update(Attempt).where(Attempt.id == attempt.id).values(deadline_at=utcnow() - timedelta(seconds=1)))
    db.commit()

    ran = lms(db_url, "worker", "--once")  # its scheduler queues this minute's sweep, then runs it
    assert ran.exit_code == 0, ran.output
    assert re.fullmatch(r"Ran \d+ jobs?\.", ran.stdout.strip())
    assert fresh(db.get_bind(), Attempt, attempt.id).state == "submitted"

    listed = lms(db_url, "jobs", "list")
    assert listed.exit_code == 0
    header, *rows = listed.stdout.strip().splitlines()
    assert header.split()[:4] == ["ID", "KIND", "STATE", "TRIES"]
    assert [row.split()[1:4] for row in rows if "quizzes.sweep" in row] == [["quizzes.sweep", "done", "1/3"]]
    assert lms(db_url, "jobs", "list", "--state", "failed").stdout.strip() == "No failed jobs."


def test_jobs_retry_queues_a_failed_job_again(db_url, db):
    job = job_enqueue(db, kind="reports.snapshot", max_attempts=1)
    db.commit()
    job_fail(db, job=job_claim(db, worker_id="w1"), error="OperationalError: disk full\nat line 3")
    db.commit()
    failed = lms(db_url, "jobs", "list", "--state", "failed").stdout
    assert "reports.snapshot" in failed and "OperationalError: disk full" in failed and "line 3" not in failed

    retried = lms(db_url, "jobs", "retry", str(job.id))
    assert retried.exit_code == 0 and f"Job {job.id} (reports.snapshot) is queued again." in retried.stdout
    assert fresh(db.get_bind(), Job, job.id).state == "queued"
    again = lms(db_url, "jobs", "retry", str(job.id))
    assert again.exit_code == 1
    assert again.stderr.strip() == f"Error: job {job.id} is queued; only failed jobs can be retried."


def test_sigterm_lets_the_current_job_finish_then_stops(engine, session):
    registry = Registry()
    ran: list[int] = []

    def interrupted(session, payload) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # as `systemctl stop` would, mid-job
        ran.append(payload["n"])

    registry.register_handler("test.interrupted", interrupted)
    first, second = (job_enqueue(session, kind="test.interrupted", payload={"n": n}) for n in (1, 2))
    session.commit()
    before = signal.getsignal(signal.SIGTERM)

    assert run_worker(engine, worker_id="w1", once=True, registry=registry) == 1
    assert ran == [1]
    assert fresh(engine, Job, first.id).state == "done"
    assert fresh(engine, Job, second.id).state == "queued"
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_running_worker_process_stops_cleanly_on_sigterm(db_url):
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "lms"), "worker", "--poll", "0.2"],
        env={**os.environ, "DATABASE_URL": db_url, **ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in process.stderr:
            if "started" in line:
                break
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert re.fullmatch(r"Ran \d+ jobs?\.", out.strip())  # periodic jobs may have come first
    assert "Traceback" not in err and "Stopping after the current job (SIGTERM)" in err
