"""Demo courses and learning activity, added to `lms demo` through `hooks.demo_loaders`.

The courses go through the authoring services (so lesson HTML comes from the real Markdown renderer and
sanitiser), the activity through the enrolment and progress services (so percentages, completions and
course evidence agree with what a learner would have produced by clicking).
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from lms.clock import utcnow
from lms.competences.selectors import competence_by_code
from lms.people.models import Role, RoleGrant, User
from lms.people.selectors import user_by_email

from courses.authoring.service import course_create, course_publish, lesson_add, module_add
from courses.demo.activity import activity_demo_load
from courses.demo.content import COURSES
from courses.demo.spec import CourseSpec
from courses.models import Course, CourseEditor

TRAINER_EMAIL = "trainer@example.gov"
# (days ago created, days ago published): the catalogue has grown over a few months.
AGES = [(150, 140), (130, 120), (110, 100), (95, 90), (80, 70), (60, 50), (12, None)]


def courses_demo_load(session: Session) -> int:
    """Build the demo catalogue and activity in the session (the caller commits). Returns the number
    of courses added."""
    trainer = user_by_email(session, TRAINER_EMAIL)
    if trainer is None:  # demo people not loaded: nothing to attach courses to
        return 0
    co_editor = _another_trainer(session, trainer)
    now = utcnow()
    built: dict[str, Course] = {}
    for index, spec in enumerate(COURSES):
        course = _course_build(session, spec, trainer)
        created, published = AGES[index % len(AGES)]
        course.created_at = course.updated_at = now - timedelta(days=created)
        if spec.published:
            course_publish(session, course=course, by=trainer)
            course.published_at = course.updated_at = now - timedelta(days=published or 0)
        if co_editor is not None and spec.key == "data_for_policy":
            # A course with two editors shows co-editing on the trainer pages.
            session.add(CourseEditor(course_id=course.id, user_id=co_editor.id))
        session.add(course)
        built[spec.key] = course
    session.flush()
    activity_demo_load(session, {k: c for k, c in built.items() if c.status == "published"}, now=now)
    return len(built)


def _course_build(session: Session, spec: CourseSpec, trainer: User) -> Course:
    levels = {}
    for code, level in spec.competences.items():
        competence = competence_by_code(session, code, "DigComp")
        if competence is not None:
            levels[competence.id] = level
    course = course_create(
        session,
        by=trainer,
        title=spec.title,
        summary=spec.summary,
        audience=spec.audience,
        estimated_minutes=spec.minutes,
        competences=levels,
    )
    for module_spec in spec.modules:
        module = module_add(session, course=course, title=module_spec.title)
        for lesson in module_spec.lessons:
            lesson_add(session, module=module, title=lesson.title, estimated_minutes=lesson.minutes, body_markdown=lesson.body)
    return course


def _another_trainer(session: Session, trainer: User) -> User | None:
    return session.exec(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.TRAINER.value, User.id != trainer.id)
        .order_by(User.id)
    ).first()
