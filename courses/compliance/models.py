"""Monthly counts of compliance per org unit and requirement, kept for the 12-month trend."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class ComplianceSnapshotCell(SQLModel, table=True):
    """People in the audience and how many were compliant, in one org unit (its own people only) at a month's end."""

    __tablename__ = "compliance_snapshot_cell"

    period: str = Field(sa_column=Column(String(7), primary_key=True))  # "2026-11"
    # Not a foreign key: history outlives reorganisations, and 0 counts the people in no unit (as report_snapshot_cell).
    org_unit_id: int = Field(sa_column=Column(Integer, primary_key=True))
    requirement_id: int = Field(sa_column=Column(Integer, ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True))
    people: int = 0
    compliant: int = 0
    taken_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
