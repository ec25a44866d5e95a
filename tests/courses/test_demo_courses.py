"""`lms demo` brings a believable catalogue and learning activity, consistent with the services."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from courses.models import (
    Course,
    CourseCompetence,
    CourseEditor,
    CourseFeedback,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
)
from lms.clock import utcnow
from lms.competences.models import Evidence
from lms.competences.service import statuses_rebuild
from lms.demo_accounts import DEMO_PASSWORD
from lms.people.selectors import user_by_email
from tests.conftest import sign_in

DUE_SOON = timedelta(days=14)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _check_catalogue(db, trainer):
    published = db.exec(select(Course).where(Course.status == "published")).all()
    assert len(published) >= 6
    for course in published:
        assert course.created_by_id == trainer.id and course.published_at is not None
        assert len(course.summary) > 100 and course.audience
        assert db.get(CourseEditor, (course.id, trainer.id)) is not None
        assert db.exec(select(CourseCompetence).where(CourseCompetence.course_id == course.id)).all()
        modules = db.exec(select(Module).where(Module.course_id == course.id)).all()
        assert 2 <= len(modules) <= 4, course.title
        lessons = db.exec(select(Lesson).where(Lesson.course_id == course.id)).all()
        # Quiz lessons (added by the assessments demo) have no body of their own.
        reading = [lesson for lesson in lessons if lesson.kind != "quiz"]
        for module in modules:
            assert 2 <= sum(lesson.module_id == module.id for lesson in reading) <= 3, module.title
        assert course.estimated_minutes == sum(lesson.estimated_minutes for lesson in lessons)
        for lesson in reading:
            assert 150 <= _words(lesson.body_markdown) <= 400, lesson.title
            assert "<h2>" in lesson.body_html and "<script" not in lesson.body_html.lower()
    assert any("<table>" in lesson.body_html for lesson in db.exec(select(Lesson)).all())

    drafts = db.exec(select(Course).where(Course.status == "draft")).all()
    assert len(drafts) == 1 and drafts[0].published_at is None
    return published, drafts[0]


@pytest.mark.demo
def test_demo_has_courses_activity_and_a_consistent_skills_picture(db, client):
    trainer = user_by_email(db, "trainer@example.gov")
    employee = user_by_email(db, "employee@example.gov")
    published, draft = _check_catalogue(db, trainer)

    now = utcnow()
    mine = db.exec(select(Enrolment).where(Enrolment.user_id == employee.id)).all()
    open_ = [e for e in mine if e.completed_at is None]
    overdue = [e for e in open_ if e.due_at and e.due_at < now]
    due_soon = [e for e in open_ if e.due_at and now <= e.due_at <= now + DUE_SOON]
    in_progress = [e for e in open_ if e.status == "in_progress" and e not in overdue + due_soon]
    completed = [e for e in mine if e.status == "completed"]
    assert overdue and due_soon and in_progress and completed
    assert 0 < in_progress[0].progress_percent < 100
    assert all(e.completed_at < now - timedelta(days=1) and e.progress_percent == 100 for e in completed)

    # Every completion left course evidence; the derived statuses agree with the evidence.
    everyone_completed = db.exec(select(Enrolment).where(Enrolment.status == "completed")).all()
    assert len(everyone_completed) >= 10
    for enrolment in everyone_completed:
        assert db.exec(
            select(Evidence).where(
                Evidence.user_id == enrolment.user_id,
                Evidence.source == "course",
                Evidence.reference == f"course:{enrolment.course_id}",
            )
        ).first()
    assert statuses_rebuild(db, fix=False).drift == []
    assert db.exec(select(func.count()).select_from(CourseFeedback)).one() >= 5
    assert db.exec(select(func.count()).select_from(LessonProgress).where(LessonProgress.course_id == draft.id)).one() == 0
    assert not db.exec(select(Enrolment).where(Enrolment.course_id == draft.id)).first()

    # What the demo employee sees: their learning, and a catalogue without the draft.
    assert sign_in(client, employee.email, DEMO_PASSWORD).status_code == 303
    learning = client.get("/learning")
    assert learning.status_code == 200
    titles = {c.id: c.title for c in published}
    for enrolment in overdue + due_soon + in_progress:
        assert titles[enrolment.course_id] in learning.text
    catalogue = client.get("/courses")
    assert catalogue.status_code == 200
    assert draft.title not in catalogue.text
