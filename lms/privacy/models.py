"""A subject access export: who asked, for whom, and where its ZIP is while it can be downloaded."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class ExportStatus(StrEnum):
    QUEUED = "queued"  # waiting for the worker
    READY = "ready"  # the file exists and may be downloaded once, until expires_at
    DOWNLOADED = "downloaded"  # taken; the file is gone
    EXPIRED = "expired"  # not taken in time; the file is gone
    FAILED = "failed"


class DataExport(SQLModel, table=True):
    __tablename__ = "data_export"

    id: int | None = Field(default=None, primary_key=True)
    # The person the data is about; exports go with them when they are erased.
    subject_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False))
    # Only this person may download it: the subject themselves, or the admin who asked on their behalf.
    requested_by_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    status: str = Field(default=ExportStatus.QUEUED.value, sa_column=Column(String(16), nullable=False))
    # Relative to EXPORTS_DIR; a random name, so nothing about the person is in the file system.
    file_name: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))
    size_bytes: int | None = None
    error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    ready_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    downloaded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
