"""Courses: definition (Course → Module → Lesson), assignment (Enrolment, rules) and activity (progress)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow
from lms.text_search import search_column


class CourseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class LessonKind(StrEnum):
    PAGE = "page"
    QUIZ = "quiz"  # delivered by the assessments package
    PACKAGE = "package"  # a SCORM package (courses.packages)


class EnrolmentSource(StrEnum):
    SELF = "self"
    ASSIGNED = "assigned"
    RULE = "rule"


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE", index: bool = True) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _when(nullable: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable)


class Course(SQLModel, table=True):
    __tablename__ = "course"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    audience: str = Field(default="", max_length=500)
    # fold(title, summary, audience): what the catalogue searches (lms.text_search), set on every flush.
    search_text: str = Field(default="", sa_column=search_column("title", "summary", "audience"))
    estimated_minutes: int = 30
    status: str = Field(default=CourseStatus.DRAFT.value, sa_column=Column(String(16), nullable=False, index=True))
    created_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    published_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    # The language the title, summary, modules and lessons above are written in; versions in other
    # languages are CourseTranslation, ModuleTranslation and LessonTranslation rows.
    default_language: str = Field(default="en", sa_column=Column(String(8), nullable=False, server_default="en"))


class CourseEditor(SQLModel, table=True):
    __tablename__ = "course_editor"

    course_id: int = Field(sa_column=Column(Integer, ForeignKey("course.id", ondelete="CASCADE"), primary_key=True))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True))


class CourseCompetence(SQLModel, table=True):
    """The level a course brings a learner to, for one competence."""

    __tablename__ = "course_competence"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 8", name="level_range"),)

    course_id: int = Field(sa_column=Column(Integer, ForeignKey("course.id", ondelete="CASCADE"), primary_key=True))
    competence_id: int = Field(
        sa_column=Column(Integer, ForeignKey("competence.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    level: int


class Module(SQLModel, table=True):
    __tablename__ = "course_module"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(sa_column=_fk("course.id"))
    title: str = Field(max_length=200)
    position: int = 0
    hidden: bool = False


class Lesson(SQLModel, table=True):
    __tablename__ = "lesson"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(sa_column=_fk("course.id"))
    module_id: int = Field(sa_column=_fk("course_module.id"))
    title: str = Field(max_length=200)
    kind: str = Field(default=LessonKind.PAGE.value, sa_column=Column(String(16), nullable=False))
    body_markdown: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Rendered and sanitised at save time; sanitised again when shown, in case the policy tightened.
    body_html: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    position: int = 0
    hidden: bool = False
    estimated_minutes: int = 10


def _language_key() -> Column:
    return Column(String(8), primary_key=True)


class CourseTranslation(SQLModel, table=True):
    """A course's title and summary in a language other than its default_language."""

    __tablename__ = "course_translation"

    course_id: int = Field(sa_column=Column(Integer, ForeignKey("course.id", ondelete="CASCADE"), primary_key=True))
    language: str = Field(sa_column=_language_key())
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The catalogue finds a course by its title in each language (lms.text_search).
    search_text: str = Field(default="", sa_column=search_column("title", "summary"))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class ModuleTranslation(SQLModel, table=True):
    __tablename__ = "course_module_translation"

    module_id: int = Field(sa_column=Column(Integer, ForeignKey("course_module.id", ondelete="CASCADE"), primary_key=True))
    language: str = Field(sa_column=_language_key())
    title: str = Field(max_length=200)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class LessonTranslation(SQLModel, table=True):
    """A lesson's title and body in another language; the body is sanitised like Lesson.body_html."""

    __tablename__ = "lesson_translation"

    lesson_id: int = Field(sa_column=Column(Integer, ForeignKey("lesson.id", ondelete="CASCADE"), primary_key=True))
    language: str = Field(sa_column=_language_key())
    title: str = Field(max_length=200)
    body_markdown: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    body_html: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(sa_column=_fk("course.id"))
    lesson_id: int | None = Field(default=None, sa_column=_fk("lesson.id", nullable=True, ondelete="SET NULL"))
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    # Name of the file in the attachment store (outside the web root); random, never user-chosen.
    storage_key: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    uploaded_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class Enrolment(SQLModel, table=True):
    """One row per learner and course, however many times it was assigned."""

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("course_id", "user_id", name="uq_enrolment_course_user"),
        Index("ix_enrolment_user_status", "user_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(sa_column=_fk("course.id"))
    user_id: int = Field(sa_column=_fk("user_account.id", index=False))
    source: str = Field(default=EnrolmentSource.SELF.value, sa_column=Column(String(16), nullable=False))
    status: str = Field(default="enrolled", sa_column=Column(String(16), nullable=False))  # enrolled/in_progress/completed
    due_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    enrolled_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    started_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    completed_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    last_lesson_id: int | None = Field(default=None, sa_column=_fk("lesson.id", nullable=True, ondelete="SET NULL", index=False))
    progress_percent: int = 0


class Assignment(SQLModel, table=True):
    """Append-only record of who assigned a course to whom, when, why and by when."""

    __tablename__ = "assignment"

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(sa_column=_fk("enrolment.id"))
    assigned_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    rule_id: int | None = Field(default=None, sa_column=_fk("assignment_rule.id", nullable=True, ondelete="SET NULL", index=False))
    due_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    assigned_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class AssignmentRule(SQLModel, table=True):
    """Assign a course to everyone in an org unit (with sub-units) or with a job profile, now and later."""

    __tablename__ = "assignment_rule"
    __table_args__ = (CheckConstraint("org_unit_id IS NOT NULL OR job_profile_id IS NOT NULL", name="has_target"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(sa_column=_fk("course.id"))
    org_unit_id: int | None = Field(default=None, sa_column=_fk("org_unit.id", nullable=True))
    job_profile_id: int | None = Field(default=None, sa_column=_fk("job_profile.id", nullable=True))
    # Due this many days after someone is assigned by the rule (None: no due date).
    due_days: int | None = None
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    active: bool = True


class LessonProgress(SQLModel, table=True):
    __tablename__ = "lesson_progress"
    # A learner's progress in one course; without it SQLite scans the course's rows for every learner.
    __table_args__ = (Index("ix_lesson_progress_user_course", "user_id", "course_id"),)

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    lesson_id: int = Field(sa_column=Column(Integer, ForeignKey("lesson.id", ondelete="RESTRICT"), primary_key=True, index=True))
    course_id: int = Field(sa_column=_fk("course.id"))
    first_viewed_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    completed_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class CourseFeedback(SQLModel, table=True):
    __tablename__ = "course_feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    course_id: int = Field(sa_column=Column(Integer, ForeignKey("course.id", ondelete="CASCADE"), primary_key=True))
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    rating: int
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
