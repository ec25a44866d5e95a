"""Queueing messages (`notify`) and people's choices of how they get them (`preference_set`).

Nothing here sends: the worker drains the outbox (lms/notifications/drain.py), so a web request or
a sweep only ever adds rows, in the same transaction as the change that caused them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select, update

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.config import Settings, get_settings
from lms.errors import FieldError
from lms.i18n import gettext
from lms.notifications.kinds import KINDS, kind_of
from lms.notifications.models import Delivery, NotificationPreference, Outbox, OutboxState
from lms.notifications.rendering import in_language_of, mail_context, render_mail
from lms.notifications.tokens import unsubscribe_token
from lms.people.models import User


class NotificationError(FieldError):
    """A preference the person may not choose."""


def delivery_for(session: Session, *, user_id: int, kind: str) -> Delivery:
    """The person's choice for this kind, or the kind's default; never off for a mandatory kind."""
    spec = kind_of(kind)
    if not spec.configurable:
        return spec.default
    chosen = session.exec(
        select(NotificationPreference.delivery).where(NotificationPreference.user_id == user_id, NotificationPreference.kind == kind)
    ).first()
    delivery = Delivery(chosen) if chosen else spec.default
    # A row written before a kind became mandatory must not silence it.
    return Delivery.WEEKLY if delivery is Delivery.OFF and spec.mandatory else delivery


def notify(
    session: Session,
    *,
    user: User,
    kind: str,
    object_ref: str,
    period: str,
    subject: Any,
    template: str,
    context: dict[str, Any],
    link: str,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> Outbox | None:
    """Queue one message to `user`; None (and no change) when this (person, kind, object, period)
    was queued before. Renders templates/mail/{template}.txt and .html with `context`, the person,
    the organisation's settings and the absolute link. The delivery comes from the person's
    preference; "off" keeps the row as "skipped", so it still shows in the app.

    Written in the person's language, not that of whoever caused it: pass ``subject`` and any text in
    ``context`` as ``lazy_gettext(...)`` so they are translated here, for them."""
    assert user.id is not None
    settings = settings or get_settings()
    now = now or utcnow()
    spec = kind_of(kind)
    key = f"{user.id}:{kind}:{object_ref}:{period}"
    if session.exec(select(Outbox.id).where(Outbox.idempotency_key == key)).first() is not None:
        return None  # already queued: skip rendering; the insert below still guards against a race
    delivery = delivery_for(session, user_id=user.id, kind=kind)
    token = unsubscribe_token(settings.resolved_secret_key(), user_id=user.id, kind=kind)
    with in_language_of(user, settings):
        subject = str(subject)
        ctx = mail_context(
            settings,
            kind_label=gettext(spec.label),
            link=link,
            unsubscribe_url=f"{settings.mail_base_url}/unsubscribe/{token}",
            **{**context, "user": user, "subject": subject},
        )
        text, html = render_mail(template, ctx)
    values = dict(
        user_id=user.id,
        kind=kind,
        object_ref=object_ref,
        period=period,
        idempotency_key=key,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        link=link,
        delivery=delivery.value,
        state=(OutboxState.SKIPPED if delivery is Delivery.OFF else OutboxState.PENDING).value,
        attempts=0,
        next_attempt_at=now,
        last_error="",
        created_at=now,
    )
    # ON CONFLICT DO NOTHING, not a caught IntegrityError: a racing sweep's insert waits and yields,
    # and the caller's transaction stays usable on PostgreSQL.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = session.exec(
        dialect.insert(Outbox).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(Outbox.id)
    ).first()
    if inserted is None:
        return None
    return session.get(Outbox, inserted[0])


def preference_set(session: Session, *, user: User, kind: str, delivery: str, actor: User | None = None) -> NotificationPreference:
    """Choose how `user` gets messages of `kind`; refuses "off" for a mandatory kind. Audited."""
    spec = KINDS.get(kind)
    if spec is None or not spec.configurable:
        raise NotificationError(gettext("There is no such kind of message to choose for."), "kind")
    try:
        chosen = Delivery(delivery)
    except ValueError:
        raise NotificationError(gettext("Choose immediately, a daily digest, a weekly digest or off."), kind) from None
    if chosen not in spec.choices:
        raise NotificationError(
            gettext("%(kind)s is about mandatory training: choose a digest rather than off.") % {"kind": gettext(spec.label)}, kind
        )
    assert user.id is not None
    pref = session.get(NotificationPreference, (user.id, kind))
    if pref is None:
        pref = NotificationPreference(user_id=user.id, kind=kind, delivery=chosen.value)
    before = pref.delivery if pref in session else spec.default.value
    pref.delivery = chosen.value
    pref.updated_at = utcnow()
    session.add(pref)
    if before != chosen.value:
        audit_record(
            session,
            action="notification.preference",
            actor=actor or user,
            target_type="user",
            target_id=user.id,
            detail={"kind": kind, "from": before, "to": chosen.value},
        )
    session.flush()
    return pref


def notifications_mark_read(session: Session, *, user: User, now: datetime | None = None) -> int:
    """Mark every unread message of the person as seen in the app; returns how many."""
    result = session.exec(
        update(Outbox).where(Outbox.user_id == user.id, col(Outbox.read_at).is_(None)).values(read_at=now or utcnow())
    )
    return int(result.rowcount)


def outbox_retry(session: Session, *, outbox_id: int, by: User, client_ip: str | None = None) -> Outbox:
    """Send a failed message again from scratch (after the mail server was fixed). Audited."""
    row = session.get(Outbox, outbox_id)
    if row is None or row.state != OutboxState.FAILED.value:
        raise NotificationError(gettext("Only a message that failed can be sent again."))
    row.state, row.attempts, row.next_attempt_at = OutboxState.PENDING.value, 0, utcnow()
    session.add(row)
    audit_record(
        session,
        action="notification.retry",
        actor=by,
        target_type="outbox",
        target_id=row.id,
        client_ip=client_ip,
        detail={"kind": row.kind, "last_error": row.last_error[:300]},
    )
    session.flush()
    return row


def unsubscribe(session: Session, *, user_id: int, kind: str) -> str | None:
    """What a signed unsubscribe link does: switch `kind` off, or to the weekly digest for mandatory
    training; from a digest, every kind it gathers. Returns "off", "weekly" or "nothing" (an
    invitation cannot be unsubscribed from), or None when the person no longer exists."""
    user = session.get(User, user_id)
    if user is None:
        return None
    spec = KINDS.get(kind)
    if spec is not None:
        if not spec.configurable:
            return "nothing"
        quieter = Delivery.WEEKLY if spec.mandatory else Delivery.OFF
        preference_set(session, user=user, kind=kind, delivery=quieter.value)
        return quieter.value
    digest = {"digest_daily": Delivery.DAILY, "digest_weekly": Delivery.WEEKLY}.get(kind)
    if digest is None:
        return None
    changed = "nothing"
    for spec in KINDS.values():
        if spec.configurable and delivery_for(session, user_id=user_id, kind=spec.code) is digest:
            quieter = Delivery.WEEKLY if spec.mandatory else Delivery.OFF
            if quieter is not digest:
                preference_set(session, user=user, kind=spec.code, delivery=quieter.value)
                changed = "digest"
    return changed
