"""Reads for editing a course's versions: which languages it has started, and what each is missing."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select as sa_select, union
from sqlmodel import Session

from lms.i18n import SUPPORTED_LANGUAGES

from courses.authoring.selectors import Outline
from courses.models import Course, CourseTranslation, Lesson, LessonTranslation, Module, ModuleTranslation


def languages_started(session: Session, *, course_id: int) -> set[str]:
    """Languages with at least one version of anything in the course (title, a module or a lesson)."""
    statement = union(
        sa_select(CourseTranslation.language).where(CourseTranslation.course_id == course_id),
        sa_select(ModuleTranslation.language)
        .join(Module, Module.id == ModuleTranslation.module_id)
        .where(Module.course_id == course_id),
        sa_select(LessonTranslation.language)
        .join(Lesson, Lesson.id == LessonTranslation.lesson_id)
        .where(Lesson.course_id == course_id),
    )
    return set(session.execute(statement).scalars().all())


@dataclass
class Row:
    """One module or lesson of the outline, and the languages it has a version in."""

    kind: str  # "module" or "lesson"
    id: int
    title: str
    hidden: bool
    quiz: bool = False
    translated: set[str] = field(default_factory=set)


@dataclass
class TranslationTable:
    default_language: str
    languages: list[str]  # started, in SUPPORTED_LANGUAGES order
    not_started: list[str]
    course_translated: set[str]
    rows: list[Row]

    def missing(self, language: str) -> int:
        """How many parts still lack a version in ``language`` (the title and summary count as one)."""
        parts = sum(1 for row in self.rows if language not in row.translated)
        return parts + (language not in self.course_translated)


def translation_table(session: Session, *, course: Course, outline: Outline) -> TranslationTable:
    """Which modules and lessons have a version in each language the course has started (three statements)."""
    course_id = course.id or 0
    course_rows = set(session.execute(sa_select(CourseTranslation.language).where(CourseTranslation.course_id == course_id)).scalars())
    module_rows = session.execute(
        sa_select(ModuleTranslation.module_id, ModuleTranslation.language)
        .join(Module, Module.id == ModuleTranslation.module_id)
        .where(Module.course_id == course_id)
    ).all()
    lesson_rows = session.execute(
        sa_select(LessonTranslation.lesson_id, LessonTranslation.language)
        .join(Lesson, Lesson.id == LessonTranslation.lesson_id)
        .where(Lesson.course_id == course_id)
    ).all()
    modules: dict[int, set[str]] = {}
    for owner, language in module_rows:
        modules.setdefault(owner, set()).add(language)
    lessons: dict[int, set[str]] = {}
    for owner, language in lesson_rows:
        lessons.setdefault(owner, set()).add(language)
    started = course_rows | {language for _o, language in (*module_rows, *lesson_rows)}
    others = [code for code in SUPPORTED_LANGUAGES if code != course.default_language]
    rows: list[Row] = []
    for entry in outline.modules:
        module = entry.module
        rows.append(Row("module", module.id or 0, module.title, module.hidden, translated=modules.get(module.id or 0, set())))
        for lesson in entry.lessons:
            rows.append(
                Row("lesson", lesson.id or 0, lesson.title, lesson.hidden, lesson.kind == "quiz", lessons.get(lesson.id or 0, set()))
            )
    return TranslationTable(
        course.default_language,
        [code for code in others if code in started],
        [code for code in others if code not in started],
        course_rows,
        rows,
    )
