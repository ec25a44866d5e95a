"""The nightly retention job removes exactly what the registry says, and nothing the second time;
an organisation's RETENTION setting changes it; the admin page and `lms retention run` show it.
Both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select
from typer.testing import CliRunner

from lms.audit.models import AuditEvent, RecordView, RecordViewSubject
from lms.audit.verify import audit_verify
from lms.auth.models import LoginThrottle, UserSession
from lms.cli import app as cli
from lms.config import get_settings
from lms.jobs.registry import registry
from lms.people.models import User
from lms.privacy.models import DataExport, ExportStatus
from lms.privacy.retention import JOB_KIND, retention_apply

NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)
YEAR = 365 * DAY


def seed(db, make_user) -> dict:
    """Two of everything: one just past its period, one just inside it."""
    people = {
        "old_leaver": make_user(email="old.leaver@example.gov", name="Olga Leaver", is_active=False),
        "new_leaver": make_user(email="new.leaver@example.gov", name="Nina Leaver", is_active=False),
        "stayer": make_user(email="stayer@example.gov", created_at=NOW - 20 * YEAR),
    }
    # Written in the order they happened, as the log is: the purge removes a prefix of the chain.
    db.add(AuditEvent(action="test.old", at=NOW - 6 * YEAR - 2 * DAY))
    for key, ago in (("old_leaver", 6 * YEAR + DAY), ("new_leaver", 6 * YEAR - DAY)):
        db.add(AuditEvent(action="user.deactivate", target_type="user", target_id=str(people[key].id), at=NOW - ago))
    db.add(AuditEvent(action="test.old", at=NOW - 6 * YEAR + 2 * DAY))
    stayer = people["stayer"]
    for n, ago in enumerate((31 * DAY, 29 * DAY)):
        db.add(UserSession(token_hash=f"{n:064d}", user_id=stayer.id, created_at=NOW - ago, last_seen_at=NOW - ago))
        db.add(LoginThrottle(key=f"ip:10.0.0.{n}", kind="ip", client_ip=f"10.0.0.{n}", failures=3, last_failure_at=NOW - ago))
    for n, ago in enumerate((2 * YEAR + DAY, 2 * YEAR - DAY)):
        view = RecordView(viewer_id=stayer.id, viewer_label="Stayer", what="person page", at=NOW - ago, path=f"/team/{n}")
        db.add(view)
        db.flush()
        db.add(RecordViewSubject(view_id=view.id, user_id=people["new_leaver"].id))
    for ago, file_name in ((31 * DAY, None), (29 * DAY, None), (40 * DAY, "still-there.zip")):
        db.add(
            DataExport(
                subject_id=stayer.id,
                requested_by_id=stayer.id,
                status=ExportStatus.EXPIRED.value,
                file_name=file_name,
                created_at=NOW - ago - 7 * DAY,
                expires_at=NOW - ago,
            )
        )
    db.commit()
    return people


def test_retention_removes_exactly_what_the_registry_says(db, make_user, settings):
    people = seed(db, make_user)
    run = retention_apply(db, settings=settings, now=NOW)
    db.commit()
    # The events older than six years: the old leaver's deactivation and one test event.
    assert run.counts == {
        "sessions": 1,
        "sign_in_throttling": 1,
        "record_views": 1,
        "exports": 1,
        "deactivated_people": 1,
        "audit_events": 2,
        "xapi_statements": 0,
    }
    assert [s.last_seen_at for s in db.exec(select(UserSession)).all()] == [NOW - 29 * DAY]
    assert [t.client_ip for t in db.exec(select(LoginThrottle)).all()] == ["10.0.0.1"]
    assert [v.path for v in db.exec(select(RecordView)).all()] == ["/team/1"]
    assert len(db.exec(select(RecordViewSubject)).all()) == 1, "a view's subjects go with it"
    # The one whose file the hourly purge has not removed yet stays until it has.
    assert sorted((e.expires_at, e.file_name) for e in db.exec(select(DataExport)).all()) == [
        (NOW - 40 * DAY, "still-there.zip"),
        (NOW - 29 * DAY, None),
    ]
    old, new, stayer = (db.get(User, p.id) for p in people.values())
    db.refresh(old)
    assert old.name == f"Former employee #{old.id}" and old.erased_at is not None
    assert new.name == "Nina Leaver" and new.erased_at is None
    assert stayer.erased_at is None, "an active person is never anonymised, however old the account"
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "test.old", AuditEvent.at < NOW - 6 * YEAR)).all()
    assert audit_verify(db).ok, "the purge leaves a chain that verifies"

    again = retention_apply(db, settings=settings, now=NOW)
    db.commit()
    assert set(again.counts.values()) == {0}, "a second run the same night finds nothing"


def test_an_organisation_can_lengthen_or_switch_off_a_rule(db, make_user, settings):
    seed(db, make_user)
    longer = settings.model_copy(update={"retention": "sessions=1y,deactivated_people=0,audit_events=10y"})
    run = retention_apply(db, settings=longer, now=NOW)
    db.commit()
    assert run.counts["sessions"] == 0 and run.counts["audit_events"] == 0
    assert "deactivated_people" not in run.counts
    assert len(db.exec(select(UserSession)).all()) == 2
    assert not db.exec(select(User).where(User.erased_at.is_not(None))).all()


def test_the_worker_runs_it_daily(app):
    assert registry.periodic[JOB_KIND] == DAY


def test_admin_page_shows_the_registry_and_the_last_run(db, make_user, settings, signed_in, db_url):
    seed(db, make_user)
    get_settings.cache_clear()
    result = CliRunner().invoke(
        cli,
        ["retention", "run"],
        env={"DATABASE_URL": db_url, "SECRET_KEY": "cli-test-secret-" + "x" * 32, "PROFICIO_ENV": "development"},
    )
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Sign-in sessions: 1 (period 30 days)" in result.output
    browser, _ = signed_in("admin")
    page = browser.get("/admin/retention")
    assert page.status_code == 200
    text = page.text
    assert "The worker last applied these rules" in text
    assert "<code>user_session</code>" in text and "<code>audit_event</code>" in text
    assert "RETENTION=audit_events=10y,sessions=60d" in text
    jobs = browser.get("/admin/jobs").text
    assert "Last retention run" in jobs and "Sign-in sessions 1" in jobs and 'href="/admin/retention"' in jobs
    assert 'href="/admin/retention"' in browser.get("/admin").text
    employee, _ = signed_in("manager", email="not.admin@example.gov")
    assert employee.get("/admin/retention").status_code in (403, 404)


def test_before_the_first_run_the_page_says_so_and_the_worker_job_runs_it(signed_in, db, make_user):
    browser, _ = signed_in("admin")
    assert "Retention has not run yet" in browser.get("/admin/retention").text
    seed(db, make_user)
    registry.handlers[JOB_KIND](db, {})
    db.commit()
    hashes = {s.token_hash for s in db.exec(select(UserSession)).all()}
    assert f"{0:064d}" not in hashes and f"{1:064d}" in hashes, "the 31-day-old session went, the 29-day-old stayed"
    assert "The worker last applied these rules" in browser.get("/admin/retention").text
