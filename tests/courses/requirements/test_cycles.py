"""People's cycles: opened when they enter the audience, completed by a qualifying course, renewed with
their course progress reset (history kept), closed as "left" when they leave or are deactivated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from courses.learning.service import enrol, lesson_complete
from courses.models import Course, Enrolment, LessonProgress
from courses.requirements.cycles import cycle_complete_on_course, cycles_renew, cycles_sync_requirement
from courses.requirements.dates import add_months
from courses.requirements.models import Requirement, RequirementAudience, RequirementCourse, RequirementCycle
from lms.clock import utcnow
from lms.people.models import User
from lms.people.service import user_set_active, user_update
from tests.courses.factories import lessons_of, make_course
from tests.lms.factories import make_unit

REMINDERS = (14, 3)


def make_requirement(
    db: Session, courses: list[Course], *, audience: list[dict] = (), everyone: bool = False, **fields
) -> Requirement:
    requirement = Requirement(name=fields.pop("name", "Data protection"), everyone=everyone, **fields)
    db.add(requirement)
    db.flush()
    for course in courses:
        db.add(RequirementCourse(requirement_id=requirement.id, course_id=course.id))
    for part in audience:
        db.add(RequirementAudience(requirement_id=requirement.id, **part))
    db.commit()
    return requirement


def cycles_of(db: Session, requirement: Requirement, user: User | None = None) -> list[RequirementCycle]:
    db.expire_all()
    stmt = select(RequirementCycle).where(RequirementCycle.requirement_id == requirement.id)
    if user is not None:
        stmt = stmt.where(RequirementCycle.user_id == user.id)
    return list(db.exec(stmt.order_by(RequirementCycle.user_id, RequirementCycle.number)).all())


def complete_at(db: Session, course: Course, user: User, when: datetime) -> Enrolment:
    """A completion at an injected time, handed to the listener as courses.learning does."""
    enrolment = db.exec(select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id == user.id)).first()
    if enrolment is None:
        enrolment = Enrolment(course_id=course.id, user_id=user.id)
    enrolment.completed_at, enrolment.status, enrolment.progress_percent = when, "completed", 100
    db.add(enrolment)
    db.flush()
    cycle_complete_on_course(db, enrolment, user)
    db.commit()
    return enrolment


def complete_for_real(db: Session, course: Course, user: User) -> Enrolment:
    enrol(db, course=course, user=user)
    for lesson in lessons_of(db, course):
        enrolment = lesson_complete(db, user=user, lesson=lesson)
    db.commit()
    return enrolment


def test_first_cycles_open_for_the_audience_once(db, make_user):
    unit = make_unit(db, "Digital")
    inside = make_user(org_unit_id=unit.id)
    outside = make_user()
    course = make_course(db)
    requirement = make_requirement(db, [course], audience=[{"kind": "org_unit", "org_unit_id": unit.id}], due_days=30, grace_days=5)
    now = datetime(2026, 1, 10, 8, tzinfo=UTC)
    assert cycles_sync_requirement(db, requirement=requirement, now=now).opened == 1
    db.commit()
    [cycle] = cycles_of(db, requirement)
    assert (cycle.user_id, cycle.number, cycle.opened_at, cycle.due_at) == (inside.id, 1, now, now + timedelta(days=30))
    assert cycle.grace_until == now + timedelta(days=35) and cycle.outcome is None
    again = cycles_sync_requirement(db, requirement=requirement, now=now + timedelta(days=1))
    assert (again.opened, again.left) == (0, 0)
    assert outside.id not in {c.user_id for c in cycles_of(db, requirement)}
    # Completing a qualifying course outside the audience satisfies nothing.
    complete_at(db, course, outside, now + timedelta(days=2))
    assert outside.id not in {c.user_id for c in cycles_of(db, requirement)}


def test_completing_the_course_completes_the_cycle_and_renewal_keeps_history(db, make_user):
    learner = make_user()
    course = make_course(db, modules=[["One", "Two"]])
    requirement = make_requirement(db, [course], everyone=True, recurrence="months", every_months=12, renew_window_days=30)
    opened = utcnow() - timedelta(days=3)
    cycles_sync_requirement(db, requirement=requirement, now=opened)
    db.commit()
    enrolment = complete_for_real(db, course, learner)
    [first] = cycles_of(db, requirement, learner)
    assert first.completed_at == enrolment.completed_at and first.ended_at == enrolment.completed_at
    assert (first.outcome, first.course_id) == ("completed", course.id)
    assert first.valid_until == add_months(enrolment.completed_at, 12)
    completed_at, valid_until = first.completed_at, first.valid_until

    renewal_day = first.valid_until - timedelta(days=30)  # the 30-day window is the longer lead
    assert cycles_renew(db, requirement=requirement, now=renewal_day - timedelta(days=1), reminder_days=REMINDERS) == 0
    assert cycles_renew(db, requirement=requirement, now=renewal_day, reminder_days=REMINDERS) == 1
    assert cycles_renew(db, requirement=requirement, now=renewal_day, reminder_days=REMINDERS) == 0
    db.commit()
    old, new = cycles_of(db, requirement, learner)
    assert (old.completed_at, old.valid_until, old.outcome) == (completed_at, valid_until, "completed")
    assert (new.number, new.opened_at, new.due_at, new.completed_at) == (2, renewal_day, first.valid_until, None)
    db.refresh(enrolment)
    assert (enrolment.status, enrolment.progress_percent, enrolment.completed_at) == ("enrolled", 0, None)
    progress = db.exec(select(LessonProgress).where(LessonProgress.user_id == learner.id)).all()
    assert progress and all(p.completed_at is None for p in progress)

    # Renewing inside the window extends from the current validity: nothing is lost.
    again = complete_at(db, course, learner, first.valid_until - timedelta(days=10))
    _, renewed = cycles_of(db, requirement, learner)
    assert renewed.completed_at == again.completed_at and renewed.valid_until == add_months(first.valid_until, 12)


def test_early_renewal_without_an_open_cycle(db, make_user):
    learner = make_user()
    course = make_course(db)
    requirement = make_requirement(db, [course], everyone=True, recurrence="months", every_months=12, renew_window_days=60)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cycles_sync_requirement(db, requirement=requirement, now=start)
    complete_at(db, course, learner, start + timedelta(days=2))
    [first] = cycles_of(db, requirement, learner)
    # Completed again 50 days before expiry, before the sweep opened the next cycle.
    complete_at(db, course, learner, first.valid_until - timedelta(days=50))
    old, new = cycles_of(db, requirement, learner)
    assert old.valid_until == first.valid_until
    assert (new.number, new.due_at, new.outcome, new.valid_until) == (
        2,
        first.valid_until,
        "completed",
        add_months(first.valid_until, 12),
    )
    # Outside the window (and no open cycle) a completion satisfies nothing new.
    complete_at(db, course, learner, new.completed_at + timedelta(days=1))
    assert len(cycles_of(db, requirement, learner)) == 2


def test_an_earlier_completion_counts_while_it_is_valid(db, make_user):
    fresh, stale = make_user(), make_user()
    course = make_course(db)
    start = datetime(2026, 6, 1, tzinfo=UTC)
    for user, when in ((fresh, start - timedelta(days=40)), (stale, start - timedelta(days=400))):
        db.add(Enrolment(course_id=course.id, user_id=user.id, status="completed", progress_percent=100, completed_at=when))
    db.commit()
    requirement = make_requirement(db, [course], everyone=True, recurrence="months", every_months=12)
    result = cycles_sync_requirement(db, requirement=requirement, now=start)
    db.commit()
    assert (result.opened, result.credited) == (2, 1)
    [credited] = cycles_of(db, requirement, fresh)
    assert credited.outcome == "completed" and credited.valid_until == add_months(start - timedelta(days=40), 12)
    [open_cycle] = cycles_of(db, requirement, stale)
    assert open_cycle.outcome is None
    # The expired completion is reset so the course can be completed again.
    stale_enrolment = db.exec(select(Enrolment).where(Enrolment.user_id == stale.id)).one()
    assert stale_enrolment.completed_at is None and stale_enrolment.status == "enrolled"


def test_leaving_the_audience_closes_as_left_and_coming_back_opens_anew(db, make_user):
    unit, other = make_unit(db, "Digital"), make_unit(db, "Finance")
    admin = make_user("admin")
    mover = make_user(org_unit_id=unit.id)
    done = make_user(org_unit_id=unit.id)
    course = make_course(db)
    requirement = make_requirement(db, [course], audience=[{"kind": "org_subtree", "org_unit_id": unit.id}], recurrence="none")
    start = datetime(2026, 3, 1, tzinfo=UTC)
    cycles_sync_requirement(db, requirement=requirement, now=start)
    db.commit()
    complete_at(db, course, done, start + timedelta(days=1))

    # Moving unit goes through the people service, which tells every users_changed listener.
    user_update(db, user=mover, by=admin, name=mover.name, email=mover.email, org_unit_id=other.id, manager_id=None)
    user_update(db, user=done, by=admin, name=done.name, email=done.email, org_unit_id=other.id, manager_id=None)
    db.commit()
    [left] = cycles_of(db, requirement, mover)
    assert left.outcome == "left" and left.ended_at is not None and left.completed_at is None
    completed, marker = cycles_of(db, requirement, done)
    assert completed.outcome == "completed" and (marker.number, marker.outcome) == (2, "left")

    user_update(db, user=mover, by=admin, name=mover.name, email=mover.email, org_unit_id=unit.id, manager_id=None)
    db.commit()
    first, back = cycles_of(db, requirement, mover)
    assert first.outcome == "left" and (back.number, back.outcome, back.ended_at) == (2, None, None)


def test_deactivation_closes_as_left(db, make_user):
    admin = make_user("admin")
    leaver = make_user()
    course = make_course(db)
    requirement = make_requirement(db, [course], everyone=True)
    cycles_sync_requirement(db, requirement=requirement, now=utcnow())
    db.commit()
    user_set_active(db, user=leaver, active=False, by=admin)
    db.commit()
    [cycle] = cycles_of(db, requirement, leaver)
    assert cycle.outcome == "left" and cycle.ended_at is not None
    assert db.get(User, leaver.id).is_active is False


def test_archived_requirements_open_nothing(db, make_user):
    learner = make_user()
    course = make_course(db)
    requirement = make_requirement(db, [course], everyone=True, recurrence="months", every_months=1)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cycles_sync_requirement(db, requirement=requirement, now=start)
    complete_at(db, course, learner, start + timedelta(days=1))
    requirement.archived_at = start + timedelta(days=2)
    db.add(requirement)
    db.commit()
    later = start + timedelta(days=40)
    assert cycles_renew(db, requirement=requirement, now=later, reminder_days=REMINDERS) == 0
    newcomer = make_user()
    assert cycles_sync_requirement(db, requirement=requirement, now=later).opened == 0
    assert cycles_of(db, requirement, newcomer) == []
    # A completion after archiving satisfies nothing.
    complete_at(db, course, learner, later)
    assert len(cycles_of(db, requirement, learner)) == 1
