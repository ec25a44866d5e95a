"""Reads about people and organisation."""

from __future__ import annotations

from sqlalchemy import func, literal, select as sa_select
from sqlalchemy.sql.expression import CTE
from sqlmodel import Session, select

from lms.people.models import OrgUnit, RoleGrant, User


def reporting_line_cte(manager_id: int) -> CTE:
    """Everyone below ``manager_id`` in line management, at any depth (recursive CTE).

    UNION (not UNION ALL) stops at a repeated id, so even corrupt data with a cycle terminates.
    """
    base = sa_select(User.id.label("id"), literal(1).label("depth")).where(User.manager_id == manager_id)
    cte = base.cte("reporting_line", recursive=True)
    step = sa_select(User.id, cte.c.depth + 1).join(cte, User.manager_id == cte.c.id).where(cte.c.depth < 100)
    return cte.union(step)


def reporting_line_ids(session: Session, manager_id: int) -> set[int]:
    cte = reporting_line_cte(manager_id)
    return set(session.exec(sa_select(cte.c.id)).scalars().all())


def is_in_reporting_line(session: Session, *, manager_id: int, user_id: int) -> bool:
    cte = reporting_line_cte(manager_id)
    return session.exec(sa_select(func.count()).select_from(cte).where(cte.c.id == user_id)).scalar_one() > 0


def direct_reports(session: Session, manager_id: int) -> list[User]:
    return list(session.exec(select(User).where(User.manager_id == manager_id).order_by(User.name)).all())


def user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def user_roles(session: Session, user_id: int) -> set[str]:
    return set(session.exec(select(RoleGrant.role).where(RoleGrant.user_id == user_id)).all())


def org_unit_subtree_ids(session: Session, unit_id: int) -> set[int]:
    base = sa_select(OrgUnit.id.label("id")).where(OrgUnit.id == unit_id)
    cte = base.cte("subtree", recursive=True)
    cte = cte.union(sa_select(OrgUnit.id).join(cte, OrgUnit.parent_id == cte.c.id))
    return set(session.exec(sa_select(cte.c.id)).scalars().all())


def org_units_with_paths(session: Session) -> list[tuple[OrgUnit, str]]:
    """All units with their full path ("Digital / Data team"), in tree order. One query."""
    units = list(session.exec(select(OrgUnit)).all())
    by_id = {u.id: u for u in units}

    def path(unit: OrgUnit | None) -> str:
        parts, seen = [], set()
        while unit is not None and unit.id not in seen:
            seen.add(unit.id)
            parts.append(unit.name)
            unit = by_id.get(unit.parent_id)
        return " / ".join(reversed(parts))

    return sorted(((u, path(u)) for u in units), key=lambda pair: pair[1].lower())
