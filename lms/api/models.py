"""API tokens: only a SHA-256 of the secret is stored; the secret is shown once when created."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # The first characters of the secret, so admins can tell tokens apart without seeing them.
    prefix: str = Field(max_length=16)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    # Space-separated scope names, e.g. "frameworks:read reports:read".
    scopes: str = Field(default="", max_length=500)
    # Limits people-level data (and org-unit aggregates) to this unit's subtree; None is the whole organisation.
    org_unit_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("org_unit.id", ondelete="CASCADE"), nullable=True)
    )
    created_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
