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
from sqlalchemy import BindParameter, ColumnElement, String, Text, and_, bindparam, case, cast, func, literal, select, union_all
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


class MarkedText(str):
    """A plain string (compares, sorts and serialises as its text) that an autoescaped template shows
    inside ``<span lang="…">`` when it is in another language than the page's (``fallback``)."""

    fallback: str | None

    def __new__(cls, text: str, fallback: str | None = None) -> MarkedText:
        made = super().__new__(cls, text)
        made.fallback = fallback
        return made

    def __html__(self) -> Markup:
        if self.fallback:
            return Markup('<span lang="{0}">{1}</span>').format(self.fallback, str(self))
        return Markup.escape(str(self))


@dataclass(frozen=True, order=True)
class CourseName:
    """A course's title in every language it has, resolved when shown: in the language being spoken
    then (lms.i18n.current_language), so an e-mail rendered for its recipient names the course in
    theirs. ``str()`` gives the text; in an autoescaped template (``__html__``) a title that falls back
    to the course's own language carries ``lang``."""

    title: str
    language: str
    versions: tuple[tuple[str, str], ...] = ()

    def shown(self, language: str | None = None) -> Shown:
        language = language or current_language()
        if language == self.language:
            return Shown(self.title)
        translated = dict(self.versions).get(language)
        return Shown(translated) if translated is not None else Shown(self.title, self.language)

    def __str__(self) -> str:
        return self.shown().text

    def __html__(self) -> Markup:
        shown = self.shown()
        if shown.fallback:
            return Markup('<span lang="{0}">{1}</span>').format(shown.fallback, shown.text)
        return Markup.escape(shown.text)


def course_names(session: Session, course_ids: Iterable[int]) -> dict[int, CourseName]:
    """Each course's name in all its languages, for text rendered later or for several readers (e-mails,
    a sweep's messages): one statement for the courses and their versions."""
    ids = sorted({int(i) for i in course_ids})
    if not ids:
        return {}
    rows = session.execute(
        select(Course.id, Course.title, Course.default_language, CourseTranslation.language, CourseTranslation.title)
        .outerjoin(CourseTranslation, CourseTranslation.course_id == Course.id)
        .where(Course.id.in_(ids))
    ).all()
    titles: dict[int, tuple[str, str]] = {}
    versions: dict[int, list[tuple[str, str]]] = {}
    for course_id, title, default_language, language, translated in rows:
        titles[course_id] = (title, default_language)
        if language is not None:
            versions.setdefault(course_id, []).append((language, translated))
    return {
        course_id: CourseName(title, default_language, tuple(sorted(versions.get(course_id, []))))
        for course_id, (title, default_language) in titles.items()
    }


def course_name(session: Session, course: Course) -> CourseName:
    """One course's CourseName (one statement)."""
    return course_names(session, [course.id or 0]).get(course.id or 0) or CourseName(course.title, course.default_language)


def title_version(language: str | None = None) -> ColumnElement[bool]:
    """The ON clause for `.outerjoin(CourseTranslation, title_version())`: a list that names courses reads
    each one's title in the reader's language in its own statement (no statement more), and a course
    without that version keeps its row."""
    return and_(CourseTranslation.course_id == Course.id, CourseTranslation.language == (language or current_language()))


def shown_title() -> ColumnElement[str]:
    """The title a reader sees, for ordering a list joined with `title_version()`."""
    return func.coalesce(CourseTranslation.title, Course.title)


def marked_title(title: str, default_language: str, version: str | None, *, language: str | None = None) -> MarkedText:
    """A course's title as the reader sees it, from a row joined with `title_version()` (Course.title,
    Course.default_language, CourseTranslation.title): theirs where it exists, else the course's own,
    marked with its language when that is not the reader's."""
    if version is not None:
        return MarkedText(version)
    return MarkedText(title, None if default_language == (language or current_language()) else default_language)
