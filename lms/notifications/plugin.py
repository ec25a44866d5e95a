"""The worker's mail jobs: sending every minute, digests daily and (on Mondays) weekly."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from lms.clock import utcnow
from lms.config import get_settings
from lms.jobs.registry import register_handler, register_periodic
from lms.notifications.drain import digest_build, outbox_drain
from lms.notifications.header import unread_notifications
from lms.notifications.models import Delivery
from lms.web.templating import templates


def _own_session(session: Session) -> Session:
    # The drain commits message by message (see lms/notifications/drain.py), so it works in a session
    # of its own and leaves the job's transaction to the worker.
    return Session(session.get_bind(), expire_on_commit=False)


def send_job(session: Session, payload: dict[str, Any]) -> None:
    with _own_session(session) as own:
        outbox_drain(own, settings=get_settings())


def digest_daily_job(session: Session, payload: dict[str, Any]) -> None:
    with _own_session(session) as own:
        digest_build(own, settings=get_settings(), delivery=Delivery.DAILY)
        outbox_drain(own, settings=get_settings())


def _day_of(payload: dict[str, Any]) -> datetime:
    """The start of the job's period ("2026-12-07T00:00:00Z"), or now for a job queued by hand."""
    period = payload.get("period")
    return datetime.fromisoformat(period) if isinstance(period, str) and period.endswith("Z") else utcnow()


def digest_weekly_job(session: Session, payload: dict[str, Any]) -> None:
    # Scheduled daily and acting on Mondays: weekly periods of the job queue start on Thursdays
    # (weeks counted from the Unix epoch), and people expect a weekly summary at the start of the week.
    if _day_of(payload).weekday() != 0:
        return
    with _own_session(session) as own:
        digest_build(own, settings=get_settings(), delivery=Delivery.WEEKLY)
        outbox_drain(own, settings=get_settings())


def register() -> None:
    templates.env.globals["unread_notifications"] = unread_notifications
    register_handler("notifications.send", send_job)
    register_periodic("notifications.send", timedelta(minutes=1))
    register_handler("notifications.digest_daily", digest_daily_job)
    register_periodic("notifications.digest_daily", timedelta(days=1))
    register_handler("notifications.digest_weekly", digest_weekly_job)
    register_periodic("notifications.digest_weekly", timedelta(days=1))
