"""A message that keeps failing shows on /admin/jobs with its error, and an admin can send it again."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.notifications.drain import MAX_ATTEMPTS, outbox_drain
from lms.notifications.models import Outbox, OutboxState
from lms.notifications.service import notify
from tests.lms.notifications.test_drain import NOW


def test_failed_messages_show_with_their_error_and_can_be_sent_again(db, mail_settings, smtp_server, signed_in, make_user):
    browser, admin = signed_in("admin")
    assert "Messages that could not be sent" not in browser.get("/admin/jobs").text
    learner = make_user(email="lena@example.org")
    row = notify(
        db,
        user=learner,
        kind="overdue",
        object_ref="cycle:3",
        period="2026-11-30",
        subject="Phishing awareness is overdue",
        template="message",
        context={"text": "t"},
        link="/learning",
        now=NOW,
        settings=mail_settings,
    )
    db.commit()
    assert row is not None
    smtp_server.collector.fail_next = 100
    at = NOW
    for _ in range(MAX_ATTEMPTS):
        outbox_drain(db, settings=mail_settings, now=at)
        db.refresh(row)
        at = row.next_attempt_at
    assert row.state == OutboxState.FAILED
    page = browser.get("/admin/jobs")
    assert page.status_code == 200
    assert "Messages that could not be sent (1)" in page.text
    assert "lena@example.org" in page.text and "Phishing awareness is overdue" in page.text
    assert "421 4.3.2 Service not available" in page.text

    response = browser.post(f"/admin/jobs/messages/{row.id}/retry")
    assert response.status_code == 303 and response.headers["location"] == "/admin/jobs#failed-messages"
    db.expire_all()
    again = db.get(Outbox, row.id)
    assert again.state == OutboxState.PENDING and again.attempts == 0
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "notification.retry")).one()
    assert event.actor_id == admin.id and json.loads(event.detail)["kind"] == "overdue"
    smtp_server.collector.fail_next = 0
    assert outbox_drain(db, settings=mail_settings, now=again.next_attempt_at + timedelta(seconds=1)).sent == 1
    # A message that has not failed cannot be "sent again".
    response = browser.post(f"/admin/jobs/messages/{row.id}/retry")
    assert response.status_code == 303
    assert "Only a message that failed" in browser.get("/admin/jobs").text
