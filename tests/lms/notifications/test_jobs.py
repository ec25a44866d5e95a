"""The worker runs the mail jobs: sending every minute, the daily digest, the weekly one on Mondays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms.config import get_settings
from lms.jobs.registry import registry
from lms.notifications.models import OutboxState
from lms.notifications.plugin import digest_daily_job, digest_weekly_job, send_job
from lms.notifications.service import notify, preference_set


@pytest.fixture
def env_settings(monkeypatch, mail_settings):
    """The handlers read settings from the environment, as `lms worker` does."""
    for name in ("smtp_host", "smtp_port", "smtp_starttls", "base_url", "secret_key"):
        monkeypatch.setenv(name.upper(), str(getattr(mail_settings, name)))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_the_jobs_are_registered_with_their_schedules(app):
    assert registry.periodic["notifications.send"] == timedelta(minutes=1)
    assert registry.periodic["notifications.digest_daily"] == timedelta(days=1)
    assert registry.handlers["notifications.digest_weekly"] is digest_weekly_job


def test_handlers_send_and_digest(db, env_settings, smtp_server, make_user):
    ann = make_user(name="Ann")
    preference_set(db, user=ann, kind="expiring", delivery="weekly")
    preference_set(db, user=ann, kind="certificate_ready", delivery="daily")
    kw = dict(template="message", context={"text": "t"}, link="/learning", settings=env_settings)
    now = datetime.now(UTC)
    notify(db, user=ann, kind="due_soon", object_ref="cycle:1", period="a", subject="Now", now=now, **kw)
    notify(db, user=ann, kind="certificate_ready", object_ref="certificate:1", period="C", subject="Daily", **kw)
    weekly = notify(db, user=ann, kind="expiring", object_ref="cycle:1", period="b", subject="Weekly", **kw)
    db.commit()
    send_job(db, {})
    digest_daily_job(db, {"period": "2026-12-02T00:00:00Z"})
    # 2026-12-03 is a Thursday: nothing; 2026-12-07 is a Monday.
    digest_weekly_job(db, {"period": "2026-12-03T00:00:00Z"})
    db.refresh(weekly)
    assert weekly.state == OutboxState.PENDING
    digest_weekly_job(db, {"period": "2026-12-07T00:00:00Z"})
    db.refresh(weekly)
    assert weekly.state == OutboxState.DIGESTED
    subjects = [m["Subject"] for m in smtp_server.collector.messages]
    assert subjects == ["Now", "Daily digest from Proficio: 1 item", "Weekly digest from Proficio: 1 item"]
