"""Reads on the outbox: a person's notifications, their unread count and preferences, failed messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, bindparam, func
from sqlmodel import Session, col, select

from lms.notifications.drain import DIGEST_KINDS
from lms.notifications.kinds import KINDS, configurable_kinds
from lms.notifications.models import NotificationPreference, Outbox, OutboxState
from lms.people.models import User
from lms.web.paging import Page, clamp_page

_DIGESTS = tuple(DIGEST_KINDS.values())


@dataclass(frozen=True)
class FailedMessage:
    id: int
    recipient: str
    kind: str
    subject: str
    attempts: int
    last_error: str
    created_at: datetime


def failed_messages(session: Session, *, limit: int = 20) -> tuple[int, list[FailedMessage]]:
    """How many messages gave up, and the newest `limit` of them with their recipient and error."""
    total = session.exec(select(func.count()).select_from(Outbox).where(Outbox.state == OutboxState.FAILED.value)).one()
    rows = session.exec(
        select(Outbox, User.email)
        .join(User, col(User.id) == Outbox.user_id)
        .where(Outbox.state == OutboxState.FAILED.value)
        .order_by(col(Outbox.created_at).desc(), col(Outbox.id).desc())
        .limit(limit)
    ).all()
    items = [
        FailedMessage(row.id or 0, email, row.kind, row.subject, row.attempts, row.last_error, row.created_at) for row, email in rows
    ]
    return total, items


def notifications_page(session: Session, *, user_id: int, page: int, per_page: int, unread_only: bool = False) -> Page:
    """One page of the person's messages, newest first (digest envelopes left out: their items are here)."""
    mine = [Outbox.user_id == user_id, col(Outbox.kind).not_in(_DIGESTS)]
    if unread_only:
        mine.append(col(Outbox.read_at).is_(None))
    total = session.exec(select(func.count()).select_from(Outbox).where(*mine)).one()
    page = clamp_page(page, total, per_page)
    rows = session.exec(
        select(Outbox)
        .where(*mine)
        .order_by(col(Outbox.created_at).desc(), col(Outbox.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=list(rows), total=total, page=page, per_page=per_page, extra={"labels": {k: v.label for k, v in KINDS.items()}})


# Every signed-in page asks for this (the header's count), so the statement is built once (issue 15).
_UNREAD = (
    select(func.count())
    .select_from(Outbox)
    .where(Outbox.user_id == bindparam("user_id", type_=Integer), col(Outbox.read_at).is_(None))
)


def unread_count(session: Session, *, user_id: int) -> int:
    """Messages the person has not yet seen in the app: one COUNT on the (user_id, created_at) index.
    Digest envelopes are created already read, so no kind filter is needed here."""
    return session.exec(_UNREAD, params={"user_id": user_id}).one()


def preferences_of(session: Session, *, user_id: int) -> dict[str, str]:
    """Kind -> the person's delivery for every kind they may choose (their row, or the default)."""
    chosen = dict(
        session.exec(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(NotificationPreference.user_id == user_id)
        ).all()
    )
    return {k.code: chosen.get(k.code, k.default.value) for k in configurable_kinds()}
