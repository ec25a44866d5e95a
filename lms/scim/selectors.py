"""Reads for /scim/v2: pages of people and groups with what their SCIM documents show, a fixed number of queries a page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from lms.competences.models import JobProfile
from lms.people.models import User
from lms.people.selectors import org_units_with_paths
from lms.scim.models import ScimGroup, ScimGroupMember
from lms.scim.schemas import UserContext


MAX_ID = 2**31 - 1


def scim_id(value: str) -> int | None:
    """A SCIM id as a row id: anything else names nothing (404), never a 500."""
    # Ids are 32-bit integer columns: PostgreSQL refuses a larger number rather than finding nothing.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 10 and int(value) <= MAX_ID else None


def user_by_scim_id(session: Session, value: str) -> User | None:
    row_id = scim_id(value)
    return session.get(User, row_id) if row_id is not None else None


def group_by_scim_id(session: Session, value: str) -> ScimGroup | None:
    row_id = scim_id(value)
    return session.get(ScimGroup, row_id) if row_id is not None else None


def _user_condition(attribute: str, value: str) -> Any:
    if attribute in {"userName", "emails.value"}:
        # Addresses are stored lower-cased (people.service.clean_email), so comparing with the lowered
        # value honours userName's caseExact=false and still uses the unique index.
        return User.email == value.strip().lower()
    if attribute == "externalId":
        return User.external_id == value
    row_id = scim_id(value)
    return User.id == row_id if row_id is not None else User.id.is_(None)


def users_page(session: Session, terms: Sequence[tuple[str, str]], *, start: int, count: int) -> tuple[int, list[User]]:
    """(total matching, the page); start is 1-based as in RFC 7644 §3.4.2.4. Ordered by id, so pages are stable."""
    conditions = [_user_condition(a, v) for a, v in terms]
    total = session.exec(select(func.count()).select_from(User).where(*conditions)).one()
    if count == 0:
        return total, []
    rows = session.exec(select(User).where(*conditions).order_by(col(User.id)).offset(start - 1).limit(count)).all()
    return total, list(rows)


def user_context(session: Session, users: Iterable[User]) -> UserContext:
    """Unit paths, profile names and groups for these people: at most three queries whatever their number."""
    users = list(users)
    ctx = UserContext()
    if not users:
        return ctx
    if any(u.org_unit_id is not None for u in users):
        ctx.unit_paths = {unit.id: path for unit, path in org_units_with_paths(session) if unit.id is not None}
    profile_ids = {u.job_profile_id for u in users if u.job_profile_id is not None}
    if profile_ids:
        ctx.profile_names = dict(session.exec(select(JobProfile.id, JobProfile.name).where(col(JobProfile.id).in_(profile_ids))).all())
    rows = session.exec(
        select(ScimGroupMember.user_id, ScimGroup.id, ScimGroup.display_name)
        .join(ScimGroup, col(ScimGroup.id) == ScimGroupMember.group_id)
        .where(col(ScimGroupMember.user_id).in_([u.id for u in users]))
        .order_by(col(ScimGroup.display_name))
    ).all()
    for user_id, group_id, name in rows:
        ctx.groups.setdefault(user_id, []).append((group_id, name))
    return ctx


def _group_condition(attribute: str, value: str) -> Any:
    if attribute == "displayName":
        return func.lower(ScimGroup.display_name) == value.lower()
    if attribute == "externalId":
        return ScimGroup.external_id == value
    row_id = scim_id(value)
    return ScimGroup.id == row_id if row_id is not None else ScimGroup.id.is_(None)


def groups_page(session: Session, terms: Sequence[tuple[str, str]], *, start: int, count: int) -> tuple[int, list[ScimGroup]]:
    conditions = [_group_condition(a, v) for a, v in terms]
    total = session.exec(select(func.count()).select_from(ScimGroup).where(*conditions)).one()
    if count == 0:
        return total, []
    rows = session.exec(select(ScimGroup).where(*conditions).order_by(col(ScimGroup.id)).offset(start - 1).limit(count)).all()
    return total, list(rows)


def group_members(session: Session, group_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """Each group's members as (user id, name), one query for all the groups."""
    members: dict[int, list[tuple[int, str]]] = {}
    ids = list(group_ids)
    if not ids:
        return members
    rows = session.exec(
        select(ScimGroupMember.group_id, User.id, User.name)
        .join(User, col(User.id) == ScimGroupMember.user_id)
        .where(col(ScimGroupMember.group_id).in_(ids))
        .order_by(col(User.id))
    ).all()
    for group_id, user_id, name in rows:
        members.setdefault(group_id, []).append((user_id, name))
    return members


def member_group_names(session: Session, user_id: int) -> set[str]:
    return set(
        session.exec(
            select(ScimGroup.display_name)
            .join(ScimGroupMember, col(ScimGroupMember.group_id) == ScimGroup.id)
            .where(ScimGroupMember.user_id == user_id)
        ).all()
    )


def group_name_taken(session: Session, name: str, *, other_than: int | None) -> bool:
    found = session.exec(select(ScimGroup.id).where(func.lower(ScimGroup.display_name) == name.lower())).first()
    return found is not None and found != other_than


def external_id_owner(session: Session, external_id: str) -> int | None:
    return session.exec(select(User.id).where(User.external_id == external_id)).first()
