"""Mandatory training: requirements, their audiences, and one cycle per person per period of validity.

History is never rewritten: a cycle keeps the dates it was opened with; a changed requirement applies
from the next cycle; a renewal opens a new cycle. Status is derived from dates (courses/requirements/status.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow
from lms.text_search import search_column


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE", index: bool = True) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _when(nullable: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable)


class Recurrence(StrEnum):
    NONE = "none"  # complete once
    MONTHS = "months"  # every `every_months` months from completion
    ANNUAL = "annual"  # on a fixed day each year (`annual_month`/`annual_day`, e.g. 31 March)


class AudienceKind(StrEnum):
    ORG_UNIT = "org_unit"  # the unit only
    ORG_SUBTREE = "org_subtree"  # the unit and every unit below it
    JOB_PROFILE = "job_profile"
    ROLE = "role"
    USER = "user"


class CycleOutcome(StrEnum):
    COMPLETED = "completed"
    EXEMPTED = "exempted"
    REVOKED = "revoked"  # a completion withdrawn by an admin; the cycle is reopened as a new one
    LEFT = "left"  # left the audience, or was deactivated


class ExemptionReason(StrEnum):
    TESTED_OUT = "tested_out"
    EQUIVALENT = "equivalent"
    OUTSIDE_ACTIVITY = "outside_activity"
    ADMINISTRATIVE = "administrative"


class Requirement(SQLModel, table=True):
    __tablename__ = "requirement"
    __table_args__ = (
        CheckConstraint("recurrence IN ('none', 'months', 'annual')", name="recurrence_kind"),
        CheckConstraint("recurrence != 'months' OR every_months BETWEEN 1 AND 120", name="months_set"),
        CheckConstraint(
            "recurrence != 'annual' OR (annual_month BETWEEN 1 AND 12 AND annual_day BETWEEN 1 AND 31)", name="annual_set"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # fold(name) for the requirements list's search (lms.text_search), set on every flush.
    search_text: str = Field(default="", sa_column=search_column("name"))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Everyone active is in the audience, whatever the audience rows say.
    everyone: bool = False
    # Days a person has from entering the audience (or from a cycle opening) to complete.
    due_days: int = 30
    recurrence: str = Field(default=Recurrence.NONE.value, sa_column=Column(String(16), nullable=False))
    every_months: int | None = None
    annual_month: int | None = None
    annual_day: int | None = None
    # Renew up to this many days before expiry without losing the remaining validity (0: no window).
    renew_window_days: int = 0
    # Days after the due date before an open cycle counts as expired/overdue for escalation.
    grace_days: int = 0
    created_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    # Archived: no new cycles open; every record is kept.
    archived_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class RequirementCourse(SQLModel, table=True):
    """A course that satisfies the requirement; completing any one of them does."""

    __tablename__ = "requirement_course"

    requirement_id: int = Field(sa_column=Column(Integer, ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True))
    course_id: int = Field(sa_column=Column(Integer, ForeignKey("course.id", ondelete="RESTRICT"), primary_key=True, index=True))


class RequirementAudience(SQLModel, table=True):
    """One part of a requirement's audience; the audience is the union of its rows (or everyone)."""

    __tablename__ = "requirement_audience"
    __table_args__ = (
        CheckConstraint(
            "(kind IN ('org_unit', 'org_subtree') AND org_unit_id IS NOT NULL)"
            " OR (kind = 'job_profile' AND job_profile_id IS NOT NULL)"
            " OR (kind = 'role' AND role IS NOT NULL)"
            " OR (kind = 'user' AND user_id IS NOT NULL)",
            name="target_set",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(sa_column=_fk("requirement.id"))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    org_unit_id: int | None = Field(default=None, sa_column=_fk("org_unit.id", nullable=True, index=False))
    job_profile_id: int | None = Field(default=None, sa_column=_fk("job_profile.id", nullable=True, index=False))
    role: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    user_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, index=False))


class RequirementCycle(SQLModel, table=True):
    """One person's obligation for one period: opened, due, completed (and valid until), or ended otherwise.

    An open cycle has neither `completed_at` nor `ended_at`. A completed cycle stays "current" until
    `valid_until` (None: valid for good); the sweep opens the next cycle before that.
    """

    __tablename__ = "requirement_cycle"
    __table_args__ = (
        UniqueConstraint("requirement_id", "user_id", "number", name="uq_requirement_cycle_number"),
        Index("ix_requirement_cycle_user", "user_id", "requirement_id"),
        Index("ix_requirement_cycle_due", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(sa_column=_fk("requirement.id", index=False))
    user_id: int = Field(sa_column=_fk("user_account.id", index=False))
    number: int = 1  # 1 for the first cycle of this person and requirement, then 2, 3...
    opened_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    due_at: datetime = Field(sa_column=_when())
    grace_until: datetime = Field(sa_column=_when())
    completed_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    course_id: int | None = Field(default=None, sa_column=_fk("course.id", nullable=True, ondelete="SET NULL", index=False))
    valid_until: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    ended_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    outcome: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))


class Exemption(SQLModel, table=True):
    """A person excused from a requirement, by whom and why, until an optional end date."""

    __tablename__ = "requirement_exemption"

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(sa_column=_fk("requirement.id"))
    user_id: int = Field(sa_column=_fk("user_account.id"))
    reason: str = Field(sa_column=Column(String(32), nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    approved_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    ends_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class Extension(SQLModel, table=True):
    """A cycle's due date moved by the line manager or an admin; the cycle keeps the new date."""

    __tablename__ = "requirement_extension"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(sa_column=_fk("requirement_cycle.id"))
    old_due_at: datetime = Field(sa_column=_when())
    new_due_at: datetime = Field(sa_column=_when())
    reason: str = Field(sa_column=Column(Text, nullable=False))
    granted_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
