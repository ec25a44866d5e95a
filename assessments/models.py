"""Question bank, quizzes, attempts and responses.

An attempt stores the questions as they were shown (a snapshot of each question's data, the order,
the choice order) and a copy of the quiz's grading settings, so editing a question or a quiz never
changes a past attempt.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow
from lms.text_search import search_column


class ReviewPolicy(StrEnum):
    SCORE_ONLY = "score_only"
    AFTER_SUBMIT = "after_submit"
    AFTER_PASSING = "after_passing"
    NEVER = "never"


class AttemptState(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    ABANDONED = "abandoned"


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE", index: bool = True) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _when(nullable: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable)


class QuestionCategory(SQLModel, table=True):
    __tablename__ = "question_category"

    id: int | None = Field(default=None, primary_key=True)
    # Unique among its siblings (assessments.bank.service), as in Moodle, where "Week 1/Quiz" and
    # "Week 2/Quiz" are two categories.
    name: str = Field(sa_column=Column(String(200), nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    parent_id: int | None = Field(default=None, sa_column=_fk("question_category.id", nullable=True, ondelete="RESTRICT"))
    idnumber: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))
    created_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class Question(SQLModel, table=True):
    __tablename__ = "question"

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(sa_column=_fk("question_category.id", ondelete="RESTRICT"))
    kind: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    name: str = Field(max_length=255)
    # assessments.questions.QuestionData.to_dict(): stem, choices, answers, feedback, points.
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # fold(name, stem): what the bank's search box matches (lms.text_search), set on every flush.
    search_text: str = Field(
        default="", sa_column=search_column("name", "data", text=lambda q: (q.name, (q.data or {}).get("stem_markdown")))
    )
    competence_id: int | None = Field(default=None, sa_column=_fk("competence.id", nullable=True, ondelete="SET NULL"))
    level: int | None = None
    # The language the question's own text is written in; versions in others are QuestionTranslation rows.
    language: str = Field(default="en", sa_column=Column(String(8), nullable=False, server_default="en"))
    version: int = 1
    archived: bool = False
    created_by_id: int | None = Field(default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class QuestionTranslation(SQLModel, table=True):
    """A question's visible text in another language than Question.language.

    ``data`` holds translated text, keyed as assessments.questions.text_fields says (the stem, each
    choice's text and feedback by choice id, each matching prompt by pair id, the feedbacks, hints),
    and a short-text question's own accepted answers in that language (``"accepted"``, a list; see
    assessments.questions.answering_in); never choice ids, grades of the original, numbers or points.
    """

    __tablename__ = "question_translation"

    question_id: int = Field(sa_column=Column(Integer, ForeignKey("question.id", ondelete="CASCADE"), primary_key=True))
    language: str = Field(sa_column=Column(String(8), primary_key=True))
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class QuestionFile(SQLModel, table=True):
    """An image a question shows, carried in from a Moodle bank (assessments.interchange.media).

    Stored like course files, outside the web root under a random key; its text refers to it as
    ``/questions/<question>/files/<file>``. Names are unique within a question, as in a Moodle file area.
    """

    __tablename__ = "question_file"
    __table_args__ = (UniqueConstraint("question_id", "filename", name="uq_question_file_name"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(sa_column=_fk("question.id"))
    filename: str = Field(sa_column=Column(String(200), nullable=False))
    content_type: str = Field(sa_column=Column(String(100), nullable=False))
    size: int
    storage_key: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class Quiz(SQLModel, table=True):
    """The settings of a quiz lesson (Lesson.kind == "quiz"), one per lesson."""

    __tablename__ = "quiz"
    __table_args__ = (CheckConstraint("pass_percent BETWEEN 0 AND 100", name="pass_percent_range"),)

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(sa_column=Column(Integer, ForeignKey("lesson.id", ondelete="RESTRICT"), unique=True, nullable=False))
    pass_percent: int = 70
    time_limit_minutes: int | None = None
    attempts_allowed: int | None = None  # None: unlimited
    shuffle_questions: bool = False
    shuffle_choices: bool = True
    one_per_page: bool = True
    review_policy: str = Field(default=ReviewPolicy.AFTER_SUBMIT.value, max_length=16)
    proves_competence_id: int | None = Field(
        default=None, sa_column=_fk("competence.id", nullable=True, ondelete="SET NULL", index=False)
    )
    proves_level: int | None = None
    # A diagnostic quiz maps each competence's sub-score to a level: [[min_percent, level], ...].
    diagnostic: bool = False
    diagnostic_bands: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class QuizSlot(SQLModel, table=True):
    """A fixed question, or ``draw_count`` questions drawn at random from a category."""

    __tablename__ = "quiz_slot"
    __table_args__ = (CheckConstraint("question_id IS NOT NULL OR category_id IS NOT NULL", name="has_source"),)

    id: int | None = Field(default=None, primary_key=True)
    quiz_id: int = Field(sa_column=_fk("quiz.id"))
    position: int = 0
    question_id: int | None = Field(default=None, sa_column=_fk("question.id", nullable=True, ondelete="RESTRICT"))
    category_id: int | None = Field(default=None, sa_column=_fk("question_category.id", nullable=True, ondelete="RESTRICT"))
    draw_count: int = 1


class Attempt(SQLModel, table=True):
    __tablename__ = "attempt"
    __table_args__ = (
        # At most one attempt in progress per learner and quiz, enforced by the database.
        Index(
            "uq_attempt_one_in_progress",
            "quiz_id",
            "user_id",
            unique=True,
            sqlite_where=text("state = 'in_progress'"),
            postgresql_where=text("state = 'in_progress'"),
        ),
        Index("ix_attempt_user_quiz", "user_id", "quiz_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    quiz_id: int = Field(sa_column=_fk("quiz.id", ondelete="RESTRICT", index=False))
    user_id: int = Field(sa_column=_fk("user_account.id", index=False))
    number: int = 1
    state: str = Field(default=AttemptState.IN_PROGRESS.value, sa_column=Column(String(16), nullable=False))
    started_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    deadline_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    submitted_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    # [{"question_id", "question": QuestionData dict as shown, "choice_order": [...]}, ...]
    layout: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The quiz's grading settings when the attempt started (pass mark, review policy, proves...).
    settings: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    score: float | None = None
    max_score: float | None = None
    percent: float | None = None
    passed: bool | None = None


class Response(SQLModel, table=True):
    """The learner's answer to one slot of an attempt; saved as they go."""

    __tablename__ = "attempt_response"

    attempt_id: int = Field(sa_column=Column(Integer, ForeignKey("attempt.id", ondelete="CASCADE"), primary_key=True))
    slot: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    answer: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    flagged: bool = False
    # Increases with every save; a save that carries an older number came from a stale tab.
    sequence: int = 0
    saved_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    fraction: float | None = None
    points: float | None = None
    feedback: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
