"""Who a requirement applies to: one SELECT of the ids of the active people in its audience.

The audience is everyone (the requirement's `everyone` flag) or the union of its parts: an org unit
alone, an org unit and everything below it, a job profile, a role, a named person. The statement is
used inside bigger ones (the sweep's INSERT ... SELECT, the admin's preview count), so it is returned
unexecuted and holds everything in one query, subtrees included (one recursive CTE for all of them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, or_, select as sa_select
from sqlmodel import Session, select

from lms.hooks import EMPLOYEE
from lms.people.models import OrgUnit, RoleGrant, User

from courses.requirements.models import AudienceKind, RequirementAudience


@dataclass(frozen=True)
class AudiencePart:
    kind: AudienceKind
    org_unit_id: int | None = None
    job_profile_id: int | None = None
    role: str | None = None
    user_id: int | None = None


def _subtree_units(unit_ids: list[int]) -> Select:
    """Ids of ``unit_ids`` and every unit below them; UNION (not ALL) stops at a corrupt loop."""
    cte = sa_select(OrgUnit.id.label("id")).where(OrgUnit.id.in_(unit_ids)).cte("audience_subtree", recursive=True)
    cte = cte.union(sa_select(OrgUnit.id).join(cte, OrgUnit.parent_id == cte.c.id))
    return sa_select(cte.c.id)


def audience_conditions(parts: Sequence[AudiencePart]) -> list[ColumnElement[bool]]:
    """One condition on `user_account` per kind of part; a person matching any is in."""
    by_kind: dict[AudienceKind, list[AudiencePart]] = {}
    for part in parts:
        by_kind.setdefault(AudienceKind(part.kind), []).append(part)
    conditions: list[ColumnElement[bool]] = []
    units = [p.org_unit_id for p in by_kind.get(AudienceKind.ORG_UNIT, []) if p.org_unit_id is not None]
    if units:
        conditions.append(User.org_unit_id.in_(units))
    subtrees = [p.org_unit_id for p in by_kind.get(AudienceKind.ORG_SUBTREE, []) if p.org_unit_id is not None]
    if subtrees:
        conditions.append(User.org_unit_id.in_(_subtree_units(subtrees)))
    profiles = [p.job_profile_id for p in by_kind.get(AudienceKind.JOB_PROFILE, []) if p.job_profile_id is not None]
    if profiles:
        conditions.append(User.job_profile_id.in_(profiles))
    roles = {p.role for p in by_kind.get(AudienceKind.ROLE, []) if p.role}
    if EMPLOYEE in roles:
        # Everyone is an employee: no grant row says so.
        return [User.id.is_not(None)]
    if roles:
        conditions.append(User.id.in_(sa_select(RoleGrant.user_id).where(RoleGrant.role.in_(sorted(roles)))))
    users = [p.user_id for p in by_kind.get(AudienceKind.USER, []) if p.user_id is not None]
    if users:
        conditions.append(User.id.in_(users))
    return conditions


def audience_select(*, everyone: bool, parts: Sequence[AudiencePart]) -> Select:
    """SELECT user_account.id of the ACTIVE people in the audience (one statement, nothing run)."""
    stmt = sa_select(User.id).where(User.is_active)
    if everyone:
        return stmt
    conditions = audience_conditions(parts)
    return stmt.where(or_(*conditions) if conditions else false())


def requirement_parts(session: Session, requirement_id: int) -> list[AudiencePart]:
    rows = session.exec(
        select(RequirementAudience).where(RequirementAudience.requirement_id == requirement_id).order_by(RequirementAudience.id)
    ).all()
    return [
        AudiencePart(
            kind=AudienceKind(row.kind),
            org_unit_id=row.org_unit_id,
            job_profile_id=row.job_profile_id,
            role=row.role,
            user_id=row.user_id,
        )
        for row in rows
    ]
