"""Monthly snapshots of every competence status, kept as additive counters per org unit × competence.

Counters add up the org tree (a unit's figures are the sum over its subtree), so trends for any unit
come from one read of a small table instead of millions of per-person rows per month.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class ReportSnapshot(SQLModel, table=True):
    __tablename__ = "report_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(sa_column=Column(String(7), unique=True, nullable=False))  # "YYYY-MM"
    taken_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ReportSnapshotCell(SQLModel, table=True):
    """People directly in one org unit (0: in no unit) whose job profile requires one competence."""

    __tablename__ = "report_snapshot_cell"

    snapshot_id: int = Field(sa_column=Column(Integer, ForeignKey("report_snapshot.id", ondelete="CASCADE"), primary_key=True))
    # Not a foreign key: history outlives reorganisations.
    org_unit_id: int = Field(sa_column=Column(Integer, primary_key=True))
    competence_id: int = Field(
        sa_column=Column(Integer, ForeignKey("competence.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    people: int = 0
    meeting: int = 0
    gap_sum: int = 0
    verified_sum: int = 0
    self_count: int = 0
    self_sum: int = 0
    verified_self_sum: int = 0  # verified levels of the people who also rated themselves
    levels: list[int] = Field(default_factory=lambda: [0] * 9, sa_column=Column(JSON, nullable=False))


class ReportFigureSet(SQLModel, table=True):
    """One framework's report figures as the worker published them (lms.reports.stored): today's when
    snapshot_id is empty, else those of a monthly snapshot, each for the smallest group they were
    suppressed with. Written and replaced whole in one transaction, so a reader sees one set or the next."""

    __tablename__ = "report_figure_set"

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(sa_column=Column(Integer, ForeignKey("framework.id", ondelete="CASCADE"), nullable=False))
    min_group: int = Field(sa_column=Column(Integer, nullable=False))
    snapshot_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("report_snapshot.id", ondelete="CASCADE"), nullable=True, index=True)
    )
    data_version: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))  # the `reports` version used
    computed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))

    __table_args__ = (Index("ix_report_figure_set_framework_min_group", "framework_id", "min_group"),)


class ReportFigureRow(SQLModel, table=True):
    """One row of a report as pages show it: a unit's (its subtree) or the people directly in it, every
    column's figures already suppressed. `cells` is a list of [kind, key, people, hidden, *figures]."""

    __tablename__ = "report_figure_row"

    set_id: int = Field(sa_column=Column(Integer, ForeignKey("report_figure_set.id", ondelete="CASCADE"), primary_key=True))
    grp: str = Field(sa_column=Column(String(6), primary_key=True))
    unit_id: int = Field(sa_column=Column(Integer, primary_key=True))  # not a foreign key: ORG (-1) and NO_UNIT (0) too
    cells: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
