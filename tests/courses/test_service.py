"""The shared course writes: enrolment, assignment, rules for later joiners, progress and completion."""

from datetime import timedelta

import pytest
from sqlmodel import select

from courses.models import (
    Assignment,
    AssignmentRule,
    Enrolment,
    Lesson,
    LessonProgress,
)
from courses.errors import CourseError
from courses.assignment.service import assign, rule_apply
from courses.learning.service import enrol, lesson_complete
from lms.clock import utcnow
from lms.competences.models import CompetenceStatus, Evidence
from lms.competences.selectors import competence_by_code
from lms.people.models import OrgUnit
from lms.people.service import user_create
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import load_digcomp


def test_enrol_is_idempotent_and_needs_a_published_course(db, make_user):
    learner = make_user()
    course = make_course(db, modules=[["Lesson 0", "Lesson 1"]])
    assert enrol(db, course=course, user=learner).id == enrol(db, course=course, user=learner).id
    draft = make_course(db, status="draft", modules=[["Lesson 0", "Lesson 1"]])
    with pytest.raises(CourseError):
        enrol(db, course=draft, user=learner)


def test_assignment_is_idempotent_keeps_history_and_earliest_due_date(db, make_user):
    manager, learner = make_user("manager"), make_user()
    course = make_course(db, modules=[["Lesson 0", "Lesson 1"]])
    later, sooner = utcnow() + timedelta(days=30), utcnow() + timedelta(days=7)
    assign(db, course=course, users=[learner], by=manager, due_at=later, message="For the audit")
    assign(db, course=course, users=[learner], by=manager, due_at=sooner, message="Sooner please")
    assign(db, course=course, users=[learner], by=manager, due_at=later + timedelta(days=9))
    db.commit()
    enrolments = db.exec(select(Enrolment)).all()
    assert len(enrolments) == 1 and enrolments[0].source == "assigned"
    assert abs((enrolments[0].due_at - sooner).total_seconds()) < 1
    messages = [a.message for a in db.exec(select(Assignment).order_by(Assignment.id)).all()]
    assert messages == ["For the audit", "Sooner please", ""]


def test_rule_assigns_current_members_and_people_who_join_later(db, make_user):
    unit = OrgUnit(name="Information Governance")
    db.add(unit)
    db.commit()
    current = make_user(org_unit_id=unit.id)
    make_user()  # elsewhere: not covered
    course = make_course(db, modules=[["Lesson 0", "Lesson 1"]])
    rule = AssignmentRule(course_id=course.id, org_unit_id=unit.id, due_days=30, message="Required for IG")
    db.add(rule)
    db.flush()
    assert rule_apply(db, rule=rule) == 1
    assert rule_apply(db, rule=rule) == 0  # idempotent
    db.commit()
    joiner = user_create(db, email="new.starter@example.gov", name="New Starter", by=None, org_unit_id=unit.id)
    db.commit()
    sources = {e.user_id: e.source for e in db.exec(select(Enrolment)).all()}
    assert sources == {current.id: "rule", joiner.id: "rule"}
    due = db.exec(select(Enrolment).where(Enrolment.user_id == joiner.id)).one().due_at
    assert timedelta(days=29) < due - utcnow() <= timedelta(days=30)


def test_completing_the_last_lesson_completes_the_course_and_records_evidence(db, make_user):
    load_digcomp(db)
    competence = competence_by_code(db, "4.2")
    learner = make_user()
    course = make_course(db, modules=[["Lesson 0", "Lesson 1"]], competences={competence.id: 4})
    lessons = lessons_of(db, course)
    first = lesson_complete(db, user=learner, lesson=lessons[0])
    db.commit()
    assert first.progress_percent == 50 and first.completed_at is None
    lesson_complete(db, user=learner, lesson=lessons[0])  # again: nothing changes
    done = lesson_complete(db, user=learner, lesson=lessons[1])
    db.commit()
    assert done.status == "completed" and done.progress_percent == 100
    evidence = db.exec(select(Evidence).where(Evidence.user_id == learner.id)).all()
    assert [(e.source, e.level, e.reference) for e in evidence] == [("course", 4, f"course:{course.id}")]
    assert db.get(CompetenceStatus, (learner.id, competence.id)).verified_level == 4
    lesson_complete(db, user=learner, lesson=lessons[1])  # completing again records nothing new
    db.commit()
    assert len(db.exec(select(Evidence)).all()) == 1


def test_hidden_lessons_do_not_count_and_completed_lessons_cannot_be_deleted(db, make_user):
    from sqlalchemy.exc import IntegrityError

    learner = make_user()
    course = make_course(db, modules=[["Lesson 0", "Lesson 1", "Lesson 2"]])
    lessons = lessons_of(db, course)
    lessons[2].hidden = True
    db.add(lessons[2])
    db.commit()
    lesson_complete(db, user=learner, lesson=lessons[0])
    enrolment = lesson_complete(db, user=learner, lesson=lessons[1])
    db.commit()
    assert enrolment.status == "completed"
    assert db.exec(select(LessonProgress)).all()
    db.delete(db.get(Lesson, lessons[0].id))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
