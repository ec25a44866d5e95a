"""Reads for /api/v1, limited to what a token may see. Fixed query counts, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select as sa_select
from sqlalchemy.sql.expression import CTE, ColumnElement
from sqlmodel import Session, select
from sqlmodel.sql.expression import Select

from lms.api.models import ApiToken
from lms.clock import utcnow
from lms.competences.models import (
    Competence,
    CompetenceArea,
    CompetenceStatus,
    Framework,
    JobProfile,
    JobProfileRequirement,
    ProficiencyLevel,
)
from lms.competences.selectors import effective_level
from lms.db import known
from lms.people.models import OrgUnit, User


def unit_subtree_cte(unit_id: int) -> CTE:
    """``unit_id`` and every unit below it (recursive CTE; UNION stops at a cycle)."""
    cte = sa_select(OrgUnit.id.label("id")).where(OrgUnit.id == unit_id).cte("api_scope", recursive=True)
    return cte.union(sa_select(OrgUnit.id).join(cte, OrgUnit.parent_id == cte.c.id))


def units_in_scope(session: Session, scope_unit_id: int | None) -> list[OrgUnit]:
    stmt = select(OrgUnit)
    if scope_unit_id is not None:
        cte = unit_subtree_cte(scope_unit_id)
        stmt = stmt.where(OrgUnit.id.in_(sa_select(cte.c.id)))
    return list(session.exec(stmt).all())


def unit_in_scope(session: Session, *, unit_id: int, scope_unit_id: int | None) -> OrgUnit | None:
    stmt = select(OrgUnit).where(OrgUnit.id == unit_id)
    if scope_unit_id is not None:
        cte = unit_subtree_cte(scope_unit_id)
        stmt = stmt.where(OrgUnit.id.in_(sa_select(cte.c.id)))
    return session.exec(stmt).first()


def with_paths(units: list[OrgUnit], names: dict[int, tuple[str, int | None]]) -> list[tuple[OrgUnit, str]]:
    """Units with their full path, in path order; ``names`` holds every unit (id -> (name, parent_id))."""

    def path(unit: OrgUnit) -> str:
        parts, seen, current = [], set(), unit.id
        while current is not None and current not in seen and current in names:
            seen.add(current)
            parts.append(names[current][0])
            current = names[current][1]
        return " / ".join(reversed(parts))

    return sorted(((u, path(u)) for u in units), key=lambda pair: pair[1].lower())


def unit_names(session: Session) -> dict[int, tuple[str, int | None]]:
    return {known(i): (n, p) for i, n, p in session.exec(select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id)).all()}


@dataclass
class PersonRow:
    user: User
    unit_name: str | None
    profile_name: str | None


def _people_where(scope_unit_id: int | None, filter_unit_id: int | None) -> list:
    where = [User.is_active]
    # A filter unit is already checked to lie inside the scope, so its subtree is the tighter limit.
    limit_unit = filter_unit_id if filter_unit_id is not None else scope_unit_id
    if limit_unit is not None:
        cte = unit_subtree_cte(limit_unit)
        where.append(User.org_unit_id.in_(sa_select(cte.c.id)))
    return where


def _people_rows(*where: ColumnElement[bool]) -> Select[User, str | None, str | None]:
    return (
        select(User, OrgUnit.name, JobProfile.name)
        .outerjoin(OrgUnit, OrgUnit.id == User.org_unit_id)
        .outerjoin(JobProfile, JobProfile.id == User.job_profile_id)
        .where(*where)
    )


def people_page(
    session: Session, *, scope_unit_id: int | None, filter_unit_id: int | None, page: int, per_page: int
) -> tuple[list[PersonRow], int]:
    """One page of active people in scope, by name, and the total (two queries)."""
    where = _people_where(scope_unit_id, filter_unit_id)
    total = session.exec(select(func.count()).select_from(User).where(*where)).one()
    stmt = _people_rows(*where).order_by(func.lower(User.name), User.id).offset((page - 1) * per_page).limit(per_page)
    return [PersonRow(*row) for row in session.exec(stmt).all()], total


def person_in_scope(session: Session, *, person_id: int, scope_unit_id: int | None) -> PersonRow | None:
    row = session.exec(_people_rows(*_people_where(scope_unit_id, None), User.id == person_id)).first()
    return PersonRow(*row) if row else None


@dataclass
class RequiredStatus:
    framework: str
    competence: Competence
    area: str
    required: int
    verified: int
    lapsed: bool
    status: CompetenceStatus | None


def required_statuses(session: Session, user: User, now: datetime | None = None) -> list[RequiredStatus]:
    """The person's status for each competence their job profile requires (one query)."""
    if user.job_profile_id is None:
        return []
    now = now or utcnow()
    stmt = (
        select(Competence, Framework.code, CompetenceArea.name, JobProfileRequirement.level, CompetenceStatus)
        .join(JobProfileRequirement, JobProfileRequirement.competence_id == Competence.id)
        .join(CompetenceArea, CompetenceArea.id == Competence.area_id)
        .join(Framework, Framework.id == Competence.framework_id)
        .outerjoin(CompetenceStatus, (CompetenceStatus.competence_id == Competence.id) & (CompetenceStatus.user_id == user.id))
        .where(JobProfileRequirement.job_profile_id == user.job_profile_id)
        .order_by(Framework.code, CompetenceArea.position, Competence.position, Competence.code)
    )
    rows = []
    for comp, fw_code, area_name, required, status in session.exec(stmt).all():
        verified, lapsed = effective_level(status, now)
        rows.append(RequiredStatus(fw_code, comp, area_name, required, verified, lapsed, status))
    return rows


