"""Writes that move people's cycles: opening (audience entry, renewal), completing, closing as "left".

Set-based: each step is a fixed number of statements per requirement, whatever the number of people,
so the daily sweep and a CSV import of thousands behave alike. History is never rewritten: a cycle
keeps the dates it was opened with; a renewal opens a new cycle; leaving closes the open cycle (or,
when the latest cycle was already completed, adds an empty one that ended "left" on that day, so the
person's latest cycle says they left). Callers commit. Rules for the dates: courses/requirements/dates.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, func, insert, literal, select as sa_select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, select
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow
from lms.people.models import User

from courses.models import Enrolment, LessonProgress
from courses.requirements import dates
from courses.requirements.audience import audience_select, requirement_parts
from courses.requirements.models import CycleOutcome, Requirement, RequirementCourse, RequirementCycle

Cycle = RequirementCycle
CYCLES = RequirementCycle.__table__
LEFT = CycleOutcome.LEFT.value
COMPLETED = CycleOutcome.COMPLETED.value


@dataclass(frozen=True)
class SyncResult:
    opened: int = 0  # first cycles (and cycles of people who came back after leaving)
    credited: int = 0  # of those, completed at once by a completion the person already had
    left: int = 0  # open cycles closed, or completed ones marked, because the person left


def _at(when: datetime) -> Any:
    return literal(when, UTCDateTime())


def is_open(cycle: Any = Cycle) -> Any:
    return and_(cycle.completed_at.is_(None), cycle.ended_at.is_(None))


def is_latest(cycle: Any) -> Any:
    """No later cycle of the same person and requirement."""
    later = aliased(RequirementCycle)
    return ~exists().where(later.requirement_id == cycle.requirement_id, later.user_id == cycle.user_id, later.number > cycle.number)


def _course_ids(requirement_id: int) -> Select:
    return sa_select(RequirementCourse.course_id).where(RequirementCourse.requirement_id == requirement_id)


def validity(requirement: Requirement, *, completed_at: datetime, previous_valid_until: datetime | None) -> datetime | None:
    return dates.valid_until(
        completed_at=completed_at,
        recurrence=requirement.recurrence,
        every_months=requirement.every_months,
        annual_month=requirement.annual_month,
        annual_day=requirement.annual_day,
        renew_window_days=requirement.renew_window_days,
        previous_valid_until=previous_valid_until,
    )


def cycles_sync_requirement(
    session: Session, *, requirement: Requirement, now: datetime, user_ids: list[int] | None = None
) -> SyncResult:
    """Open first cycles for people in the audience without a current cycle, close ("left") those of
    people no longer in it (inactive people are in no audience). Optionally only among `user_ids`.
    An archived requirement opens nothing; people leaving it are still closed."""
    assert requirement.id is not None
    rid = requirement.id
    audience = audience_select(everyone=requirement.everyone, parts=requirement_parts(session, rid))
    if user_ids is not None:
        audience = audience.where(User.id.in_(user_ids))
    left = _close_leavers(session, rid, audience, now, user_ids)
    if requirement.archived_at is not None:
        return SyncResult(left=left)
    opened = _open_first(session, requirement, audience, now)
    credited = _credit_earlier_completions(session, requirement, now) if opened else 0
    if opened:
        reset_progress_for_opened(session, requirement_id=rid, now=now)
    return SyncResult(opened=opened, credited=credited, left=left)


def _close_leavers(session: Session, rid: int, audience: Select, now: datetime, user_ids: list[int] | None) -> int:
    scope = [Cycle.requirement_id == rid, Cycle.user_id.not_in(audience)]
    if user_ids is not None:
        scope.append(Cycle.user_id.in_(user_ids))
    closed = session.execute(
        update(Cycle)
        .where(*scope, is_open())
        .values(ended_at=now, outcome=LEFT)
        .returning(Cycle.id)
        .execution_options(synchronize_session=False)
    ).all()
    # A person whose latest cycle was completed (or exempted) gets an empty cycle that ended "left" today.
    done = aliased(RequirementCycle)
    marker_scope = [
        done.requirement_id == rid,
        done.user_id.not_in(audience),
        done.outcome.is_not(None),
        done.outcome != LEFT,
        is_latest(done),
    ]
    if user_ids is not None:
        marker_scope.append(done.user_id.in_(user_ids))
    marked = session.execute(
        insert(CYCLES)
        .from_select(
            ["requirement_id", "user_id", "number", "opened_at", "due_at", "grace_until", "ended_at", "outcome"],
            sa_select(literal(rid), done.user_id, done.number + 1, _at(now), _at(now), _at(now), _at(now), literal(LEFT)).where(
                *marker_scope
            ),
        )
        .returning(CYCLES.c.id)
    ).all()
    return len(closed) + len(marked)


def _open_first(session: Session, requirement: Requirement, audience: Select, now: datetime) -> int:
    """A cycle for everyone in the audience who has none, or whose latest one ended because they left."""
    rid = requirement.id
    members = audience.subquery("members")
    current = aliased(RequirementCycle)
    blocking = exists().where(
        current.requirement_id == rid, current.user_id == members.c.id, func.coalesce(current.outcome, "") != LEFT, is_latest(current)
    )
    number = (
        sa_select(func.coalesce(func.max(Cycle.number), 0) + 1)
        .where(Cycle.requirement_id == rid, Cycle.user_id == members.c.id)
        .scalar_subquery()
    )
    due = dates.first_due(now, requirement.due_days)
    grace = dates.grace_until(due, requirement.grace_days)
    rows = sa_select(literal(rid), members.c.id, number, _at(now), _at(due), _at(grace)).where(~blocking)
    # RETURNING to count: psycopg reports no rowcount for INSERT ... SELECT.
    inserted = session.execute(
        insert(CYCLES)
        .from_select(["requirement_id", "user_id", "number", "opened_at", "due_at", "grace_until"], rows)
        .returning(CYCLES.c.id)
    ).all()
    return len(inserted)


def _credit_earlier_completions(session: Session, requirement: Requirement, now: datetime) -> int:
    """A cycle opened today is completed by a qualifying course the person completed earlier, when
    that completion is still valid and no cycle of this requirement used it already."""
    rid = requirement.id
    assert rid is not None
    used = aliased(RequirementCycle)
    latest = (
        sa_select(Enrolment.user_id, func.max(Enrolment.completed_at).label("completed_at"))
        .where(Enrolment.course_id.in_(_course_ids(rid)), Enrolment.completed_at.is_not(None))
        .group_by(Enrolment.user_id)
        .subquery("latest")
    )
    rows = session.execute(
        sa_select(Cycle.id, latest.c.completed_at, Enrolment.course_id)
        .join(latest, latest.c.user_id == Cycle.user_id)
        .join(Enrolment, and_(Enrolment.user_id == Cycle.user_id, Enrolment.completed_at == latest.c.completed_at))
        .where(Cycle.requirement_id == rid, Cycle.opened_at == _at(now), is_open())
        .where(~exists().where(used.requirement_id == rid, used.user_id == Cycle.user_id, used.completed_at == latest.c.completed_at))
        .where(Enrolment.course_id.in_(_course_ids(rid)))
    ).all()
    changes: dict[int, dict[str, Any]] = {}
    for cycle_id, completed_at, course_id in rows:
        until = validity(requirement, completed_at=completed_at, previous_valid_until=None)
        if until is None or until > now:
            changes[cycle_id] = dict(
                id=cycle_id,
                completed_at=completed_at,
                course_id=course_id,
                valid_until=until,
                ended_at=completed_at,
                outcome=COMPLETED,
            )
    if changes:
        session.execute(update(Cycle), list(changes.values()))
    return len(changes)


def reset_progress_for_opened(session: Session, *, requirement_id: int, now: datetime) -> None:
    """People with a cycle opened at `now` and still open start the qualifying courses afresh: their
    completed enrolments go back to not started, their lessons to not done. The completion stays in
    the earlier cycle, its evidence and its certificate."""
    people = sa_select(Cycle.user_id).where(Cycle.requirement_id == requirement_id, Cycle.opened_at == _at(now), is_open())
    courses = _course_ids(requirement_id)
    session.execute(
        update(LessonProgress)
        .where(LessonProgress.course_id.in_(courses), LessonProgress.user_id.in_(people), LessonProgress.completed_at.is_not(None))
        .where(
            exists().where(
                Enrolment.user_id == LessonProgress.user_id,
                Enrolment.course_id == LessonProgress.course_id,
                Enrolment.completed_at.is_not(None),
            )
        )
        .values(completed_at=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Enrolment)
        .where(Enrolment.course_id.in_(courses), Enrolment.user_id.in_(people), Enrolment.completed_at.is_not(None))
        .values(status="enrolled", progress_percent=0, completed_at=None, started_at=None, last_lesson_id=None)
        .execution_options(synchronize_session=False)
    )


def cycles_renew(session: Session, *, requirement: Requirement, now: datetime, reminder_days: tuple[int, ...]) -> int:
    """Open the next cycle (due when the current validity ends) for people in the audience whose latest
    cycle is a completion whose renewal time has come; reset their course progress for it."""
    if requirement.archived_at is None and requirement.recurrence != "none":
        assert requirement.id is not None
        rid = requirement.id
        # The next cycle opens at dates.next_cycle_opens_at(valid_until): renew what expires by this.
        horizon = now + (
            now - dates.next_cycle_opens_at(now, renew_window_days=requirement.renew_window_days, reminder_days=reminder_days)
        )
        audience = audience_select(everyone=requirement.everyone, parts=requirement_parts(session, rid))
        done = aliased(RequirementCycle)
        rows = session.execute(
            sa_select(done.user_id, done.number, done.valid_until).where(
                done.requirement_id == rid,
                done.outcome == COMPLETED,
                done.valid_until.is_not(None),
                done.valid_until <= _at(horizon),
                done.user_id.in_(audience),
                is_latest(done),
            )
        ).all()
        if rows:
            grace = timedelta(days=requirement.grace_days)
            session.execute(
                insert(CYCLES),
                [
                    dict(
                        requirement_id=rid,
                        user_id=u,
                        number=n + 1,
                        opened_at=now,
                        due_at=v,
                        grace_until=v + grace,
                        ended_at=None,
                        outcome=None,
                    )
                    for u, n, v in rows
                ],
            )
            reset_progress_for_opened(session, requirement_id=rid, now=now)
        return len(rows)
    return 0


def cycle_complete_on_course(session: Session, enrolment: Enrolment, user: User) -> None:
    """course_completed listener: the completion satisfies the person's open cycle of every live
    requirement the course qualifies for, or, with no open cycle, renews early when their current
    validity is inside its renewal window. The cycle records exactly `enrolment.completed_at` (a
    certificate finds its cycle by it)."""
    completed_at = enrolment.completed_at
    assert completed_at is not None and user.id is not None, "called only once the course is completed"
    requirements = session.exec(
        select(Requirement)
        .join(RequirementCourse, RequirementCourse.requirement_id == Requirement.id)
        .where(RequirementCourse.course_id == enrolment.course_id, Requirement.archived_at.is_(None))
        .order_by(Requirement.id)
    ).all()
    if not requirements:
        return
    ids = [r.id for r in requirements]
    cycles: dict[int, list[RequirementCycle]] = {}
    for cycle in session.exec(
        select(RequirementCycle)
        .where(RequirementCycle.user_id == user.id, RequirementCycle.requirement_id.in_(ids))
        .order_by(RequirementCycle.number.desc())
    ).all():
        cycles.setdefault(cycle.requirement_id, []).append(cycle)
    for requirement in requirements:
        history = cycles.get(requirement.id or 0, [])
        if not history:
            continue
        latest = history[0]
        previous = next((c for c in history if c.outcome == COMPLETED and c is not latest), None)
        if latest.completed_at is None and latest.ended_at is None:
            target = latest
        elif (
            latest.outcome == COMPLETED
            and latest.valid_until is not None
            and latest.valid_until - timedelta(days=requirement.renew_window_days) <= completed_at < latest.valid_until
            and latest.completed_at != completed_at
        ):
            previous, target = (
                latest,
                RequirementCycle(
                    requirement_id=requirement.id,
                    user_id=user.id,
                    number=latest.number + 1,
                    opened_at=completed_at,
                    due_at=latest.valid_until,
                    grace_until=dates.grace_until(latest.valid_until, requirement.grace_days),
                ),
            )
        else:
            continue
        target.completed_at = target.ended_at = completed_at
        target.course_id = enrolment.course_id
        target.outcome = COMPLETED
        target.valid_until = validity(
            requirement, completed_at=completed_at, previous_valid_until=previous.valid_until if previous is not None else None
        )
        session.add(target)
    session.flush()


def cycles_for_users_changed(session: Session, user_ids: list[int]) -> None:
    """hooks.users_changed listener: joiners, movers, changed profiles or roles and deactivated people
    get their cycles opened or closed the same day, for every requirement."""
    now = utcnow()
    for requirement in session.exec(select(Requirement).order_by(Requirement.id)).all():
        cycles_sync_requirement(session, requirement=requirement, now=now, user_ids=list(user_ids))
