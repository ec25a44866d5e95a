"""Certificates of completion; the PDF is drawn from the row on demand, never stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class Certificate(SQLModel, table=True):
    __tablename__ = "certificate"

    id: int | None = Field(default=None, primary_key=True)
    # Random and unguessable: it is the only key of the public /verify/CODE page.
    code: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False))
    course_id: int = Field(sa_column=Column(Integer, ForeignKey("course.id", ondelete="RESTRICT"), index=True, nullable=False))
    # The requirement cycle this completion satisfied, when the course is mandatory training.
    cycle_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("requirement_cycle.id", ondelete="SET NULL"), nullable=True)
    )
    completed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    issued_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    valid_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    revoked_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    )
