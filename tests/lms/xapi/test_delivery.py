"""Delivery to the LRS: an LRS that is down or failing gets the statements later, a statement sent
twice is held once, a statement the LRS refuses is set aside with its reason, and the worker runs it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import update
from sqlmodel import select

from courses.learning.service import lesson_complete
from lms.clock import utcnow
from lms.config import get_settings
from lms.jobs.models import Job, JobState
from lms.jobs.queue import job_enqueue
from lms.jobs.registry import registry
from lms.jobs.worker import Worker
from lms.xapi.delivery import JOB_KIND, MAX_ATTEMPTS, backoff, statements_deliver
from lms.xapi.models import StatementState, XapiStatement
from tests.courses.factories import lessons_of, make_course
from tests.lms.xapi.conftest import point_at
from tests.lms.xapi.lrs import Lrs, free_port


def rows(db) -> list[XapiStatement]:
    db.expire_all()
    return list(db.exec(select(XapiStatement).order_by(XapiStatement.id)))


def complete_a_lesson(db, make_user) -> list[XapiStatement]:
    """A learner completes a one-lesson course: experienced, completed (lesson), completed (course)."""
    learner = make_user()
    course = make_course(db, f"Course for {learner.email}")
    lesson_complete(db, user=learner, lesson=lessons_of(db, course)[0])
    db.commit()
    return rows(db)


def held_by(lrs: Lrs, homepage: str) -> list[dict]:
    return [s for s in lrs.statements() if s["actor"].get("account", {}).get("homePage") == homepage]


def test_an_lrs_that_is_down_gets_the_statements_when_it_is_back(db, make_user, monkeypatch, lrs_home, tmp_path):
    later = Lrs(tmp_path / "lrs", port=free_port())
    (later.home).mkdir()
    (later.home / "auth.json").write_text((lrs_home / "auth.json").read_text())
    homepage = point_at(monkeypatch, later.endpoint)
    queued = complete_a_lesson(db, make_user)
    assert len(queued) == 3
    now = utcnow()

    report = statements_deliver(db, settings=get_settings(), now=now)
    assert (report.sent, report.retried, report.failed) == (0, 3, 0)
    for row in rows(db):
        assert row.state == StatementState.PENDING.value and row.attempts == 1
        assert row.next_attempt_at == now + backoff(1)
        assert "ConnectError" in row.last_error
    # Not due yet: nothing is tried.
    assert statements_deliver(db, settings=get_settings(), now=now + timedelta(seconds=30)).retried == 0

    later.start()
    try:
        report = statements_deliver(db, settings=get_settings(), now=now + backoff(1))
        assert report.sent == 3
        assert {row.state for row in rows(db)} == {StatementState.SENT.value}
        assert sorted(s["id"] for s in held_by(later, homepage)) == sorted(row.statement_id for row in queued)
    finally:
        later.stop()


def test_a_statement_sent_twice_is_held_once(db, make_user, xapi, lrs):
    queued = complete_a_lesson(db, make_user)
    assert statements_deliver(db, settings=get_settings()).sent == 3
    # As if the LRS's answer had been lost: the rows are sent again with the ids they were given.
    db.exec(update(XapiStatement).values(state=StatementState.PENDING.value, next_attempt_at=utcnow()))
    db.commit()
    assert statements_deliver(db, settings=get_settings()).sent == 3
    held = held_by(lrs, xapi)
    assert sorted(s["id"] for s in held) == sorted(row.statement_id for row in queued)


def test_a_statement_the_lrs_refuses_is_set_aside_and_the_rest_of_its_batch_arrives(db, make_user, xapi, lrs):
    queued = complete_a_lesson(db, make_user)
    broken = queued[1]
    statement = dict(broken.statement)
    statement["actor"] = {"objectType": "Agent", "name": "Nobody in particular"}  # no identifier: refused
    db.exec(update(XapiStatement).where(XapiStatement.id == broken.id).values(statement=statement))
    db.commit()

    report = statements_deliver(db, settings=get_settings())
    assert (report.sent, report.failed, report.retried) == (2, 1, 0)
    by_id = {row.id: row for row in rows(db)}
    assert by_id[broken.id].state == StatementState.FAILED.value
    assert by_id[broken.id].last_error.startswith("HTTP 4")
    assert sorted(s["id"] for s in held_by(lrs, xapi)) == sorted(r.statement_id for r in queued if r.id != broken.id)
    # Set aside for good: later runs leave it alone.
    assert statements_deliver(db, settings=get_settings(), now=utcnow() + timedelta(days=1)).failed == 0


class _Failing(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(503)
        self.end_headers()
        self.wfile.write(b"LRS under maintenance")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def failing_lrs() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/xAPI"
    server.shutdown()
    server.server_close()


def test_a_failing_lrs_is_tried_again_with_growing_waits_until_the_attempts_run_out(db, make_user, monkeypatch, failing_lrs):
    point_at(monkeypatch, failing_lrs)
    complete_a_lesson(db, make_user)
    now = utcnow()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = statements_deliver(db, settings=get_settings(), now=now)
        row = rows(db)[0]
        assert row.attempts == attempt and row.last_error == "HTTP 503: LRS under maintenance"
        if attempt < MAX_ATTEMPTS:
            assert report.retried == 3 and row.state == StatementState.PENDING.value
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert waits[:5] == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6)]
    assert set(waits[5:]) == {timedelta(hours=6)}
    assert {r.state for r in rows(db)} == {StatementState.FAILED.value}


def test_the_worker_sends_them_and_the_jobs_page_lists_the_job(db, make_user, xapi, lrs, signed_in):
    assert registry.periodic[JOB_KIND] == timedelta(minutes=1)
    queued = complete_a_lesson(db, make_user)
    job_enqueue(db, kind=JOB_KIND)
    db.commit()
    assert Worker(worker_id="test", registry=registry).run_next(db)
    db.expire_all()
    assert db.exec(select(Job.state).where(Job.kind == JOB_KIND)).one() == JobState.DONE.value
    assert {row.state for row in rows(db)} == {StatementState.SENT.value}
    assert len(held_by(lrs, xapi)) == len(queued)
    admin, _ = signed_in("admin")
    page = admin.get("/admin/jobs")
    assert page.status_code == 200 and JOB_KIND in page.text
    assert "0 waiting, 0 refused or given up, 3 sent" in page.text


def test_nothing_is_sent_while_the_endpoint_is_empty(db, make_user, xapi):
    queued = complete_a_lesson(db, make_user)
    assert queued
    settings = get_settings().model_copy(update={"xapi_endpoint": ""})
    assert statements_deliver(db, settings=settings).sent == 0
    assert {row.state for row in rows(db)} == {StatementState.PENDING.value}
