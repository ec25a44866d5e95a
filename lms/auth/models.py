"""Server-side sessions and login throttling state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    # Only a SHA-256 of the cookie token is stored, so a database leak does not leak live sessions.
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    client_ip: str | None = Field(default=None, max_length=64)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins counted per key, so a block only falls on whoever caused it.

    Kinds (lms.auth.throttle): ``account_ip`` (one account from one client address), ``ip`` (one
    client address, every account), ``account`` (one account from anywhere: a high ceiling that only
    slows a distributed attack) and ``device`` (one account from a device that signed in before).
    """

    __tablename__ = "login_throttle"

    key: str = Field(sa_column=Column(String(400), primary_key=True))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    account: str | None = Field(default=None, sa_column=Column(String(320), index=True, nullable=True))
    client_ip: str | None = Field(default=None, max_length=64)
    failures: int = 0
    last_failure_at: datetime = Field(default_factory=utcnow, index=True)
    blocked_until: datetime | None = None


class Invitation(SQLModel, table=True):
    """A one-time link that lets a person who was created by an admin or an import set their password.

    Only a SHA-256 of the token is stored; the link is shown to the admin (or mailed) once.
    """

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False))
    created_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Set when the password is chosen, or when a newer invitation replaces this one.
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class UserIdentity(SQLModel, table=True):
    """A person's account at the organisation's identity provider: (issuer, subject) names them for good.

    Never the e-mail address, which changes; e-mail is used once, to link a first sign-in to an existing
    account, and that link is audited.
    """

    __tablename__ = "user_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False))
    issuer: str = Field(sa_column=Column(String(500), nullable=False))
    subject: str = Field(sa_column=Column(String(255), nullable=False))
    linked_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_login_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
