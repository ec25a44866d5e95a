"""Building courses quickly for tests. Others may add helpers at the end of this file."""

from __future__ import annotations

from sqlmodel import Session, select

from courses.markdown import markdown_to_html
from courses.models import Course, CourseCompetence, CourseEditor, Lesson, Module
from lms.app import load_features
from lms.clock import utcnow
from lms.competences.framework_service import digcomp_load
from lms.competences.models import Competence, Framework
from lms.people.models import User

load_features()


def make_course(
    db: Session,
    *,
    title: str = "Spotting phishing",
    editors: list[User] = (),
    status: str = "published",
    modules: list[list[str]] = (("Lesson 1",),),
    competences: dict[int, int] | None = None,
    summary: str = "",
    estimated_minutes: int = 30,
) -> Course:
    """A committed course. ``modules`` lists each module's lesson titles, in order (module titles
    are "Module 1", "Module 2", ...); lesson bodies are a short Markdown paragraph."""
    course = Course(title=title, summary=summary, status=status, estimated_minutes=estimated_minutes,
                    published_at=utcnow() if status != "draft" else None,
                    created_by_id=editors[0].id if editors else None)
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
            db.add(Lesson(course_id=course.id, module_id=module.id, title=lesson_title, position=l_index,
                          body_markdown=body, body_html=markdown_to_html(body)))
    for competence_id, level in (competences or {}).items():
        db.add(CourseCompetence(course_id=course.id, competence_id=competence_id, level=level))
    db.commit()
    db.refresh(course)
    return course


def load_digcomp(db: Session) -> Framework:
    """DigComp 2.2 as shipped, committed; returns the framework."""
    digcomp_load(db)
    db.commit()
    return db.exec(select(Framework).where(Framework.code == "DigComp")).one()


def competence(db: Session, code: str) -> Competence:
    """A DigComp competence by code, e.g. "4.2" (load_digcomp first)."""
    return db.exec(select(Competence).join(Framework, Framework.id == Competence.framework_id)
                   .where(Framework.code == "DigComp", Competence.code == code)).one()


def lessons_of(db: Session, course: Course) -> list[Lesson]:
    """The course's lessons in outline order."""
    return list(db.exec(select(Lesson).join(Module, Module.id == Lesson.module_id)
                        .where(Lesson.course_id == course.id)
                        .order_by(Module.position, Module.id, Lesson.position, Lesson.id)).all())
