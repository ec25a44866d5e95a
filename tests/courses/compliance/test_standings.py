"""standings(): every status from cycles built directly, and one query however many people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from courses.compliance.selectors import standings
from courses.models import LessonProgress
from courses.requirements.models import CycleOutcome, Exemption, ExemptionReason
from courses.requirements.status import Status
from lms.people.models import User
from tests.courses.compliance.factories import enrol, make_cycle, make_requirement
from tests.courses.factories import lessons_of, make_course
from tests.support.queries import counting

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _status(db, user, requirement, now=NOW):
    found = standings(db, now=now, user_ids=[user.id], requirement_ids=[requirement.id])
    return found.get((user.id, requirement.id))


def test_open_cycle_statuses(db, make_user):
    course = make_course(db)
    req = make_requirement(db, courses=[course])
    fresh, busy, soon, late = (make_user() for _ in range(4))
    for person, due in ((fresh, NOW + 40 * DAY), (busy, NOW + 40 * DAY), (soon, NOW + 5 * DAY), (late, NOW - 3 * DAY)):
        make_cycle(db, req, person, opened_at=NOW - 20 * DAY, due_at=due)
    enrol(db, busy, course, started_at=NOW - 2 * DAY)

    assert _status(db, fresh, req).status is Status.NOT_STARTED
    assert _status(db, fresh, req).date == NOW + 40 * DAY
    assert _status(db, busy, req).status is Status.IN_PROGRESS
    assert _status(db, soon, req).status is Status.DUE_SOON
    overdue = _status(db, late, req)
    assert (overdue.status, overdue.date, overdue.label) == (Status.OVERDUE, NOW - 3 * DAY, "Overdue")


def test_started_counts_only_since_the_cycle_opened(db, make_user):
    course = make_course(db)
    other = make_course(db, "Not qualifying")
    req = make_requirement(db, courses=[course])
    renewed, viewer, elsewhere = make_user(), make_user(), make_user()
    for person in (renewed, viewer, elsewhere):
        make_cycle(db, req, person, opened_at=NOW - 10 * DAY, due_at=NOW + 40 * DAY)
    # Began the course in an earlier cycle: that does not count for this one.
    enrol(db, renewed, course, started_at=NOW - 100 * DAY)
    # No started_at, but a lesson opened in this cycle.
    enrol(db, viewer, course)
    db.add(LessonProgress(user_id=viewer.id, lesson_id=lessons_of(db, course)[0].id, course_id=course.id, first_viewed_at=NOW - DAY))
    db.commit()
    enrol(db, elsewhere, other, started_at=NOW - DAY)
    # Looked at a lesson before this cycle opened (while someone else's older cycle exists): not started.
    looked_before = make_user()
    make_cycle(db, req, looked_before, opened_at=NOW - 10 * DAY, due_at=NOW + 40 * DAY)
    make_cycle(db, req, make_user(), opened_at=NOW - 400 * DAY, due_at=NOW + 40 * DAY)
    enrol(db, looked_before, course)
    lesson = lessons_of(db, course)[0]
    db.add(LessonProgress(user_id=looked_before.id, lesson_id=lesson.id, course_id=course.id, first_viewed_at=NOW - 50 * DAY))
    db.commit()

    assert _status(db, renewed, req).status is Status.NOT_STARTED
    assert _status(db, viewer, req).status is Status.IN_PROGRESS
    assert _status(db, elsewhere, req).status is Status.NOT_STARTED
    assert _status(db, looked_before, req).status is Status.NOT_STARTED


def test_completed_statuses(db, make_user):
    req = make_requirement(db, recurrence="months", every_months=12)
    current, forever, expiring, expired = (make_user() for _ in range(4))
    make_cycle(
        db, req, current, opened_at=NOW - 100 * DAY, due_at=NOW - 70 * DAY, completed_at=NOW - 80 * DAY, valid_until=NOW + 285 * DAY
    )
    make_cycle(db, req, forever, opened_at=NOW - 100 * DAY, due_at=NOW - 70 * DAY, completed_at=NOW - 80 * DAY)
    make_cycle(
        db, req, expiring, opened_at=NOW - 400 * DAY, due_at=NOW - 370 * DAY, completed_at=NOW - 345 * DAY, valid_until=NOW + 20 * DAY
    )
    make_cycle(db, req, expiring, number=2, opened_at=NOW - 10 * DAY, due_at=NOW + 20 * DAY)
    make_cycle(
        db, req, expired, opened_at=NOW - 400 * DAY, due_at=NOW - 370 * DAY, completed_at=NOW - 375 * DAY, valid_until=NOW - 10 * DAY
    )
    make_cycle(db, req, expired, number=2, opened_at=NOW - 40 * DAY, due_at=NOW - 10 * DAY)

    assert _status(db, current, req).status is Status.COMPLIANT
    assert _status(db, current, req).date == NOW + 285 * DAY
    assert _status(db, forever, req).status is Status.COMPLIANT
    assert _status(db, forever, req).date is None
    soon = _status(db, expiring, req)
    assert (soon.status, soon.within_days, soon.label) == (Status.EXPIRING, 30, "Expiring within 30 days")
    assert _status(db, expiring, req, now=NOW - 40 * DAY).within_days == 60
    assert _status(db, expired, req).status is Status.EXPIRED
    assert _status(db, expired, req).date == NOW - 10 * DAY


def test_a_revoked_completion_does_not_count(db, make_user):
    req = make_requirement(db)
    person = make_user()
    make_cycle(
        db,
        req,
        person,
        opened_at=NOW - 60 * DAY,
        due_at=NOW - 30 * DAY,
        completed_at=NOW - 40 * DAY,
        outcome=CycleOutcome.REVOKED.value,
        ended_at=NOW - 5 * DAY,
    )
    make_cycle(db, req, person, number=2, opened_at=NOW - 5 * DAY, due_at=NOW + 25 * DAY)
    assert _status(db, person, req).status is Status.NOT_STARTED


def test_exemptions_in_force_only(db, make_user):
    req = make_requirement(db)
    open_ended, dated, revoked, lapsed = (make_user() for _ in range(4))
    for person in (open_ended, dated, revoked, lapsed):
        make_cycle(db, req, person, opened_at=NOW - 60 * DAY, due_at=NOW - 30 * DAY)
    reason = ExemptionReason.EQUIVALENT.value
    db.add(Exemption(requirement_id=req.id, user_id=open_ended.id, reason=reason))
    db.add(Exemption(requirement_id=req.id, user_id=dated.id, reason=reason, ends_at=NOW + 30 * DAY))
    db.add(Exemption(requirement_id=req.id, user_id=revoked.id, reason=reason, revoked_at=NOW - DAY))
    db.add(Exemption(requirement_id=req.id, user_id=lapsed.id, reason=reason, ends_at=NOW - DAY))
    db.commit()

    assert _status(db, open_ended, req).status is Status.EXEMPT
    assert _status(db, open_ended, req).date is None
    assert (_status(db, dated, req).status, _status(db, dated, req).date) == (Status.EXEMPT, NOW + 30 * DAY)
    assert _status(db, revoked, req).status is Status.OVERDUE
    assert _status(db, lapsed, req).status is Status.OVERDUE


def test_people_who_left_are_absent_and_filters_apply(db, make_user):
    first, second = make_requirement(db, "First"), make_requirement(db, "Second")
    stayer, leaver = make_user(), make_user()
    make_cycle(db, first, stayer, opened_at=NOW - DAY, due_at=NOW + 40 * DAY)
    make_cycle(db, second, stayer, opened_at=NOW - DAY, due_at=NOW + 40 * DAY)
    make_cycle(db, first, leaver, opened_at=NOW - 9 * DAY, due_at=NOW + 40 * DAY, ended_at=NOW - DAY, outcome=CycleOutcome.LEFT.value)

    everyone = standings(db, now=NOW)
    assert set(everyone) == {(stayer.id, first.id), (stayer.id, second.id)}
    assert set(standings(db, now=NOW, requirement_ids=[second.id])) == {(stayer.id, second.id)}
    by_select = standings(db, now=NOW, user_ids=select(User.id).where(User.id == stayer.id))
    assert set(by_select) == set(everyone)
    assert standings(db, now=NOW, user_ids=[]) == {}
    assert standings(db, now=NOW, requirement_ids=[]) == {}
    assert standings(db, now=NOW, user_ids=[leaver.id]) == {}


def _people(db, make_user, req, course, count):
    for _ in range(count):
        person = make_user()
        make_cycle(
            db,
            req,
            person,
            opened_at=NOW - 400 * DAY,
            due_at=NOW - 370 * DAY,
            completed_at=NOW - 380 * DAY,
            valid_until=NOW + 10 * DAY,
        )
        make_cycle(db, req, person, number=2, opened_at=NOW - 20 * DAY, due_at=NOW + 10 * DAY)
        enrol(db, person, course, started_at=NOW - DAY)
        db.add(Exemption(requirement_id=req.id, user_id=person.id, reason="administrative", ends_at=NOW + DAY))
    db.commit()


def test_one_query_whatever_the_number_of_people(db, make_user):
    course = make_course(db)
    req = make_requirement(db, courses=[course])
    _people(db, make_user, req, course, 2)
    with counting(db.get_bind()) as few:
        small = standings(db, now=NOW)
    _people(db, make_user, req, course, 12)
    with counting(db.get_bind()) as many:
        large = standings(db, now=NOW)
    assert (len(small), len(large)) == (2, 14)
    assert len(few) == len(many) == 1
    assert {s.status for s in large.values()} == {Status.EXEMPT}
