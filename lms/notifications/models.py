"""Messages to people (the outbox, drained by the job queue) and how each person wants them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class Delivery(StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class OutboxState(StrEnum):
    PENDING = "pending"  # waiting to be sent (or to go into a digest)
    SENT = "sent"
    DIGESTED = "digested"  # went out inside a digest message (digest_id)
    FAILED = "failed"  # gave up after the last retry; shown on /admin/jobs with its error
    SKIPPED = "skipped"  # the person switched this kind off: kept for the in-app list only


class Outbox(SQLModel, table=True):
    """One message to one person. The idempotency key (person, kind, object, period) is unique, so
    enqueuing the same reminder twice, from two workers or two sweeps, leaves one row."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_next", "state", "next_attempt_at"),
        Index("ix_outbox_user_created", "user_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False))
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    object_ref: str = Field(default="", sa_column=Column(String(100), nullable=False, default=""))  # e.g. "cycle:12"
    period: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))  # e.g. "2026-12-02"
    idempotency_key: str = Field(sa_column=Column(String(250), unique=True, nullable=False))
    subject: str = Field(sa_column=Column(String(300), nullable=False))
    body_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    body_html: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    link: str = Field(default="", sa_column=Column(String(500), nullable=False, default=""))  # path of the thing to do
    delivery: str = Field(default=Delivery.IMMEDIATE.value, sa_column=Column(String(16), nullable=False))
    state: str = Field(default=OutboxState.PENDING.value, sa_column=Column(String(16), nullable=False))
    digest_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("outbox.id", ondelete="SET NULL"), nullable=True))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    read_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))  # seen in the app


class NotificationPreference(SQLModel, table=True):
    """A person's choice for one kind of message; no row means the kind's default."""

    __tablename__ = "notification_preference"

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    kind: str = Field(sa_column=Column(String(40), primary_key=True))
    delivery: str = Field(sa_column=Column(String(16), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
