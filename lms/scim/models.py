"""SCIM Groups: named sets of people an HR directory pushes; a group's name may map to a role (settings)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class ScimGroup(SQLModel, table=True):
    __tablename__ = "scim_group"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(sa_column=Column(String(255), unique=True, nullable=False))
    external_id: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, onupdate=utcnow))


class ScimGroupMember(SQLModel, table=True):
    __tablename__ = "scim_group_member"

    group_id: int = Field(sa_column=Column(Integer, ForeignKey("scim_group.id", ondelete="CASCADE"), primary_key=True))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True))
