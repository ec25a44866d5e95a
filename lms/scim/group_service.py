"""Writes for SCIM Groups. A group whose displayName is in GROUP_ROLES gives that role to its members;
roles follow membership: joining grants, leaving (or the group's deletion or rename) takes the role
back unless another of the person's groups still gives it. Other groups are kept with no effect."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update
from sqlmodel import Session, col, delete

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.config import Settings
from lms.people.models import User
from lms.people.selectors import user_roles
from lms.people.service import roles_set
from lms.scim.errors import ScimError
from lms.scim.models import ScimGroup, ScimGroupMember
from lms.scim.user_input import external_id as clean_external_id
from lms.scim.selectors import group_members, group_name_taken, member_group_names, user_by_scim_id


def _members(session: Session, values: Iterable[str]) -> set[int]:
    ids: set[int] = set()
    for value in values:
        person = user_by_scim_id(session, value)
        if person is None or person.id is None:
            raise ScimError(400, f"The member '{value}' is not a user here: send a User's SCIM id.", "invalidValue")
        ids.add(person.id)
    return ids


def _name(session: Session, name: str | None, *, group_id: int | None) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise ScimError(400, "displayName is required.", "invalidValue")
    if len(cleaned) > 255:
        raise ScimError(400, "displayName may have at most 255 characters.", "invalidValue")
    if group_name_taken(session, cleaned, other_than=group_id):
        raise ScimError(409, f"A group called '{cleaned}' already exists.", "uniqueness")
    return cleaned


def _sync_roles(
    session: Session, *, user_ids: set[int], old_name: str | None, new_name: str | None, settings: Settings, via: str
) -> None:
    """Re-apply GROUP_ROLES for people whose membership of one group changed (old_name: the group as
    they were in it, new_name: as they are in it now; None for not a member)."""
    role_map = {name.lower(): role for name, role in settings.group_role_map.items()}
    if not role_map or not user_ids:
        return
    for user_id in sorted(user_ids):
        user = session.get(User, user_id)
        if user is None:
            continue
        now_in = {n.lower() for n in member_group_names(session, user_id)}
        had = (now_in - {(new_name or "").lower()}) | ({old_name.lower()} if old_name else set())
        given_now = {role_map[n] for n in now_in if n in role_map}
        given_before = {role_map[n] for n in had if n in role_map}
        current = user_roles(session, user_id)
        wanted = (current - (given_before - given_now)) | given_now
        if wanted != current:
            roles_set(session, user=user, roles=wanted, by=None, via=via)


def _touch(session: Session, user_ids: set[int]) -> None:
    # A person's SCIM document lists their groups, so its version (meta.version, the ETag) must change too.
    if user_ids:
        session.exec(update(User).where(col(User.id).in_(user_ids)).values(updated_at=utcnow()))


def scim_group_create(
    session: Session, *, name: str | None, external_id: str | None, members: list[str], settings: Settings, via: str
) -> ScimGroup:
    group = ScimGroup(display_name=_name(session, name, group_id=None), external_id=clean_external_id(external_id))
    member_ids = _members(session, members)
    session.add(group)
    session.flush()
    for user_id in sorted(member_ids):
        session.add(ScimGroupMember(group_id=group.id, user_id=user_id))
    audit_record(
        session,
        action="scim_group.create",
        actor_email=via,
        target_type="scim_group",
        target_id=group.id,
        detail={"name": group.display_name, "members": sorted(member_ids)},
    )
    session.flush()
    _sync_roles(session, user_ids=member_ids, old_name=None, new_name=group.display_name, settings=settings, via=via)
    _touch(session, member_ids)
    return group


def scim_group_replace(
    session: Session, *, group: ScimGroup, name: str | None, external_id: str | None, members: list[str], settings: Settings, via: str
) -> ScimGroup:
    new_name = _name(session, name, group_id=group.id)
    external_id = clean_external_id(external_id)
    wanted = _members(session, members)
    current = {uid for uid, _ in group_members(session, [group.id or 0]).get(group.id or 0, [])}
    added, removed = wanted - current, current - wanted
    old_name = group.display_name
    renamed = new_name != old_name
    if not (added or removed or renamed or external_id != group.external_id):
        return group
    for user_id in sorted(removed):
        session.exec(delete(ScimGroupMember).where(col(ScimGroupMember.group_id) == group.id, col(ScimGroupMember.user_id) == user_id))
    for user_id in sorted(added):
        session.add(ScimGroupMember(group_id=group.id, user_id=user_id))
    group.display_name, group.external_id, group.updated_at = new_name, external_id, utcnow()
    session.add(group)
    detail: dict = {"added": sorted(added), "removed": sorted(removed)}
    if renamed:
        detail["name"] = {"from": old_name, "to": new_name}
    audit_record(session, action="scim_group.update", actor_email=via, target_type="scim_group", target_id=group.id, detail=detail)
    session.flush()
    _sync_roles(session, user_ids=removed, old_name=old_name, new_name=None, settings=settings, via=via)
    _sync_roles(session, user_ids=added, old_name=None, new_name=new_name, settings=settings, via=via)
    stayed = wanted & current
    if renamed:
        _sync_roles(session, user_ids=stayed, old_name=old_name, new_name=new_name, settings=settings, via=via)
    _touch(session, added | removed | (stayed if renamed else set()))
    return group


def scim_group_delete(session: Session, *, group: ScimGroup, settings: Settings, via: str) -> None:
    """The group goes, and with it the roles it gave (unless another group of the person gives them)."""
    member_ids = {uid for uid, _ in group_members(session, [group.id or 0]).get(group.id or 0, [])}
    name = group.display_name
    session.exec(delete(ScimGroupMember).where(col(ScimGroupMember.group_id) == group.id))
    audit_record(
        session,
        action="scim_group.delete",
        actor_email=via,
        target_type="scim_group",
        target_id=group.id,
        detail={"name": name, "members": sorted(member_ids)},
    )
    session.delete(group)
    session.flush()
    _sync_roles(session, user_ids=member_ids, old_name=name, new_name=None, settings=settings, via=via)
    _touch(session, member_ids)