def framework_by_code(session: Session, code: str) -> Framework | None:
    return session.exec(select(Framework).where(Framework.code == code)).first()


def framework_levels(session: Session, framework_id: int) -> list[ProficiencyLevel]:
    return list(
        session.exec(
            select(ProficiencyLevel).where(ProficiencyLevel.framework_id == framework_id).order_by(ProficiencyLevel.level)
        ).all()
    )


def profile_summaries(session: Session) -> list[tuple[JobProfile, int]]:
    reqs = (
        select(func.count())
        .select_from(JobProfileRequirement)
        .where(JobProfileRequirement.job_profile_id == JobProfile.id)
        .correlate(JobProfile)
        .scalar_subquery()
    )
    return list(session.exec(select(JobProfile, reqs).order_by(func.lower(JobProfile.name), JobProfile.id)).all())


def profile_requirements(session: Session, profile_id: int) -> list[tuple[str, Competence, int]]:
    stmt = (
        select(Framework.code, Competence, JobProfileRequirement.level)
        .join(Competence, Competence.id == JobProfileRequirement.competence_id)
        .join(Framework, Framework.id == Competence.framework_id)
        .join(CompetenceArea, CompetenceArea.id == Competence.area_id)
        .where(JobProfileRequirement.job_profile_id == profile_id)
        .order_by(Framework.code, CompetenceArea.position, Competence.position, Competence.code)
    )
    return list(session.exec(stmt).all())


@dataclass
class TokenRow:
    token: ApiToken
    unit_name: str | None
    created_by: str | None

    def status(self, now: datetime) -> str:
        if self.token.revoked_at is not None:
            return "Revoked"
        if self.token.expires_at is not None and self.token.expires_at <= now:
            return "Expired"
        return "Active"


def api_tokens(session: Session) -> list[TokenRow]:
    """Every token, newest first, with its unit's and creator's names (one query)."""
    stmt = (
        select(ApiToken, OrgUnit.name, User.name)
        .outerjoin(OrgUnit, OrgUnit.id == ApiToken.org_unit_id)
        .outerjoin(User, User.id == ApiToken.created_by_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [TokenRow(*row) for row in session.exec(stmt).all()]
