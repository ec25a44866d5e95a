"""Append-only audit log, hash-chained, and the record of who viewed whose personal data.

The database refuses UPDATE and DELETE on audit_event (triggers, migration 0014) except the two
documented operations that open a gate in their own transaction: retention's purge of the oldest
events and erasure's redaction of a person's e-mail, address and name (lms/audit/chain.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), index=True, nullable=False))
    # No foreign key: the log must outlive anything it mentions.
    actor_id: int | None = Field(default=None, sa_column=Column(Integer, index=True, nullable=True))
    actor_email: str | None = Field(default=None, max_length=320)
    action: str = Field(sa_column=Column(String(64), index=True, nullable=False))
    target_type: str | None = Field(default=None, max_length=64)
    target_id: str | None = Field(default=None, max_length=64)
    client_ip: str | None = Field(default=None, max_length=64)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The chain (lms/audit/chain.py), set when the event is flushed: its place in the log (gapless,
    # unique, so two writers that read the same head cannot both append after it), the previous
    # event's hash and its own. The personal fields (actor_email, client_ip, detail) enter the hash
    # through content_digest, salted, so erasure can blank them without breaking the chain: a
    # redacted event has no salt, and its digest no longer reveals anything.
    seq: int = Field(default=0, sa_column=Column(BigInteger, unique=True, nullable=False))
    prev_hash: str = Field(default="", sa_column=Column(String(64), nullable=False))
    hash: str = Field(default="", sa_column=Column(String(64), nullable=False))
    salt: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    content_digest: str = Field(default="", sa_column=Column(String(64), nullable=False))


class AuditGuard(SQLModel, table=True):
    """SQLite's gate for the two permitted changes to audit_event (PostgreSQL uses a session setting).

    A row exists only inside the transaction of a purge or a redaction, which inserts and deletes it;
    SQLite has one writer at a time, so no other connection can write while it is there.
    """

    __tablename__ = "audit_guard"

    allow: str = Field(sa_column=Column(String(16), primary_key=True))


class RecordView(SQLModel, table=True):
    """Someone looked at other people's personal data: one row per page or API answer, however many
    people it showed (record_view_subject names them). Kept apart from audit_event so that GET
    requests never wait for the audit chain's lock and /account finds a person's viewers by index."""

    __tablename__ = "record_view"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), index=True, nullable=False))
    # No foreign key, like the audit log: the record outlives the viewer's account.
    viewer_id: int | None = Field(default=None, sa_column=Column(Integer, index=True, nullable=True))
    viewer_label: str = Field(default="", sa_column=Column(String(320), nullable=False, default=""))
    # What was seen: "person page", "user admin page", "API people list" ...
    what: str = Field(sa_column=Column(String(64), nullable=False))
    path: str = Field(default="", sa_column=Column(String(300), nullable=False, default=""))


class RecordViewSubject(SQLModel, table=True):
    __tablename__ = "record_view_subject"

    view_id: int = Field(sa_column=Column(Integer, ForeignKey("record_view.id", ondelete="CASCADE"), primary_key=True))
    user_id: int = Field(sa_column=Column(Integer, primary_key=True, index=True))
