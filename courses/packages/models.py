"""SCORM packages as lessons, and each learner's runtime data for one (the "cmi" of SCORM)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow


class ScormVersion:
    V12 = "1.2"
    V2004 = "2004"


class Package(SQLModel, table=True):
    """The package a lesson of kind "package" plays: one row per lesson, replaced in place.

    `version` goes up with every upload and is part of the content's address, so a browser never
    mixes files of two uploads, and the old address stops answering once its files are removed."""

    __tablename__ = "scorm_package"

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(sa_column=Column(Integer, ForeignKey("lesson.id", ondelete="CASCADE"), nullable=False, unique=True))
    version: int = 1
    scorm_version: str = Field(default=ScormVersion.V12, sa_column=Column(String(8), nullable=False))
    # Path of the launch file inside the package, as the manifest gives it (checked to exist).
    launch_path: str = Field(sa_column=Column(String(500), nullable=False))
    # Folder name under PACKAGES_DIR; random, never from the upload.
    storage_key: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    filename: str = Field(max_length=255)
    size: int = 0
    # SCORM 1.2 adlcp:masteryscore (0-100) or 2004 scaled passing score x 100, when the manifest has one.
    mastery_score: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    # For packages that never report a status: the lesson completes when the learner opens it.
    complete_when_opened: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    uploaded_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    )
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class PackageRuntime(SQLModel, table=True):
    """What one learner's package reported for one lesson, kept so they resume where they left."""

    __tablename__ = "scorm_runtime"

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    lesson_id: int = Field(sa_column=Column(Integer, ForeignKey("lesson.id", ondelete="CASCADE"), primary_key=True, index=True))
    # SCORM 1.2 lesson_status, or 2004 completion_status; success_status is 2004's passed/failed.
    lesson_status: str = Field(default="not attempted", sa_column=Column(String(16), nullable=False, default="not attempted"))
    success_status: str = Field(default="unknown", sa_column=Column(String(16), nullable=False, default="unknown"))
    score_raw: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    score_scaled: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    location: str = Field(default="", sa_column=Column(String(1000), nullable=False, default=""))
    suspend_data: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    exit: str = Field(default="", sa_column=Column(String(16), nullable=False, default=""))
    # Seconds of the sessions before the current one, and of the current one so far: a package
    # reports only its own session's time, and a page load is one session.
    total_seconds: float = Field(default=0.0, sa_column=Column(Float, nullable=False, default=0.0))
    session_seconds: float = Field(default=0.0, sa_column=Column(Float, nullable=False, default=0.0))
    session_key: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    commits: int = 0
    first_opened_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
