"""Queueing messages: one row per idempotency key on both engines, the person's preference decides
the delivery, and mandatory kinds cannot be switched off."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.notifications.kinds import KINDS, Kind
from lms.notifications.models import Delivery, Outbox, OutboxState
from lms.notifications.service import NotificationError, delivery_for, notify, preference_set

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def queue(db, settings, user, *, kind="due_soon", period="d14-2026-12-16", **kw):
    return notify(
        db,
        user=user,
        kind=kind,
        object_ref="cycle:7",
        period=period,
        subject="Data protection is due in 14 days",
        template="message",
        context={"text": "Please complete <Data protection> by 16 December."},
        link="/learning",
        now=NOW,
        settings=settings,
        **kw,
    )


def test_same_key_twice_leaves_one_row(db, settings, make_user):
    user = make_user()
    first = queue(db, settings, user)
    assert first is not None and first.state == OutboxState.PENDING and first.delivery == Delivery.IMMEDIATE
    assert first.idempotency_key == f"{user.id}:due_soon:cycle:7:d14-2026-12-16"
    assert queue(db, settings, user) is None
    db.commit()
    assert len(db.exec(select(Outbox).where(Outbox.user_id == user.id)).all()) == 1
    assert queue(db, settings, user, period="d3-2026-12-16") is not None


def test_bodies_carry_the_absolute_link_and_escape_html(db, settings, make_user):
    user = make_user(name="Ann <Admin>")
    row = queue(db, settings, user)
    assert row is not None
    assert "http://127.0.0.1:8000/learning" in row.body_text and "<Data protection>" in row.body_text
    assert "&lt;Data protection&gt;" in row.body_html and "Ann &lt;Admin&gt;" in row.body_html
    assert f"/unsubscribe/{user.id}.due_soon." in row.body_text
    assert row.next_attempt_at == NOW


def test_off_is_skipped_but_kept(db, settings, make_user):
    user = make_user()
    preference_set(db, user=user, kind="certificate_ready", delivery="off")
    row = queue(db, settings, user, kind="certificate_ready", period="ABC-123")
    assert row is not None and row.state == OutboxState.SKIPPED and row.delivery == Delivery.OFF


def test_digest_preference_is_used(db, settings, make_user):
    user = make_user()
    preference_set(db, user=user, kind="due_soon", delivery="daily")
    row = queue(db, settings, user)
    assert row is not None and row.delivery == Delivery.DAILY and row.state == OutboxState.PENDING
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "notification.preference")).all()
    assert [json.loads(e.detail) for e in events] == [{"kind": "due_soon", "from": "immediate", "to": "daily"}]
    preference_set(db, user=user, kind="due_soon", delivery="weekly")
    assert delivery_for(db, user_id=user.id, kind="due_soon") == Delivery.WEEKLY


def test_mandatory_kinds_cannot_be_off(db, make_user):
    user = make_user()
    with pytest.raises(NotificationError) as refused:
        preference_set(db, user=user, kind="overdue", delivery="off")
    assert refused.value.field == "overdue"
    for bad_kind in ("invitation", "nonsense"):
        with pytest.raises(NotificationError):
            preference_set(db, user=user, kind=bad_kind, delivery="daily")
    with pytest.raises(NotificationError):
        preference_set(db, user=user, kind="overdue", delivery="hourly")
    mandatory = [k for k in KINDS.values() if k.mandatory and k.configurable]
    assert mandatory and all(Delivery.OFF not in k.choices for k in mandatory)


def test_invitations_ignore_preferences(db, settings, make_user):
    user = make_user()
    assert delivery_for(db, user_id=user.id, kind="invitation") == Delivery.IMMEDIATE
    assert KINDS["invitation"].choices == (Delivery.IMMEDIATE,)


def test_an_old_off_row_for_a_mandatory_kind_becomes_a_weekly_digest(db, make_user):
    from lms.notifications.models import NotificationPreference

    user = make_user()
    db.add(NotificationPreference(user_id=user.id, kind="overdue", delivery="off"))
    db.flush()
    assert delivery_for(db, user_id=user.id, kind="overdue") == Delivery.WEEKLY
    assert Kind("x", "X", Delivery.DAILY, mandatory=False).choices[-1] == Delivery.OFF
