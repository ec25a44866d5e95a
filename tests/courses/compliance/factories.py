"""Requirements and cycles built directly with the models, so the compliance tests do not depend on the cycle engine."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from courses.models import Course, Enrolment
from courses.requirements.models import CycleOutcome, Requirement, RequirementCourse, RequirementCycle
from lms.people.models import User


def make_requirement(db: Session, name: str = "Data protection", *, courses: list[Course] = (), **fields) -> Requirement:
    requirement = Requirement(name=name, **fields)
    db.add(requirement)
    db.flush()
    for course in courses:
        db.add(RequirementCourse(requirement_id=requirement.id, course_id=course.id))
    db.commit()
    return requirement


def make_cycle(
    db: Session,
    requirement: Requirement,
    user: User,
    *,
    number: int = 1,
    opened_at: datetime,
    due_at: datetime,
    completed_at: datetime | None = None,
    valid_until: datetime | None = None,
    ended_at: datetime | None = None,
    outcome: str | None = None,
) -> RequirementCycle:
    if completed_at is not None and outcome is None:
        outcome = CycleOutcome.COMPLETED.value
    cycle = RequirementCycle(
        requirement_id=requirement.id,
        user_id=user.id,
        number=number,
        opened_at=opened_at,
        due_at=due_at,
        grace_until=due_at + timedelta(days=requirement.grace_days),
        completed_at=completed_at,
        valid_until=valid_until,
        ended_at=ended_at,
        outcome=outcome,
    )
    db.add(cycle)
    db.commit()
    return cycle


def enrol(db: Session, user: User, course: Course, *, started_at: datetime | None = None) -> Enrolment:
    enrolment = Enrolment(
        course_id=course.id, user_id=user.id, status="in_progress" if started_at else "enrolled", started_at=started_at
    )
    db.add(enrolment)
    db.commit()
    return enrolment
