"""The worker's side of the outbox: sending immediate messages with retries, and building digests.

Each message is claimed (its next_attempt_at pushed out by a lease), committed, sent, and its outcome
committed, one by one, in a session of its own: a mail once handed to the server must stay marked
sent even if a later one fails, and two workers never send the same row. A worker that dies between
sending and marking sends that one message again after the lease: at least once, never lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select, update

from lms.clock import utcnow
from lms.config import Settings
from lms.notifications.kinds import KINDS
from lms.notifications.mailer import Letter, Mailer, MailError, build_message
from lms.notifications.models import Delivery, Outbox, OutboxState
from lms.i18n import N_, gettext, ngettext
from lms.notifications.rendering import in_language_of, mail_context, render_mail
from lms.notifications.tokens import unsubscribe_token
from lms.people.models import User

# Waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final ("failed").
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = timedelta(minutes=10)
DIGEST_KINDS = {Delivery.DAILY: "digest_daily", Delivery.WEEKLY: "digest_weekly"}
DIGEST_LABELS = {"digest_daily": N_("Daily digest"), "digest_weekly": N_("Weekly digest")}


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def _unsubscribe_url(settings: Settings, user_id: int, kind: str) -> str:
    return f"{settings.mail_base_url}/unsubscribe/{unsubscribe_token(settings.resolved_secret_key(), user_id=user_id, kind=kind)}"


def outbox_drain(session: Session, *, settings: Settings, now: datetime | None = None, limit: int = 500) -> DrainReport:
    """Send pending immediate messages that are due, oldest first, one message per row. Commits."""
    now = now or utcnow()
    report = DrainReport()
    due = session.exec(
        select(Outbox, User)
        .join(User, col(User.id) == Outbox.user_id)
        .where(
            Outbox.state == OutboxState.PENDING.value,
            Outbox.delivery == Delivery.IMMEDIATE.value,
            Outbox.next_attempt_at <= now,
        )
        .order_by(col(Outbox.next_attempt_at), col(Outbox.id))
        .limit(limit)
    ).all()
    session.commit()
    with Mailer(settings) as mailer:
        for row, user in due:
            claim = update(Outbox).where(
                col(Outbox.id) == row.id, Outbox.state == OutboxState.PENDING.value, Outbox.next_attempt_at <= now
            )
            if session.exec(claim.values(next_attempt_at=now + LEASE)).rowcount != 1:
                session.rollback()
                continue  # another worker has it
            session.commit()
            _send_one(session, mailer, settings, row, user, now, report)
            session.commit()
    return report


def _send_one(
    session: Session, mailer: Mailer, settings: Settings, row: Outbox, user: User, now: datetime, report: DrainReport
) -> None:
    assert row.id is not None and user.id is not None
    values: dict[str, object]
    if not user.is_active:
        values = {"state": OutboxState.SKIPPED.value, "last_error": "The account is deactivated."}
        report.skipped += 1
    else:
        letter = Letter(
            user.name, user.email, row.subject, row.body_text, row.body_html, _unsubscribe_url(settings, user.id, row.kind)
        )
        attempts = row.attempts + 1
        try:
            mailer.send(build_message(settings, letter, now=now, ref=str(row.id)), name=str(row.id))
        except MailError as exc:
            values = {"attempts": attempts, "last_error": str(exc)[:2000]}
            if attempts >= MAX_ATTEMPTS:
                values["state"] = OutboxState.FAILED.value
                report.failed += 1
            else:
                values["next_attempt_at"] = now + BACKOFF[attempts - 1]
                report.retried += 1
        else:
            values = {"state": OutboxState.SENT.value, "attempts": attempts, "sent_at": now, "last_error": ""}
            report.sent += 1
    session.exec(update(Outbox).where(col(Outbox.id) == row.id).values(**values))


def digest_period(delivery: Delivery, now: datetime) -> str:
    """The digest's period label: the day, or the ISO week ("2026-W49")."""
    if delivery is Delivery.DAILY:
        return f"{now:%Y-%m-%d}"
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def digest_build(session: Session, *, settings: Settings, delivery: Delivery, now: datetime | None = None) -> int:
    """Gather each active person's pending `delivery` items (daily or weekly) into one digest message,
    queued for immediate sending; the items become "digested" with its id, so each goes out once.
    Returns how many digests were queued. One per person per day (week): a second run in the same
    period leaves later items for the next. Commits."""
    now = now or utcnow()
    kind = DIGEST_KINDS[delivery]
    period = digest_period(delivery, now)
    pending = session.exec(
        select(Outbox, User)
        .join(User, col(User.id) == Outbox.user_id)
        .where(Outbox.state == OutboxState.PENDING.value, Outbox.delivery == delivery.value, col(User.is_active))
        .order_by(col(Outbox.user_id), col(Outbox.created_at), col(Outbox.id))
    ).all()
    by_user: dict[int, tuple[User, list[Outbox]]] = {}
    for row, user in pending:
        by_user.setdefault(row.user_id, (user, []))[1].append(row)
    queued = 0
    for user, items in by_user.values():
        if _digest_queue(session, settings=settings, user=user, kind=kind, period=period, items=items, now=now):
            queued += 1
    session.commit()
    return queued


def _digest_queue(
    session: Session, *, settings: Settings, user: User, kind: str, period: str, items: Sequence[Outbox], now: datetime
) -> bool:
    assert user.id is not None
    with in_language_of(user, settings):
        label = gettext(DIGEST_LABELS[kind])
        subject = ngettext("%(digest)s from %(org)s: %(num)s item", "%(digest)s from %(org)s: %(num)s items", len(items)) % {
            "digest": label,
            "org": settings.org_name,
            "num": len(items),
        }
        entries = [
            {
                "subject": i.subject,
                "url": f"{settings.mail_base_url}{i.link}",
                "label": gettext(KINDS[i.kind].label) if i.kind in KINDS else i.kind,
            }
            for i in items
        ]
        ctx = mail_context(
            settings,
            kind_label=label,
            link="/notifications",
            unsubscribe_url=_unsubscribe_url(settings, user.id, kind),
            user=user,
            subject=subject,
            items=entries,
        )
        text, html = render_mail("digest", ctx)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = dict(
        user_id=user.id,
        kind=kind,
        object_ref=f"user:{user.id}",
        period=period,
        idempotency_key=f"{user.id}:{kind}:user:{user.id}:{period}",
        subject=subject,
        body_text=text,
        body_html=html,
        link="/notifications",
        delivery=Delivery.IMMEDIATE.value,
        state=OutboxState.PENDING.value,
        attempts=0,
        next_attempt_at=now,
        last_error="",
        created_at=now,
        read_at=now,  # the items themselves are in the person's list; the digest is only their envelope
    )
    inserted = session.exec(
        dialect.insert(Outbox).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(Outbox.id)
    ).first()
    if inserted is None:
        return False
    session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_([i.id for i in items]), Outbox.state == OutboxState.PENDING.value)
        .values(state=OutboxState.DIGESTED.value, digest_id=inserted[0], sent_at=now)
    )
    return True
