"""The outbox drained into a real SMTP server (aiosmtpd): headers, both parts, the absolute link,
retries after a dropped connection, giving up, digests, and the .eml fallback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

from sqlmodel import select

from lms.notifications.drain import MAX_ATTEMPTS, digest_build, digest_period, outbox_drain
from lms.notifications.models import Delivery, Outbox, OutboxState
from lms.notifications.service import notify, preference_set
from lms.notifications.tokens import unsubscribe_check

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def queue(db, settings, user, *, kind="due_soon", ref="cycle:7", period="d14-2026-12-16", subject="Data protection is due"):
    row = notify(
        db,
        user=user,
        kind=kind,
        object_ref=ref,
        period=period,
        subject=subject,
        template="message",
        context={"text": "Please complete Data protection by 16 December."},
        link="/learning/requirements/3",
        now=NOW,
        settings=settings,
    )
    db.commit()
    return row


def test_a_queued_message_arrives_with_both_parts_and_the_headers(db, mail_settings, smtp_server, make_user):
    user = make_user(name="Ann Example", email="ann@example.org")
    row = queue(db, mail_settings, user)
    assert row is not None
    report = outbox_drain(db, settings=mail_settings, now=NOW)
    assert report.sent == 1
    (envelope,) = smtp_server.collector.envelopes
    assert envelope.mail_from == "noreply@example.org" and envelope.rcpt_tos == ["ann@example.org"]
    (msg,) = smtp_server.collector.messages
    assert msg["Subject"] == "Data protection is due"
    assert msg["From"] == "Proficio <noreply@example.org>" and msg["To"] == "Ann Example <ann@example.org>"
    assert msg["Date"] and msg["Message-ID"].endswith(f".proficio.{row.id}@example.org>") and msg["Auto-Submitted"] == "auto-generated"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = msg["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://lms.example.org/unsubscribe/") and unsubscribe.endswith(">")
    token = unsubscribe[1:-1].rsplit("/", 1)[1]
    assert unsubscribe_check(mail_settings.resolved_secret_key(), token) == (user.id, "due_soon")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "https://lms.example.org/learning/requirements/3" in text
    assert 'href="https://lms.example.org/learning/requirements/3"' in html
    assert "Hello Ann Example" in text and "Proficio" in html
    db.refresh(row)
    assert row.state == OutboxState.SENT and row.sent_at == NOW and row.attempts == 1
    # Sent rows are not sent again.
    assert outbox_drain(db, settings=mail_settings, now=NOW + timedelta(hours=1)).sent == 0
    assert len(smtp_server.collector.envelopes) == 1


def test_same_key_twice_sends_one_mail(db, mail_settings, smtp_server, make_user):
    user = make_user()
    assert queue(db, mail_settings, user) is not None
    assert queue(db, mail_settings, user) is None
    outbox_drain(db, settings=mail_settings, now=NOW)
    outbox_drain(db, settings=mail_settings, now=NOW + timedelta(minutes=5))
    assert len(smtp_server.collector.envelopes) == 1


def test_off_is_skipped_and_not_sent(db, mail_settings, smtp_server, make_user):
    user = make_user()
    preference_set(db, user=user, kind="certificate_ready", delivery="off")
    row = queue(db, mail_settings, user, kind="certificate_ready", period="CERT-1")
    assert row is not None and row.state == OutboxState.SKIPPED
    assert outbox_drain(db, settings=mail_settings, now=NOW).sent == 0
    assert smtp_server.collector.envelopes == []


def test_future_rows_wait(db, mail_settings, smtp_server, make_user):
    user = make_user()
    queue(db, mail_settings, user)
    assert outbox_drain(db, settings=mail_settings, now=NOW - timedelta(minutes=1)).sent == 0


def test_a_dropped_connection_is_retried_and_the_message_sent_once(db, mail_settings, smtp_server, make_user):
    user = make_user()
    smtp_server.collector.fail_next = smtp_server.collector.drop_next = 1
    row = queue(db, mail_settings, user)
    other = queue(db, mail_settings, make_user(), ref="cycle:8")
    assert row is not None and other is not None
    report = outbox_drain(db, settings=mail_settings, now=NOW)
    # The first message met the hang-up; the next one reconnected and went through.
    assert (report.sent, report.retried) == (1, 1)
    db.refresh(row)
    assert row.state == OutboxState.PENDING and row.attempts == 1 and row.last_error
    assert row.next_attempt_at == NOW + timedelta(minutes=1)
    # Not before its back-off is over.
    assert outbox_drain(db, settings=mail_settings, now=NOW + timedelta(seconds=30)).sent == 0
    assert outbox_drain(db, settings=mail_settings, now=NOW + timedelta(minutes=1)).sent == 1
    db.refresh(row)
    assert row.state == OutboxState.SENT and row.attempts == 2 and row.last_error == ""
    recipients = [e.rcpt_tos[0] for e in smtp_server.collector.envelopes]
    assert sorted(recipients) == sorted([user.email, db.get(type(user), other.user_id).email])
    assert smtp_server.collector.refusals == 1


def test_a_message_that_keeps_failing_ends_failed(db, mail_settings, smtp_server, make_user):
    user = make_user()
    smtp_server.collector.fail_next = 100
    row = queue(db, mail_settings, user)
    assert row is not None
    at = NOW
    for _ in range(MAX_ATTEMPTS):
        outbox_drain(db, settings=mail_settings, now=at)
        db.refresh(row)
        at = row.next_attempt_at
    assert row.state == OutboxState.FAILED and row.attempts == MAX_ATTEMPTS
    assert row.last_error.startswith("421 4.3.2")
    assert outbox_drain(db, settings=mail_settings, now=at + timedelta(days=1)).retried == 0
    assert smtp_server.collector.envelopes == []


def test_no_server_at_all_counts_as_a_failed_attempt(db, mail_settings, make_user):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    row = queue(db, mail_settings, make_user())
    assert row is not None
    outbox_drain(db, settings=mail_settings.model_copy(update={"smtp_port": closed_port}), now=NOW)
    db.refresh(row)
    assert row.attempts == 1 and "ConnectionRefusedError" in row.last_error


def test_deactivated_people_are_not_mailed(db, mail_settings, smtp_server, make_user):
    user = make_user()
    row = queue(db, mail_settings, user)
    user.is_active = False
    db.add(user)
    db.commit()
    assert outbox_drain(db, settings=mail_settings, now=NOW).skipped == 1
    db.refresh(row)
    assert row.state == OutboxState.SKIPPED and smtp_server.collector.envelopes == []


def test_daily_digest_lists_each_item_once_and_marks_them(db, mail_settings, smtp_server, make_user):
    ann, bob, carl = make_user(name="Ann"), make_user(name="Bob"), make_user(name="Carl")
    for person in (ann, bob):
        preference_set(db, user=person, kind="due_soon", delivery="daily")
    preference_set(db, user=carl, kind="due_soon", delivery="weekly")
    items = [queue(db, mail_settings, ann, ref=f"cycle:{n}", subject=f"Course {n} is due") for n in (1, 2, 3)]
    queue(db, mail_settings, bob, ref="cycle:9", subject="Course 9 is due")
    queue(db, mail_settings, carl, ref="cycle:5", subject="Course 5 is due")
    # Digest items are not sent on their own.
    assert outbox_drain(db, settings=mail_settings, now=NOW).sent == 0
    assert digest_build(db, settings=mail_settings, delivery=Delivery.DAILY, now=NOW) == 2
    assert digest_build(db, settings=mail_settings, delivery=Delivery.DAILY, now=NOW) == 0
    assert outbox_drain(db, settings=mail_settings, now=NOW).sent == 2
    by_to = {m["To"].addresses[0].display_name: m for m in smtp_server.collector.messages}
    assert set(by_to) == {"Ann", "Bob"}
    text = by_to["Ann"].get_body(("plain",)).get_content()
    for n in (1, 2, 3):
        assert text.count(f"Course {n} is due") == 1
    assert "Course 9" not in text and "https://lms.example.org/learning/requirements/3" in text
    assert by_to["Ann"]["List-Unsubscribe"].startswith(f"<https://lms.example.org/unsubscribe/{ann.id}.digest_daily.")
    digest = db.exec(select(Outbox).where(Outbox.user_id == ann.id, Outbox.kind == "digest_daily")).one()
    for item in items:
        db.refresh(item)
        assert item.state == OutboxState.DIGESTED and item.digest_id == digest.id
    # Tomorrow, nothing is left to digest for Ann and Bob; Carl's waits for the weekly one.
    assert digest_build(db, settings=mail_settings, delivery=Delivery.DAILY, now=NOW + timedelta(days=1)) == 0
    assert digest_build(db, settings=mail_settings, delivery=Delivery.WEEKLY, now=NOW) == 1
    outbox_drain(db, settings=mail_settings, now=NOW)
    weekly = [m for m in smtp_server.collector.messages if m["To"].addresses[0].display_name == "Carl"]
    assert len(weekly) == 1 and weekly[0]["Subject"] == "Weekly digest from Proficio: 1 item"
    assert digest_period(Delivery.WEEKLY, NOW) == "2026-W49"


def test_without_a_server_messages_become_eml_files(db, settings, tmp_path, make_user):
    eml_settings = settings.model_copy(update={"smtp_host": "", "mail_outbox_dir": tmp_path / "outbox"})
    row = queue(db, eml_settings, make_user(email="eml@example.org"))
    assert row is not None
    assert outbox_drain(db, settings=eml_settings, now=NOW).sent == 1
    path = tmp_path / "outbox" / f"{row.id}.eml"
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert msg["To"] == "eml@example.org" or msg["To"].addresses[0].addr_spec == "eml@example.org"
    assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_unwritable_outbox_folder_is_a_failed_attempt(db, settings, tmp_path, make_user):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    eml_settings = settings.model_copy(update={"smtp_host": "", "mail_outbox_dir": blocker})
    row = queue(db, eml_settings, make_user())
    assert outbox_drain(db, settings=eml_settings, now=NOW).retried == 1
    db.refresh(row)
    assert "could not write" in row.last_error
