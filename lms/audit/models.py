"""Append-only audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String, Text
from sqlmodel.sql.sqltypes import UTCDateTime
from sqlmodel import Field, SQLModel

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
