"""The xAPI outbox: statements queued in the transaction of what they record, sent by the worker."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class StatementState(StrEnum):
    PENDING = "pending"  # waiting to be sent, or to be sent again after a network error or a 5xx
    SENT = "sent"  # the LRS has it; pruned by the retention job (rule xapi_statements)
    FAILED = "failed"  # the LRS refused it (4xx) or it ran out of attempts; last_error says why


class XapiStatement(SQLModel, table=True):
    __tablename__ = "xapi_statement"
    __table_args__ = (Index("ix_xapi_statement_state_next_attempt_at", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # Fixed when queued and sent as the statement's id: the LRS keeps one statement per id, so a
    # batch sent again after a lost answer is never counted twice.
    statement_id: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True))
    verb: str = Field(sa_column=Column(String(32), nullable=False))  # the verb's last word, for the counts
    statement: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: str = Field(default=StatementState.PENDING.value, sa_column=Column(String(16), nullable=False))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
