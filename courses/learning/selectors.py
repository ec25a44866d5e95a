"""Reads for taking a course: its outline, the learner's progress, their latest assignment and rating.

Each function runs a fixed number of statements, however many lessons the course has.
Progress is counted live from LessonProgress over the visible lessons, so hiding a lesson later
changes the percentage everywhere at once instead of leaving a stale stored figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, false, select as sa_select
from sqlmodel import Session, select

from lms.db import known
from lms.people.models import User

from courses.catalogue.selectors import Develops, develops_of
from courses.models import Assignment, Course, CourseFeedback, Enrolment, Lesson, LessonProgress, Module


def required_lessons(session: Session, course_id: int) -> list[Lesson]:
    """Visible lessons in visible modules, in course order: what completing a course means."""
    return list(
        session.exec(
            select(Lesson)
            .join(Module, Module.id == Lesson.module_id)
            .where(Lesson.course_id == course_id, Lesson.hidden == false(), Module.hidden == false())
            .order_by(Module.position, Module.id, Lesson.position, Lesson.id)
        ).all()
    )


@dataclass
class OutlineModule:
    module: Module
    lessons: list[Lesson] = field(default_factory=list)


@dataclass
class AssignmentEntry:
    due_at: datetime | None
    assigned_at: datetime
    by_name: str | None
    by_rule: bool
    message: str


@dataclass
class CourseView:
    course: Course
    modules: list[OutlineModule]
    lessons: list[Lesson]  # visible lessons in course order
    completed: set[int]
    enrolment: Enrolment | None
    assignments: list[AssignmentEntry]  # every time the course was assigned to the learner, newest first
    develops: list[Develops]
    feedback: CourseFeedback | None

    @property
    def percent(self) -> int:
        if self.enrolment is not None and self.enrolment.completed_at is not None:
            return 100
        if not self.lessons:
            return 0
        done = sum(1 for lesson in self.lessons if lesson.id in self.completed)
        return round(100 * done / len(self.lessons))

    @property
    def done_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.id in self.completed)

    def neighbours(self, lesson_id: int) -> tuple[Lesson | None, Lesson | None]:
        ids = [lesson.id for lesson in self.lessons]
        if lesson_id not in ids:
            return None, None
        i = ids.index(lesson_id)
        return (self.lessons[i - 1] if i else None), (self.lessons[i + 1] if i + 1 < len(ids) else None)

    @property
    def resume_lesson(self) -> Lesson | None:
        """Where the learner left off if that lesson is still visible, else the first one not done."""
        e = self.enrolment
        if e is not None and e.last_lesson_id is not None:
            for lesson in self.lessons:
                if lesson.id == e.last_lesson_id:
                    return lesson
        return self.first_incomplete

    @property
    def first_incomplete(self) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id not in self.completed), self.lessons[0] if self.lessons else None)


# The course and lesson pages' statements, built once with bind parameters: building a select and its
# cache key on every request cost more than running it (issue 15).
_VISIBLE_LESSONS = (
    sa_select(Lesson, Module)
    .join(Module, Module.id == Lesson.module_id)
    .where(Lesson.course_id == bindparam("course_id"), Lesson.hidden.is_(False), Module.hidden.is_(False))
    .order_by(Module.position, Module.id, Lesson.position, Lesson.id)
)
_COMPLETED = sa_select(LessonProgress.lesson_id).where(
    LessonProgress.user_id == bindparam("user_id"),
    LessonProgress.course_id == bindparam("course_id"),
    LessonProgress.completed_at.is_not(None),
)
_ENROLMENT = sa_select(Enrolment).where(Enrolment.course_id == bindparam("course_id"), Enrolment.user_id == bindparam("user_id"))
_ASSIGNMENTS = (
    sa_select(Assignment.due_at, Assignment.assigned_at, User.name, Assignment.rule_id, Assignment.message)
    .outerjoin(User, User.id == Assignment.assigned_by_id)
    .where(Assignment.enrolment_id == bindparam("enrolment_id"))
    .order_by(Assignment.assigned_at.desc(), Assignment.id.desc())
)


def visible_lessons(session: Session, course_id: int) -> list[tuple[Lesson, Module]]:
    return list(session.execute(_VISIBLE_LESSONS, {"course_id": course_id}).all())


def assignments_of(session: Session, enrolment_id: int) -> list[AssignmentEntry]:
    """Every assignment of the enrolment, newest first: a re-assignment without a message must not
    hide what an earlier one said."""
    rows = session.execute(_ASSIGNMENTS, {"enrolment_id": enrolment_id}).all()
    return [
        AssignmentEntry(due_at, assigned_at, by_name, rule_id is not None, message)
        for due_at, assigned_at, by_name, rule_id, message in rows
    ]


def course_view(session: Session, *, course: Course, user_id: int, with_extras: bool = True) -> CourseView:
    """The outline with the learner's progress; ``with_extras`` adds assignment, competences, feedback."""
    pairs = visible_lessons(session, course.id)
    modules: dict[int, OutlineModule] = {}
    for lesson, module in pairs:
        modules.setdefault(module.id, OutlineModule(module)).lessons.append(lesson)
    keys = {"course_id": course.id, "user_id": user_id}
    completed = set(session.execute(_COMPLETED, keys).scalars().all())
    enrolment = session.execute(_ENROLMENT, keys).scalars().first()
    develops = feedback = None
    assignments: list[AssignmentEntry] = []
    if with_extras:
        assignments = assignments_of(session, enrolment.id) if enrolment else []
        develops = develops_of(session, [known(course.id)]).get(course.id, [])
        feedback = session.get(CourseFeedback, (course.id, user_id))
    return CourseView(
        course, list(modules.values()), [lesson for lesson, _ in pairs], completed, enrolment, assignments, develops or [], feedback
    )


def feedback_allowed(session: Session, *, course: Course, user: User) -> bool:
    return (
        session.exec(
            select(Enrolment.id).where(
                Enrolment.course_id == course.id, Enrolment.user_id == user.id, Enrolment.completed_at.is_not(None)
            )
        ).first()
        is not None
    )
