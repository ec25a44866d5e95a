"""The job queue table. Workers claim rows; PostgreSQL lets several do so at once (SKIP LOCKED)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, String, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(SQLModel, table=True):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_state_run_after", "state", "run_after"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_column=Column(String(64), nullable=False))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: str = Field(default=JobState.QUEUED.value, sa_column=Column(String(16), nullable=False))
    # Periodic and one-off jobs that must not be queued twice carry a key (e.g. "reports.snapshot:2026-11").
    dedupe_key: str | None = Field(default=None, sa_column=Column(String(200), unique=True, nullable=True))
    run_after: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    attempts: int = 0
    max_attempts: int = 3
    locked_by: str | None = Field(default=None, max_length=200)
    locked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
