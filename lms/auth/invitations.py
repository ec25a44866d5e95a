"""Invitations: one-time links with which a person created by an administrator or an import chooses
their own password, instead of being handed one.

The raw token exists only in the link: the table keeps its SHA-256 (as sessions and API tokens do),
so neither a database copy nor the audit log can be used to take over an account. A newer invitation
replaces the older ones, so only the last link sent works.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, update
from sqlmodel import Session, col, select

from lms.audit.models import AuditEvent
from lms.audit.service import audit_record
from lms.auth.models import Invitation
from lms.auth.service import hash_token
from lms.clock import utcnow
from lms.config import get_settings
from lms.errors import FieldError
from lms.i18n import lazy_gettext
from lms.notifications.service import notify
from lms.people.models import User
from lms.people.service import PeopleError, refuse_erased, user_set_password

# One message for every refusal, so the page does not tell a guesser which tokens once existed.
INVALID = lazy_gettext("This invitation link has expired or has already been used. Ask your administrator for a new link.")


class InvitationError(FieldError):
    """An invitation that cannot be used, or a password the policy refuses (field "password")."""


def invitation_path(token: str) -> str:
    return f"/invite/{token}"


def invitation_url(base_url: str, token: str) -> str:
    """The whole link for an administrator to copy: ``base_url`` is BASE_URL, or the address they use."""
    return base_url.rstrip("/") + invitation_path(token)


def invitation_create(
    session: Session, *, user: User, by: User | None, now: datetime | None = None, client_ip: str | None = None
) -> str:
    """Open a new invitation for ``user`` and return its token (shown or mailed once, never stored).

    Older unused invitations of the same person are marked used. The caller commits.
    """
    refuse_erased(user)
    now = now or utcnow()
    session.exec(update(Invitation).where(col(Invitation.user_id) == user.id, col(Invitation.used_at).is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)  # 256 bits
    invitation = Invitation(
        token_hash=hash_token(token),
        user_id=user.id,
        created_by_id=by.id if by is not None else None,
        created_at=now,
        expires_at=now + timedelta(days=get_settings().invitation_days),
    )
    session.add(invitation)
    session.flush()
    audit_record(
        session,
        action="invitation.create",
        actor=by,
        target_type="user",
        target_id=user.id,
        client_ip=client_ip,
        detail={"invitation_id": invitation.id, "expires_at": invitation.expires_at.isoformat()},
    )
    _mail(session, user=user, invitation=invitation, token=token, now=now)
    return token


def invitations_create(
    session: Session, *, users: Sequence[User], by: User | None, now: datetime | None = None, client_ip: str | None = None
) -> list[tuple[User, str]]:
    """An invitation for each of ``users`` (the import page's one button). The caller commits."""
    now = now or utcnow()
    return [(person, invitation_create(session, user=person, by=by, now=now, client_ip=client_ip)) for person in users]


def _mail(session: Session, *, user: User, invitation: Invitation, token: str, now: datetime) -> None:
    """Queue the invitation e-mail (sent at once: the kind is not configurable).

    The outbox row's body holds the link, so it is a live password-setting key until the invitation
    expires or is used: one reason INVITATION_DAYS stays short, and why the link is never logged.
    """
    notify(
        session,
        user=user,
        kind="invitation",
        object_ref=f"user:{user.id}",
        period=str(invitation.id),
        subject=lazy_gettext("Set up your account"),
        template="invitation",
        context={"expires_at": invitation.expires_at},
        link=invitation_path(token),
        now=now,
    )


def invitation_find(session: Session, *, token: str, now: datetime | None = None) -> tuple[Invitation, User] | None:
    """The open invitation with this token and its (active) person, or None: unknown, used or expired."""
    now = now or utcnow()
    row = session.exec(
        select(Invitation, User).join(User, col(User.id) == Invitation.user_id).where(Invitation.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    invitation, user = row
    if invitation.used_at is not None or invitation.expires_at <= now or not user.is_active:
        return None
    return invitation, user


def invitation_redeem(
    session: Session, *, token: str, password: str, now: datetime | None = None, client_ip: str | None = None
) -> User:
    """Set the person's password from their invitation and use it up. The caller commits.

    Raises InvitationError: INVALID for any unusable link, or the password policy's reason.
    """
    now = now or utcnow()
    found = invitation_find(session, token=token, now=now)
    if found is None:
        raise InvitationError(str(INVALID))
    invitation, user = found
    try:
        user_set_password(session, user=user, password=password, by=user, client_ip=client_ip)
    except PeopleError as exc:
        raise InvitationError(str(exc), "password") from None
    invitation.used_at = now
    session.add(invitation)
    audit_record(
        session,
        action="invitation.redeem",
        actor=user,
        target_type="user",
        target_id=user.id,
        client_ip=client_ip,
        detail={"invitation_id": invitation.id},
    )
    return user


@dataclass(frozen=True)
class AccountState:
    """What the admin's user page says about how far a person has got with their account."""

    has_password: bool
    has_signed_in: bool
    open_until: datetime | None  # when the open invitation expires; None: no open invitation


def account_state(session: Session, *, user: User, now: datetime | None = None) -> AccountState:
    now = now or utcnow()
    signed_in = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.actor_id == user.id, col(AuditEvent.action).in_(["login.success", "invitation.redeem"]))
    ).one()
    open_until = session.exec(
        select(Invitation.expires_at).where(
            Invitation.user_id == user.id, col(Invitation.used_at).is_(None), Invitation.expires_at > now
        )
    ).first()
    return AccountState(has_password=user.password_hash is not None, has_signed_in=signed_in > 0, open_until=open_until)


def people_awaiting_invitation(session: Session, *, now: datetime | None = None) -> list[User]:
    """Active people who cannot sign in yet: no password and no open invitation (e.g. just imported)."""
    now = now or utcnow()
    open_invitation = exists().where(Invitation.user_id == User.id, col(Invitation.used_at).is_(None), Invitation.expires_at > now)
    return list(
        session.exec(
            select(User)
            .where(col(User.is_active).is_(True), col(User.password_hash).is_(None), ~open_invitation)
            .order_by(User.name, User.id)
        ).all()
    )
