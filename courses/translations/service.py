"""Writes for a course's versions in other languages: title and summary, module titles, lesson titles and
bodies, the course's default language. Callers commit; every change is audited in the same transaction.

A version holds only the translated text: order, visibility, duration, quizzes and everyone's progress
stay with the course, module and lesson, so switching language never touches a learner's progress.
"""

from __future__ import annotations

from sqlalchemy import delete, select as sa_select
from sqlmodel import Session

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.i18n import SUPPORTED_LANGUAGES, gettext, lazy_gettext
from lms.people.models import User

from courses.authoring.service import lesson_body_check
from courses.errors import CourseError
from courses.translations.selectors import languages_started
from courses.markdown import MAX_MARKDOWN, markdown_to_html
from courses.models import Course, CourseTranslation, Lesson, LessonKind, LessonTranslation, Module, ModuleTranslation

MAX_TITLE = 200
MAX_SUMMARY = 10_000
NOT_A_LANGUAGE = lazy_gettext("Choose one of the languages Proficio supports.")
SAME_AS_DEFAULT = lazy_gettext("This is the course’s default language: edit the course itself instead.")
DEFAULT_TAKEN = lazy_gettext(
    "This course already has a version in that language. Remove that version first, then make it the default."
)


class TranslationError(CourseError):
    pass


def _title(raw: str) -> str:
    title = " ".join((raw or "").split())
    if not title:
        raise TranslationError(gettext("Enter the title in this language."), "title")
    if len(title) > MAX_TITLE:
        raise TranslationError(gettext("Keep the title to 200 characters or fewer."), "title")
    return title


def language_check(course: Course, language: str) -> None:
    """A version's language: a supported one other than the course's default."""
    if language not in SUPPORTED_LANGUAGES:
        raise TranslationError(str(NOT_A_LANGUAGE), "language")
    if language == course.default_language:
        raise TranslationError(str(SAME_AS_DEFAULT), "language")


def _audit(session: Session, *, course: Course, by: User, action: str, language: str, **detail: object) -> None:
    course.updated_at = utcnow()
    session.add(course)
    audit_record(session, action=action, actor=by, target_type="course", target_id=course.id, detail={"language": language, **detail})


def course_translation_save(
    session: Session, *, course: Course, language: str, title: str, summary: str, by: User
) -> CourseTranslation:
    language_check(course, language)
    clean_title = _title(title)
    if len(summary) > MAX_SUMMARY:
        raise TranslationError(gettext("Keep the summary to 10,000 characters or fewer."), "summary")
    row = session.get(CourseTranslation, (course.id, language)) or CourseTranslation(course_id=course.id, language=language, title="")
    row.title, row.summary, row.updated_at = clean_title, summary.strip(), utcnow()
    session.add(row)
    _audit(session, course=course, by=by, action="course.translation.save", language=language, part="course")
    return row


def module_translation_save(
    session: Session, *, course: Course, module: Module, language: str, title: str, by: User
) -> ModuleTranslation:
    language_check(course, language)
    clean_title = _title(title)
    row = session.get(ModuleTranslation, (module.id, language)) or ModuleTranslation(module_id=module.id, language=language, title="")
    row.title, row.updated_at = clean_title, utcnow()
    session.add(row)
    _audit(session, course=course, by=by, action="course.translation.save", language=language, part="module", module_id=module.id)
    return row


def lesson_translation_save(
    session: Session, *, course: Course, lesson: Lesson, language: str, title: str, body_markdown: str, by: User
) -> LessonTranslation:
    """A quiz lesson's version has a title only: its questions belong to the quiz."""
    language_check(course, language)
    clean_title = _title(title)
    if lesson.kind == LessonKind.QUIZ.value:
        body_markdown = ""
    if len(body_markdown) > MAX_MARKDOWN:
        raise TranslationError(gettext("The lesson text is too long."), "body_markdown")
    # The same rules as the default version's body: images from this course's files, no links into the app.
    lesson_body_check(session, course_id=course.id or 0, body_markdown=body_markdown)
    row = session.get(LessonTranslation, (lesson.id, language)) or LessonTranslation(lesson_id=lesson.id, language=language, title="")
    row.title, row.updated_at = clean_title, utcnow()
    row.body_markdown, row.body_html = body_markdown, markdown_to_html(body_markdown)
    session.add(row)
    _audit(session, course=course, by=by, action="course.translation.save", language=language, part="lesson", lesson_id=lesson.id)
    return row


def course_language_remove(session: Session, *, course: Course, language: str, by: User) -> None:
    """Remove every version of the course in one language (title, modules, lessons)."""
    language_check(course, language)
    session.execute(delete(CourseTranslation).where(CourseTranslation.course_id == course.id, CourseTranslation.language == language))
    modules = sa_select(Module.id).where(Module.course_id == course.id)
    session.execute(delete(ModuleTranslation).where(ModuleTranslation.module_id.in_(modules), ModuleTranslation.language == language))
    lessons = sa_select(Lesson.id).where(Lesson.course_id == course.id)
    session.execute(delete(LessonTranslation).where(LessonTranslation.lesson_id.in_(lessons), LessonTranslation.language == language))
    _audit(session, course=course, by=by, action="course.translation.remove", language=language)


def course_default_language_set(session: Session, *, course: Course, language: str, by: User) -> bool:
    """Say which language the course's own text is written in; False when it already was.

    Refused while a version in that language exists: the two texts would claim the same language.
    """
    if language not in SUPPORTED_LANGUAGES:
        raise TranslationError(str(NOT_A_LANGUAGE), "default_language")
    if language == course.default_language:
        return False
    if language in languages_started(session, course_id=course.id or 0):
        raise TranslationError(str(DEFAULT_TAKEN), "default_language")
    previous, course.default_language = course.default_language, language
    course.updated_at = utcnow()
    session.add(course)
    audit_record(
        session,
        action="course.default_language",
        actor=by,
        target_type="course",
        target_id=course.id,
        detail={"from": previous, "to": language},
    )
    return True
