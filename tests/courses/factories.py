"""Building courses quickly for tests. Others may add helpers at the end of this file."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, select

from courses.markdown import markdown_to_html
from courses.models import Course, CourseCompetence, CourseEditor, Lesson, Module
from lms.app import load_features
from lms.clock import utcnow
from lms.people.models import User
from tests.lms.competences.factories import competence

load_features()


def make_course(
    db: Session,
    title: str = "Spotting phishing",
    *,
    editors: list[User] = (),
    status: str = "published",
    modules: Iterable[Iterable[str]] = (("Lesson 1",),),
    competences: dict[int, int] | None = None,
    develops: dict[str, int] | None = None,
    summary: str = "",
    audience: str = "",
    minutes: int = 30,
    published_at: datetime | None = None,
) -> Course:
    """A committed course. ``modules`` lists each module's lesson titles, in order (module titles
    are "Module 1", "Module 2", ...); lesson bodies are a short Markdown paragraph. What it develops
    is given as {competence id: level} (``competences``) or {DigComp code: level} (``develops``, with
    DigComp loaded). ``published_at`` defaults to now unless the course is a draft."""
    if published_at is None and status != "draft":
        published_at = utcnow()
    course = Course(
        title=title,
        summary=summary,
        audience=audience,
        status=status,
        estimated_minutes=minutes,
        published_at=published_at,
        created_by_id=editors[0].id if editors else None,
    )
    db.add(course)
    db.flush()
    for editor in editors:
        db.add(CourseEditor(course_id=course.id, user_id=editor.id))
    for m_index, lesson_titles in enumerate(modules):
        module = Module(course_id=course.id, title=f"Module {m_index + 1}", position=m_index)
        db.add(module)
        db.flush()
        for l_index, lesson_title in enumerate(lesson_titles):
            body = f"Text of *{lesson_title}*."
            db.add(
                Lesson(
                    course_id=course.id,
                    module_id=module.id,
                    title=lesson_title,
                    position=l_index,
                    body_markdown=body,
                    body_html=markdown_to_html(body),
                )
            )
    levels = dict(competences or {})
    levels.update({competence(db, code).id: level for code, level in (develops or {}).items()})
    for competence_id, level in levels.items():
        db.add(CourseCompetence(course_id=course.id, competence_id=competence_id, level=level))
    db.commit()
    db.refresh(course)
    return course


def lessons_of(db: Session, course: Course) -> list[Lesson]:
    """The course's lessons in outline order."""
    return list(
        db.exec(
            select(Lesson)
            .join(Module, Module.id == Lesson.module_id)
            .where(Lesson.course_id == course.id)
            .order_by(Module.position, Module.id, Lesson.position, Lesson.id)
        ).all()
    )
