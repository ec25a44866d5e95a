"""Reads for the admin pages: the users list and the org unit tree. Fixed query counts, no per-row queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from lms.web.paging import ListFilters, Page, clamp_page
from lms.competences.models import Framework, JobProfile
from lms.people.models import OrgUnit, RoleGrant, User
from lms.people.selectors import org_unit_subtree_ids
from lms.text_search import like_folded

ROLE_FILTERS = ("trainer", "manager", "skills_lead", "admin", "employee")
STATUS_FILTERS = ("all", "active", "inactive")


@dataclass
class UserFilters(ListFilters):
    q: str = ""
    unit: int | None = None
    role: str = ""  # a granted role, or "employee" for people with no grant at all
    status: str = "all"


@dataclass
class UserRow:
    id: int
    name: str
    email: str
    is_active: bool
    org_unit_id: int | None
    manager_id: int | None
    manager_name: str | None
    last_login_at: datetime | None = None
    roles: list[str] = field(default_factory=list)


def _user_conditions(session: Session, f: UserFilters) -> list:
    conds = []
    if f.q.strip():
        conds.append(like_folded(User.search_text, f.q, every_word=False))
    if f.unit:
        conds.append(User.org_unit_id.in_(org_unit_subtree_ids(session, f.unit)))
    if f.role == "employee":
        conds.append(~exists().where(RoleGrant.user_id == User.id))
    elif f.role in ROLE_FILTERS:
        conds.append(exists().where(RoleGrant.user_id == User.id, RoleGrant.role == f.role))
    if f.status == "active":
        conds.append(User.is_active.is_(True))
    elif f.status == "inactive":
        conds.append(User.is_active.is_(False))
    return conds


def users_page(session: Session, f: UserFilters, per_page: int) -> Page:
    """One page of users sorted by name: a count, the rows with their manager, and the rows' roles."""
    conds = _user_conditions(session, f)
    total = session.exec(sa_select(func.count()).select_from(User).where(*conds)).scalar_one()
    page = clamp_page(f.page, total, per_page)
    manager = aliased(User)
    rows = session.exec(
        sa_select(User.id, User.name, User.email, User.is_active, User.org_unit_id, manager.id, manager.name, User.last_login_at)
        .outerjoin(manager, manager.id == User.manager_id)
        .where(*conds)
        .order_by(func.lower(User.name), User.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [UserRow(*row) for row in rows]
    if items:
        by_id = {row.id: row for row in items}
        grants = session.exec(
            sa_select(RoleGrant.user_id, RoleGrant.role).where(RoleGrant.user_id.in_(by_id)).order_by(RoleGrant.role)
        ).all()
        for user_id, role in grants:
            by_id[user_id].roles.append(role)
    return Page(items=items, total=total, page=page, per_page=per_page)


@dataclass
class UnitNode:
    id: int
    name: str
    parent_id: int | None
    people: int  # active people in this unit itself
    children: list[UnitNode] = field(default_factory=list)
    total: int = 0  # active people here and in every sub-unit


def org_unit_tree(session: Session) -> list[UnitNode]:
    """Every unit with its active people count, as a tree of roots sorted by name. One query."""
    rows = session.exec(
        sa_select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id, func.count(User.id))
        .outerjoin(User, (User.org_unit_id == OrgUnit.id) & User.is_active.is_(True))
        .group_by(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id)
    ).all()
    nodes = {r[0]: UnitNode(id=r[0], name=r[1], parent_id=r[2], people=r[3]) for r in rows}
    children: dict[int | None, list[UnitNode]] = defaultdict(list)
    for node in nodes.values():
        children[node.parent_id if node.parent_id in nodes else None].append(node)

    def build(node: UnitNode, seen: set[int]) -> int:
        seen.add(node.id)
        node.children = sorted((c for c in children[node.id] if c.id not in seen), key=lambda n: n.name.lower())
        node.total = node.people + sum(build(c, seen) for c in node.children)
        return node.total

    roots = sorted(children[None], key=lambda n: n.name.lower())
    seen: set[int] = set()
    for root in roots:
        build(root, seen)
    return roots


def _count(session: Session, model: type, *where: Any) -> int:
    return session.exec(sa_select(func.count()).select_from(model).where(*where)).scalar_one()


def admin_figures(session: Session) -> dict[str, int]:
    """The landing page's figures: active people, org units, frameworks, job profiles."""
    return {
        "users": _count(session, User, User.is_active),
        "units": _count(session, OrgUnit),
        "frameworks": _count(session, Framework),
        "profiles": _count(session, JobProfile),
    }
