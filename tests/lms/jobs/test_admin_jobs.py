"""The admin page for background jobs: list by state, page through, retry a failed job."""

from __future__ import annotations

from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.jobs.models import Job
from lms.jobs.queue import job_claim, job_enqueue, job_fail
from tests.lms.jobs.conftest import fresh
from tests.support.queries import counting


def failed_job(db, kind="reports.snapshot", error="OperationalError: disk full") -> Job:
    job = job_enqueue(db, kind=kind, max_attempts=1)
    db.commit()
    job_fail(db, job=job_claim(db, worker_id="w1"), error=error)
    db.commit()
    return job


def test_admins_see_jobs_by_state_and_retry_a_failed_one(db, signed_in):
    browser, admin = signed_in("admin")
    broken = failed_job(db)
    waiting = job_enqueue(db, kind="quizzes.sweep")
    db.commit()

    page = browser.get("/admin/jobs")
    assert page.status_code == 200
    assert "reports.snapshot" in page.text and "quizzes.sweep" in page.text
    assert "OperationalError: disk full" in page.text
    assert ">Failed (1)</option>" in page.text and ">Queued (1)</option>" in page.text
    assert page.text.count('action="/admin/jobs/') == 1  # only the failed job has a Retry button

    queued_only = browser.get("/admin/jobs?state=queued").text
    assert "quizzes.sweep" in queued_only and "disk full" not in queued_only

    done = browser.post(f"/admin/jobs/{broken.id}/retry")
    assert done.status_code == 303 and done.headers["location"] == "/admin/jobs?state=failed"
    assert f"Job {broken.id} (reports.snapshot) is queued again" in browser.get(done.headers["location"]).text
    assert (fresh(db.get_bind(), Job, broken.id).state, fresh(db.get_bind(), Job, waiting.id).state) == ("queued", "queued")
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "job.retried")).one()
    assert (event.actor_id, event.target_id) == (admin.id, str(broken.id))

    again = browser.post(f"/admin/jobs/{broken.id}/retry")
    assert "only failed jobs can be retried" in browser.get(again.headers["location"]).text


def test_the_list_pages_with_a_fixed_number_of_queries(app, db, signed_in):
    browser, _ = signed_in("admin")
    for n in range(3):
        job_enqueue(db, kind="test.small", payload={"n": n})
    db.commit()
    with counting(app.state.engine) as few:
        assert browser.get("/admin/jobs").status_code == 200
    for n in range(60):
        job_enqueue(db, kind="test.many", payload={"n": n})
    db.commit()
    with counting(app.state.engine) as many:
        first = browser.get("/admin/jobs")
    assert len(many) == len(few)
    assert "Showing 1–50 of 63 jobs" in first.text and "Page 1 of 2" in first.text
    second = browser.get("/admin/jobs?page=2").text
    assert "Showing 51–63 of 63 jobs" in second and "test.small" in second


def test_a_filter_change_by_htmx_gets_only_the_results(db, signed_in):
    browser, _ = signed_in("admin")
    failed_job(db)
    partial = browser.get("/admin/jobs?state=failed", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.text.lstrip().startswith('<div id="results"') and "<h1>" not in partial.text
    assert "reports.snapshot" in partial.text
    wrong = browser.get("/admin/jobs?state=stuck")
    assert wrong.status_code == 422 and "Choose a state from the list." in wrong.text


def test_only_admins_see_or_retry_jobs(db, signed_in):
    job = failed_job(db)
    browser, _ = signed_in("manager", "trainer")
    assert browser.get("/admin/jobs").status_code == 403
    assert browser.post(f"/admin/jobs/{job.id}/retry").status_code == 403
    assert fresh(db.get_bind(), Job, job.id).state == "failed"
