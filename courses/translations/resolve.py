"""Which version of a course's text a reader sees: theirs when it exists, else the course's default.

The reader's language is the request's (lms.i18n.current_language: their setting, else the browser,
else DEFAULT_LANGUAGE). A page asks for every version it may show in one statement (`versions_for`),
and none at all when the reader's language is the course's own. What falls back to the default carries
that language, so the template marks it `lang="…"` and screen readers read it with the right voice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import BindParameter, String, Text, bindparam, case, cast, literal, select, union_all
from sqlmodel import Session

from lms.i18n import current_language, current_locale

from courses.models import Course, CourseTranslation, Lesson, LessonTranslation, Module, ModuleTranslation


@dataclass(frozen=True)
class Shown:
    """A piece of text as a reader sees it; `fallback` is its language when it is not the reader's."""

    text: str
    fallback: str | None = None

    @property
    def lang(self) -> Markup:
        """` lang="en"` for text shown in another language than the page's, else nothing."""
        return Markup(' lang="{0}"').format(self.fallback) if self.fallback else Markup("")

    def __str__(self) -> str:
        return self.text


@dataclass
class Versions:
    """A course's text in one reader's language, falling back to the course's default language."""

    course: Course
    language: str
    course_version: tuple[str, str] | None = None  # (title, summary)
    modules: dict[int, str] = field(default_factory=dict)
    lessons: dict[int, str] = field(default_factory=dict)
    body: dict[int, str] = field(default_factory=dict)  # lesson id -> translated body_html, for the lessons asked for

    @property
    def native(self) -> bool:
        return self.language == self.course.default_language

    def _pick(self, translated: str | None, default: str) -> Shown:
        if self.native:
            return Shown(default)
        if translated is not None:
            return Shown(translated)
        return Shown(default, self.course.default_language)

    def title(self) -> Shown:
        return self._pick(self.course_version[0] if self.course_version else None, self.course.title)

    def summary(self) -> Shown:
        return self._pick(self.course_version[1] if self.course_version else None, self.course.summary)

    def module(self, module: Module) -> Shown:
        return self._pick(self.modules.get(module.id or 0), module.title)

    def lesson(self, lesson: Lesson) -> Shown:
        return self._pick(self.lessons.get(lesson.id or 0), lesson.title)

    def lesson_body_html(self, lesson: Lesson) -> Shown:
        """The stored HTML of the version shown (sanitised again by the caller, like the default's)."""
        translated = self.body.get(lesson.id or 0) if (lesson.id or 0) in self.lessons else None
        return self._pick(translated, lesson.body_html)

    @property
    def course_translated(self) -> bool:
        return self.native or self.course_version is not None

    def lesson_translated(self, lesson: Lesson) -> bool:
        return self.native or (lesson.id or 0) in self.lessons

    @property
    def default_language_name(self) -> str:
        return language_name(self.course.default_language)

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def language_name(code: str) -> str:
    """A language named in the page's language ("French" in English, "français" in French)."""
    return current_locale().languages.get(code, code)


_K_COURSE, _K_MODULE, _K_LESSON = "c", "m", "l"
_course_id: BindParameter[int] = bindparam("course_id")
_language: BindParameter[str] = bindparam("language")
_lesson_ids: BindParameter[list[int]] = bindparam("lesson_ids", expanding=True)

# One statement for the course, its modules and its lessons; bodies only for the lessons asked for
# (a page shows one body, and a long course's bodies are not worth reading to show titles).
_VERSIONS = union_all(
    select(
        literal(_K_COURSE, String(1)).label("kind"),
        CourseTranslation.course_id.label("id"),
        CourseTranslation.title.label("title"),
        cast(CourseTranslation.summary, Text).label("text"),
    ).where(CourseTranslation.course_id == _course_id, CourseTranslation.language == _language),
    select(
        literal(_K_MODULE, String(1)),
        ModuleTranslation.module_id,
        ModuleTranslation.title,
        cast(literal(""), Text),
    )
    .join(Module, Module.id == ModuleTranslation.module_id)
    .where(Module.course_id == _course_id, ModuleTranslation.language == _language),
    select(
        literal(_K_LESSON, String(1)),
        LessonTranslation.lesson_id,
        LessonTranslation.title,
        case((LessonTranslation.lesson_id.in_(_lesson_ids), LessonTranslation.body_html), else_=cast(literal(""), Text)),
    )
    .join(Lesson, Lesson.id == LessonTranslation.lesson_id)
    .where(Lesson.course_id == _course_id, LessonTranslation.language == _language),
)


def versions_for(session: Session, course: Course, *, bodies_of: Iterable[int] = (), language: str | None = None) -> Versions:
    """The reader's versions of a course's text; no statement when they read the course's own language."""
    found = Versions(course, language or current_language())
    if found.native:
        return found
    wanted = [int(i) for i in bodies_of] or [0]
    rows = session.execute(_VERSIONS, {"course_id": course.id, "language": found.language, "lesson_ids": wanted}).all()
    for kind, owner_id, title, text in rows:
        if kind == _K_COURSE:
            found.course_version = (title, text or "")
        elif kind == _K_MODULE:
            found.modules[owner_id] = title
        else:
            found.lessons[owner_id] = title
            if owner_id in wanted:
                found.body[owner_id] = text or ""
    return found


def course_texts(session: Session, courses: Iterable[Course], *, language: str | None = None) -> dict[int, tuple[Shown, Shown]]:
    """Title and summary of each course as the reader sees them, for lists of courses: one statement,
    none when every course is in the reader's language."""
    language = language or current_language()
    courses = list(courses)
    others = [course.id for course in courses if course.default_language != language]
    found: dict[int, tuple[str, str]] = {}
    if others:
        rows = session.execute(
            select(CourseTranslation.course_id, CourseTranslation.title, CourseTranslation.summary).where(
                CourseTranslation.course_id.in_(others), CourseTranslation.language == language
            )
        ).all()
        found = {course_id: (title, summary) for course_id, title, summary in rows}
    texts: dict[int, tuple[Shown, Shown]] = {}
    for course in courses:
        version = Versions(course, language, course_version=found.get(course.id or 0))
        texts[course.id or 0] = (version.title(), version.summary())
    return texts
