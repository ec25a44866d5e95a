"""Competence frameworks, job profiles, evidence and the derived per-person status."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow

MAX_LEVEL = 8
# Moodle id numbers are up to 100 characters of any printable text; codes take them as they are.
MAX_CODE = 100


class EvidenceSource(StrEnum):
    SELF = "self"
    MANAGER = "manager"
    COURSE = "course"
    QUIZ = "quiz"
    IMPORT = "import"


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE", index: bool = True) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class Framework(SQLModel, table=True):
    __tablename__ = "framework"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(MAX_CODE), unique=True, nullable=False))
    name: str = Field(max_length=300)
    version: str = Field(default="", max_length=32)
    publisher: str = Field(default="", max_length=300)
    licence: str = Field(default="", max_length=500)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # CASE identifier (a UUID), kept once given so a framework published twice keeps it.
    case_id: str | None = Field(default=None, sa_column=Column(String(36), unique=True, nullable=True))
    # Published frameworks are served as CASE packages to anyone (docs/frameworks.md says why).
    case_published: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # What an imported file said that has no column here (Moodle scale, taxonomies, CASE fields),
    # kept so that exporting back loses nothing.
    meta: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The language of the names and descriptions above; others are in the *Translation tables.
    language: str = Field(default="en", sa_column=Column(String(8), nullable=False, server_default="en"))


class ProficiencyLevel(SQLModel, table=True):
    __tablename__ = "proficiency_level"
    __table_args__ = (UniqueConstraint("framework_id", "level", name="uq_proficiency_level_framework_level"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(sa_column=_fk("framework.id"))
    level: int
    band: str = Field(default="", max_length=64)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class ProficiencyLevelTranslation(SQLModel, table=True):
    """A level's band and summary in a language other than its framework's."""

    __tablename__ = "proficiency_level_translation"

    level_id: int = Field(sa_column=Column(Integer, ForeignKey("proficiency_level.id", ondelete="CASCADE"), primary_key=True))
    language: str = Field(sa_column=Column(String(8), primary_key=True))
    band: str = Field(default="", max_length=64)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class CompetenceArea(SQLModel, table=True):
    __tablename__ = "competence_area"
    __table_args__ = (UniqueConstraint("framework_id", "code", name="uq_competence_area_framework_code"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(sa_column=_fk("framework.id"))
    code: str = Field(max_length=MAX_CODE)
    name: str = Field(max_length=300)
    position: int = 0
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    case_id: str | None = Field(default=None, max_length=36)
    meta: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Competence(SQLModel, table=True):
    __tablename__ = "competence"
    __table_args__ = (UniqueConstraint("framework_id", "code", name="uq_competence_framework_code"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(sa_column=_fk("framework.id"))
    area_id: int = Field(sa_column=_fk("competence_area.id"))
    code: str = Field(max_length=MAX_CODE)
    name: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    position: int = 0
    # How long evidence stays valid; None means it does not expire.
    evidence_valid_months: int | None = None
    case_id: str | None = Field(default=None, max_length=36)
    # Also holds the indicators: levels of an imported tree below the competence.
    meta: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _language_key() -> Column:
    return Column(String(8), primary_key=True)


def _owner_key(target: str) -> Column:
    return Column(Integer, ForeignKey(target, ondelete="CASCADE"), primary_key=True)


class FrameworkTranslation(SQLModel, table=True):
    """A framework's name and description in a language other than Framework.language."""

    __tablename__ = "framework_translation"

    framework_id: int = Field(sa_column=_owner_key("framework.id"))
    language: str = Field(sa_column=_language_key())
    name: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class CompetenceAreaTranslation(SQLModel, table=True):
    __tablename__ = "competence_area_translation"

    area_id: int = Field(sa_column=_owner_key("competence_area.id"))
    language: str = Field(sa_column=_language_key())
    name: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class CompetenceTranslation(SQLModel, table=True):
    __tablename__ = "competence_translation"

    competence_id: int = Field(sa_column=_owner_key("competence.id"))
    language: str = Field(sa_column=_language_key())
    name: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class JobProfile(SQLModel, table=True):
    __tablename__ = "job_profile"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The language of the name and description above; others are in JobProfileTranslation.
    language: str = Field(default="en", sa_column=Column(String(8), nullable=False, server_default="en"))


class JobProfileTranslation(SQLModel, table=True):
    __tablename__ = "job_profile_translation"

    job_profile_id: int = Field(sa_column=Column(Integer, ForeignKey("job_profile.id", ondelete="CASCADE"), primary_key=True))
    language: str = Field(sa_column=Column(String(8), primary_key=True))
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class JobProfileRequirement(SQLModel, table=True):
    """A required level for one competence; a level of 0 is stored as no row."""

    __tablename__ = "job_profile_requirement"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 8", name="level_range"),)

    job_profile_id: int = Field(sa_column=Column(Integer, ForeignKey("job_profile.id", ondelete="CASCADE"), primary_key=True))
    competence_id: int = Field(
        sa_column=Column(Integer, ForeignKey("competence.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    level: int


class Evidence(SQLModel, table=True):
    """Append-only: nothing updates or deletes a row. Corrections are new evidence."""

    __tablename__ = "evidence"
    __table_args__ = (
        Index("ix_evidence_user_competence", "user_id", "competence_id"),
        CheckConstraint("level BETWEEN 0 AND 8", name="level_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_fk("user_account.id", index=False))
    competence_id: int = Field(sa_column=_fk("competence.id", index=True))
    level: int
    source: str = Field(sa_column=Column(String(16), nullable=False))
    reference: str = Field(default="", max_length=200)
    recorded_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class CompetenceStatus(SQLModel, table=True):
    """Derived from evidence in the same transaction; reports read this narrow table."""

    __tablename__ = "competence_status"

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    competence_id: int = Field(
        sa_column=Column(Integer, ForeignKey("competence.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    verified_level: int = 0
    verified_source: str | None = Field(default=None, max_length=16)
    # When the verified level stops being supported by unexpired evidence.
    verified_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    self_level: int | None = None
    self_assessed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
