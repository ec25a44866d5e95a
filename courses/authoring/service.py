"""Writes for trainers: courses, their status and editors, modules and lessons. Callers commit.

Learners' progress is never deleted from here: a lesson (or a module holding one) that anyone has
progress on can only be hidden.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from sqlalchemy import ColumnElement, func, select as sa_select
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session, select

from lms.i18n import gettext
from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.competences.models import MAX_LEVEL, Competence
from lms.db import known
from lms.hooks import publish_blockers
from lms.people.models import Role, RoleGrant, User

from courses.markdown import markdown_to_html, url_problems
from courses.models import (
    Attachment,
    Course,
    CourseCompetence,
    CourseEditor,
    CourseStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    Module,
)
from courses.errors import CourseError, PublishBlocked
from courses.authoring.selectors import enrolment_count
from courses.learning.selectors import required_lessons

QUIZ_NOT_DELETABLE = "Quizzes cannot be deleted, because their attempts and results must be kept. Hide the quiz instead."
HAS_PROGRESS = "Learners have progress on this lesson, so it cannot be deleted. Hide it instead."
MODULE_HAS_PROGRESS = "Learners have progress on lessons in this module, so it cannot be deleted. Hide it instead."


def _touch(course: Course) -> None:
    course.updated_at = utcnow()


def competences_set(session: Session, *, course: Course, levels: dict[int, int]) -> None:
    """Replace the competences a course develops with ``levels`` (competence id -> level 1..8)."""
    for level in levels.values():
        if not 1 <= level <= MAX_LEVEL:
            raise CourseError(gettext("Levels go from 1 to %(max)s.") % {"max": MAX_LEVEL}, "competences")
    if levels:
        found = set(session.exec(select(Competence.id).where(Competence.id.in_(list(levels)))).all())
        if found != set(levels):
            raise CourseError(gettext("Choose competences from the list."), "competences")
    current = {c.competence_id: c for c in session.exec(select(CourseCompetence).where(CourseCompetence.course_id == course.id)).all()}
    for competence_id, row in current.items():
        if competence_id not in levels:
            session.delete(row)
    for competence_id, level in levels.items():
        row = current.get(competence_id) or CourseCompetence(course_id=course.id, competence_id=competence_id, level=level)
        row.level = level
        session.add(row)


def course_create(
    session: Session,
    *,
    by: User,
    title: str,
    summary: str = "",
    audience: str = "",
    estimated_minutes: int = 30,
    competences: dict[int, int] | None = None,
) -> Course:
    """A new draft; its creator becomes its first editor."""
    course = Course(title=title, summary=summary, audience=audience, estimated_minutes=estimated_minutes, created_by_id=by.id)
    session.add(course)
    session.flush()
    session.add(CourseEditor(course_id=course.id, user_id=by.id))
    competences_set(session, course=course, levels=competences or {})
    audit_record(session, action="course.create", actor=by, target_type="course", target_id=course.id)
    return course


def course_update(
    session: Session,
    *,
    course: Course,
    by: User,
    title: str,
    summary: str,
    audience: str,
    estimated_minutes: int,
    competences: dict[int, int],
) -> Course:
    course.title, course.summary, course.audience = title, summary, audience
    course.estimated_minutes = estimated_minutes
    _touch(course)
    session.add(course)
    competences_set(session, course=course, levels=competences)
    return course


def course_publish(session: Session, *, course: Course, by: User) -> None:
    if course.status == CourseStatus.PUBLISHED.value:
        return
    if not required_lessons(session, course.id):
        raise CourseError(gettext("Add at least one visible lesson before publishing."), "status")
    blockers = publish_blockers(session, course.id)
    if blockers:
        raise PublishBlocked(blockers)
    course.status = CourseStatus.PUBLISHED.value
    course.published_at = course.published_at or utcnow()
    _touch(course)
    session.add(course)
    audit_record(session, action="course.publish", actor=by, target_type="course", target_id=course.id)


def course_archive(session: Session, *, course: Course, by: User) -> None:
    """Archived courses leave the catalogue; enrolled learners can still read them."""
    if course.status == CourseStatus.ARCHIVED.value:
        return
    course.status = CourseStatus.ARCHIVED.value
    _touch(course)
    session.add(course)
    audit_record(session, action="course.archive", actor=by, target_type="course", target_id=course.id)


def course_to_draft(session: Session, *, course: Course, by: User) -> None:
    """Back to draft hides the course from learners, so only while nobody is enrolled."""
    if course.status == CourseStatus.DRAFT.value:
        return
    if enrolment_count(session, course.id):
        raise CourseError(gettext("People are enrolled on this course, so it cannot go back to draft. Archive it instead."), "status")
    course.status = CourseStatus.DRAFT.value
    _touch(course)
    session.add(course)
    audit_record(session, action="course.draft", actor=by, target_type="course", target_id=course.id)


def editor_add(session: Session, *, course: Course, email: str, by: User) -> User:
    email = email.strip().lower()
    user = session.exec(select(User).where(func.lower(User.email) == email)).first() if email else None
    if user is None or not user.is_active or session.get(RoleGrant, (user.id, Role.TRAINER.value)) is None:
        raise CourseError(gettext("There is no active trainer with that email address."), "email")
    if session.get(CourseEditor, (course.id, user.id)) is None:
        session.add(CourseEditor(course_id=course.id, user_id=user.id))
        audit_record(
            session, action="course.editor_add", actor=by, target_type="course", target_id=course.id, detail={"user_id": user.id}
        )
    return user


def editor_remove(session: Session, *, course: Course, user_id: int, by: User) -> None:
    editors = session.exec(select(CourseEditor).where(CourseEditor.course_id == course.id)).all()
    row = next((e for e in editors if e.user_id == user_id), None)
    if row is None:
        raise CourseError(gettext("That person is not an editor of this course."), "editors")
    if len(editors) == 1:
        raise CourseError(gettext("A course needs at least one editor. Add another editor first."), "editors")
    session.delete(row)
    audit_record(
        session, action="course.editor_remove", actor=by, target_type="course", target_id=course.id, detail={"user_id": user_id}
    )


def _next_position(session: Session, column: InstrumentedAttribute[int], *where: ColumnElement[bool]) -> int:
    top = session.exec(sa_select(func.max(column)).where(*where)).scalar_one()
    return 0 if top is None else top + 1


def module_add(session: Session, *, course: Course, title: str) -> Module:
    module = Module(course_id=course.id, title=title, position=_next_position(session, Module.position, Module.course_id == course.id))
    session.add(module)
    _touch(course)
    session.flush()
    return module


def module_update(session: Session, *, module: Module, title: str) -> None:
    module.title = title
    session.add(module)


class Positioned(Protocol):
    """A row kept in order among its siblings: a module, a lesson, a quiz slot."""

    @property
    def id(self) -> int | None: ...

    position: int


PositionedT = TypeVar("PositionedT", bound=Positioned)


def position_move(session: Session, siblings: list[PositionedT], item: PositionedT, direction: str) -> bool:
    """Swap ``item`` with its neighbour; positions are renumbered first so duplicates cannot stick."""
    index = next(i for i, s in enumerate(siblings) if s.id == item.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            session.add(sibling)
    return True


def module_move(session: Session, *, module: Module, direction: str) -> bool:
    siblings = list(
        session.exec(select(Module).where(Module.course_id == module.course_id).order_by(Module.position, Module.id)).all()
    )
    return position_move(session, siblings, module, direction)


def module_hide(session: Session, *, module: Module, hidden: bool) -> None:
    module.hidden = hidden
    session.add(module)


def _progress_exists(session: Session, *where: ColumnElement[bool]) -> bool:
    return (
        session.exec(
            sa_select(LessonProgress.lesson_id).join(Lesson, Lesson.id == LessonProgress.lesson_id).where(*where).limit(1)
        ).first()
        is not None
    )


def module_delete(session: Session, *, module: Module, by: User) -> None:
    if _progress_exists(session, Lesson.module_id == module.id):
        raise CourseError(MODULE_HAS_PROGRESS, "module")
    if session.exec(select(Lesson.id).where(Lesson.module_id == module.id, Lesson.kind == LessonKind.QUIZ.value)).first() is not None:
        raise CourseError(QUIZ_NOT_DELETABLE, "module")
    for lesson in session.exec(select(Lesson).where(Lesson.module_id == module.id)).all():
        session.delete(lesson)
    session.delete(module)
    audit_record(
        session,
        action="course.module_delete",
        actor=by,
        target_type="course",
        target_id=module.course_id,
        detail={"module": module.title},
    )


def lesson_body_check(session: Session, *, course_id: int, body_markdown: str) -> None:
    """Images only from this course's files; links not to the app's own pages (courses.markdown)."""
    ids = set(session.exec(select(Attachment.id).where(Attachment.course_id == course_id)).all())
    problems = url_problems(body_markdown, course_id=course_id, attachment_ids=ids)
    if problems:
        raise CourseError(" ".join(problems[:3]), "body_markdown")


def lesson_add(session: Session, *, module: Module, title: str, estimated_minutes: int, body_markdown: str) -> Lesson:
    lesson_body_check(session, course_id=module.course_id, body_markdown=body_markdown)
    lesson = Lesson(
        course_id=module.course_id,
        module_id=module.id,
        title=title,
        estimated_minutes=estimated_minutes,
        body_markdown=body_markdown,
        body_html=markdown_to_html(body_markdown),
        position=_next_position(session, Lesson.position, Lesson.module_id == module.id),
    )
    session.add(lesson)
    session.flush()
    return lesson


def lesson_update(
    session: Session, *, lesson: Lesson, title: str, estimated_minutes: int, body_markdown: str, module: Module | None = None
) -> None:
    """Edit in place (progress rows keep pointing at the same lesson); optionally move it to another
    module of the same course, at the end."""
    lesson_body_check(session, course_id=lesson.course_id, body_markdown=body_markdown)
    lesson.title, lesson.estimated_minutes = title, estimated_minutes
    lesson.body_markdown, lesson.body_html = body_markdown, markdown_to_html(body_markdown)
    if module is not None and module.id != lesson.module_id:
        if module.course_id != lesson.course_id:
            raise CourseError(gettext("Choose a module of this course."), "module_id")
        lesson.module_id = known(module.id)
        lesson.position = _next_position(session, Lesson.position, Lesson.module_id == module.id)
    session.add(lesson)


def lesson_move(session: Session, *, lesson: Lesson, direction: str) -> bool:
    siblings = list(
        session.exec(select(Lesson).where(Lesson.module_id == lesson.module_id).order_by(Lesson.position, Lesson.id)).all()
    )
    return position_move(session, siblings, lesson, direction)


def lesson_hide(session: Session, *, lesson: Lesson, hidden: bool) -> None:
    lesson.hidden = hidden
    session.add(lesson)


def lesson_delete(session: Session, *, lesson: Lesson, by: User) -> None:
    if lesson.kind == LessonKind.QUIZ.value:
        raise CourseError(QUIZ_NOT_DELETABLE, "lesson")
    if _progress_exists(session, LessonProgress.lesson_id == lesson.id):
        raise CourseError(HAS_PROGRESS, "lesson")
    session.delete(lesson)
    audit_record(
        session,
        action="course.lesson_delete",
        actor=by,
        target_type="course",
        target_id=lesson.course_id,
        detail={"lesson": lesson.title},
    )
