"""Standings of many people on many requirements at once, in one query whatever their number.

Status itself comes from courses/requirements/status.py `standing()`; this module only gathers its facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from courses.models import Enrolment, LessonProgress
from courses.requirements.models import CycleOutcome, Exemption, RequirementCourse, RequirementCycle
from courses.requirements.status import Standing, standing

# A cycle counts as a completion unless the completion was withdrawn (outcome "revoked").
_COMPLETED = and_(
    RequirementCycle.completed_at.is_not(None),
    func.coalesce(RequirementCycle.outcome, CycleOutcome.COMPLETED.value) == CycleOutcome.COMPLETED.value,
)


def _scoped(stmt: Select, user_ids: Select | Sequence[int] | None, requirement_ids: Sequence[int] | None) -> Select:
    if user_ids is not None:
        stmt = stmt.where(RequirementCycle.user_id.in_(user_ids))
    if requirement_ids is not None:
        stmt = stmt.where(RequirementCycle.requirement_id.in_(list(requirement_ids)))
    return stmt


def standings(
    session: Session,
    *,
    now: datetime,
    user_ids: Select | Sequence[int] | None = None,
    requirement_ids: Sequence[int] | None = None,
) -> dict[tuple[int, int], Standing]:
    """(user_id, requirement_id) -> Standing for everyone with a cycle of the requirement whose latest
    cycle did not end as "left". One query: the latest cycle, the latest completion, an exemption in
    force and whether a qualifying course was started since the open cycle opened."""
    if user_ids is not None and not isinstance(user_ids, Select):
        user_ids = list(user_ids)
        if not user_ids:
            return {}
    if requirement_ids is not None and not requirement_ids:
        return {}
    key = (RequirementCycle.requirement_id, RequirementCycle.user_id)
    latest = _scoped(select(*key, func.max(RequirementCycle.number).label("number")), user_ids, requirement_ids)
    latest_sq = latest.group_by(*key).subquery("latest")
    done = _scoped(select(*key, func.max(RequirementCycle.number).label("number")).where(_COMPLETED), user_ids, requirement_ids)
    done_sq = done.group_by(*key).subquery("done")
    exempt = select(
        Exemption.requirement_id,
        Exemption.user_id,
        func.max(case((Exemption.ends_at.is_(None), 1), else_=0)).label("open_ended"),
        func.max(Exemption.ends_at).label("ends_at"),
    ).where(Exemption.revoked_at.is_(None), or_(Exemption.ends_at.is_(None), col(Exemption.ends_at) > now))
    if user_ids is not None:
        exempt = exempt.where(Exemption.user_id.in_(user_ids))
    if requirement_ids is not None:
        exempt = exempt.where(Exemption.requirement_id.in_(list(requirement_ids)))
    exempt_sq = exempt.group_by(Exemption.requirement_id, Exemption.user_id).subquery("exempt")

    cycle = aliased(RequirementCycle, name="cycle")
    last_done = aliased(RequirementCycle, name="last_done")
    # Started in this cycle: a qualifying course begun, or any of its lessons opened, since the cycle opened
    # (a renewal resets the course, so progress from an earlier cycle must not count).
    started = exists(
        select(literal(1))
        .select_from(Enrolment)
        .join(RequirementCourse, RequirementCourse.course_id == Enrolment.course_id)
        .where(
            RequirementCourse.requirement_id == cycle.requirement_id,
            Enrolment.user_id == cycle.user_id,
            or_(
                col(Enrolment.started_at) >= cycle.opened_at,
                exists(
                    select(literal(1)).where(
                        LessonProgress.user_id == Enrolment.user_id,
                        LessonProgress.course_id == Enrolment.course_id,
                        LessonProgress.first_viewed_at >= cycle.opened_at,
                    )
                ),
            ),
        )
    )
    is_open = and_(cycle.completed_at.is_(None), cycle.ended_at.is_(None))
    stmt = (
        select(
            cycle.user_id,
            cycle.requirement_id,
            case((is_open, cycle.due_at), else_=None).label("open_due_at"),
            case((is_open, started), else_=False).label("started"),
            last_done.id.label("done_id"),
            last_done.valid_until,
            exempt_sq.c.open_ended,
            exempt_sq.c.ends_at,
        )
        .select_from(latest_sq)
        .join(
            cycle,
            and_(
                cycle.requirement_id == latest_sq.c.requirement_id,
                cycle.user_id == latest_sq.c.user_id,
                cycle.number == latest_sq.c.number,
            ),
        )
        .outerjoin(done_sq, and_(done_sq.c.requirement_id == cycle.requirement_id, done_sq.c.user_id == cycle.user_id))
        .outerjoin(
            last_done,
            and_(
                last_done.requirement_id == done_sq.c.requirement_id,
                last_done.user_id == done_sq.c.user_id,
                last_done.number == done_sq.c.number,
            ),
        )
        .outerjoin(exempt_sq, and_(exempt_sq.c.requirement_id == cycle.requirement_id, exempt_sq.c.user_id == cycle.user_id))
        .where(func.coalesce(cycle.outcome, "") != CycleOutcome.LEFT.value)
    )
    result: dict[tuple[int, int], Standing] = {}
    for row in session.execute(stmt):
        in_force = row.open_ended is not None
        result[(row.user_id, row.requirement_id)] = standing(
            now=now,
            open_due_at=row.open_due_at,
            started=bool(row.started),
            last_valid_until=row.valid_until,
            has_completion=row.done_id is not None,
            exempt=in_force,
            exempt_until=None if not in_force or row.open_ended else row.ends_at,
        )
    return result
