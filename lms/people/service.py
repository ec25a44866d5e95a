"""Writes about people and organisation. Callers commit; domain errors carry safe messages."""

from __future__ import annotations

from collections.abc import Sequence, Set as AbstractSet
from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, delete, select

from lms.i18n import gettext
from lms.audit.service import audit_record
from lms.auth.passwords import hash_password, password_problems
from lms.auth.service import sessions_end_all
from lms.db import known
from lms.errors import FieldError
from lms.hooks import users_changed
from lms.people.models import OrgUnit, Role, RoleGrant, User, UserOrigin
from lms.people.selectors import org_unit_subtree_ids, reporting_line_ids, user_by_email, user_roles


class PeopleError(FieldError):
    """Invalid input for a people or organisation change; ``field`` names the form field."""


def clean_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise PeopleError(
            gettext("'%(address)s' is not a valid email address (%(reason)s).") % {"address": raw.strip(), "reason": exc}, "email"
        ) from None


def clean_roles(raw: list[str] | set[str]) -> set[str]:
    valid = {r.value for r in Role}
    roles = {r.strip().lower() for r in raw if r and r.strip()}
    unknown = roles - valid
    if unknown:
        raise PeopleError(
            gettext("Unknown role: %(unknown)s. Use %(valid)s.")
            % {"unknown": ", ".join(sorted(unknown)), "valid": ", ".join(sorted(valid))},
            "roles",
        )
    return roles


def check_manager(session: Session, *, user: User | None, manager_id: int | None) -> None:
    if manager_id is None:
        return
    manager = session.get(User, manager_id)
    if manager is None:
        raise PeopleError(gettext("That line manager does not exist."), "manager_id")
    if user is not None and user.id is not None:
        if manager_id == user.id or manager_id in reporting_line_ids(session, user.id):
            raise PeopleError(gettext("That would make a cycle in line management."), "manager_id")


# `via` names a non-person actor in the audit log (an API token through SCIM, single sign-on), where `by`
# would be None.
def user_create(
    session: Session,
    *,
    email: str,
    name: str,
    by: User | None,
    password: str | None = None,
    org_unit_id: int | None = None,
    manager_id: int | None = None,
    roles: AbstractSet[str] = frozenset(),
    client_ip: str | None = None,
    external_id: str | None = None,
    created_via: UserOrigin = UserOrigin.LOCAL,
    via: str | None = None,
) -> User:
    email = clean_email(email)
    if not name.strip():
        raise PeopleError(gettext("Enter a name."), "name")
    if user_by_email(session, email):
        raise PeopleError(gettext("A user with email %(email)s already exists.") % {"email": email}, "email")
    if org_unit_id is not None and session.get(OrgUnit, org_unit_id) is None:
        raise PeopleError(gettext("That organisation unit does not exist."), "org_unit_id")
    check_manager(session, user=None, manager_id=manager_id)
    if password is not None:
        problems = password_problems(password, user_inputs=[email, name])
        if problems:
            raise PeopleError(problems[0], "password")
    user = User(
        email=email,
        name=name.strip(),
        org_unit_id=org_unit_id,
        manager_id=manager_id,
        password_hash=hash_password(password) if password else None,
        external_id=external_id,
        created_via=created_via.value,
    )
    session.add(user)
    session.flush()
    roles = clean_roles(roles)
    for role in sorted(roles):
        session.add(RoleGrant(user_id=user.id, role=role))
    audit_record(
        session,
        action="user.create",
        actor=by,
        actor_email=via,
        target_type="user",
        target_id=user.id,
        client_ip=client_ip,
        detail={"email": email, "roles": sorted(roles)},
    )
    users_changed(session, [known(user.id)])
    return user


ERASED_MESSAGE = (
    "This account was erased: it stays only so reports keep their figures, and cannot be given a name, "
    "address, role or password again. Create a new account instead."
)


def refuse_erased(user: User) -> None:
    """An erased account keeps its id for the statistics; writing identity back onto it would undo the erasure."""
    if user.erased_at is not None:
        raise PeopleError(ERASED_MESSAGE)


def user_update(
    session: Session,
    *,
    user: User,
    by: User | None,
    name: str,
    email: str,
    org_unit_id: int | None,
    manager_id: int | None,
    client_ip: str | None = None,
    via: str | None = None,
) -> User:
    refuse_erased(user)
    email = clean_email(email)
    if not name.strip():
        raise PeopleError(gettext("Enter a name."), "name")
    other = user_by_email(session, email)
    if other is not None and other.id != user.id:
        raise PeopleError(gettext("A user with email %(email)s already exists.") % {"email": email}, "email")
    if org_unit_id is not None and session.get(OrgUnit, org_unit_id) is None:
        raise PeopleError(gettext("That organisation unit does not exist."), "org_unit_id")
    check_manager(session, user=user, manager_id=manager_id)
    changes = {
        k: v
        for k, v in {"name": name.strip(), "email": email, "org_unit_id": org_unit_id, "manager_id": manager_id}.items()
        if getattr(user, k) != v
    }
    for key, value in changes.items():
        setattr(user, key, value)
    session.add(user)
    if changes:
        audit_record(
            session,
            action="user.update",
            actor=by,
            actor_email=via,
            target_type="user",
            target_id=user.id,
            client_ip=client_ip,
            detail=changes,
        )
        session.flush()
        users_changed(session, [known(user.id)])
    return user


def roles_set(
    session: Session, *, user: User, roles: set[str], by: User | None, client_ip: str | None = None, via: str | None = None
) -> None:
    refuse_erased(user)
    roles = clean_roles(roles)
    current = user_roles(session, user.id)
    if by is not None and by.id == user.id and Role.ADMIN.value in current and Role.ADMIN.value not in roles:
        raise PeopleError(gettext("You cannot remove your own admin role; ask another admin."), "roles")
    granted, revoked = sorted(roles - current), sorted(current - roles)
    for role in granted:
        session.add(RoleGrant(user_id=user.id, role=role))
    for role in revoked:
        session.exec(delete(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.role == role))
    for action, changed in (("role.grant", granted), ("role.revoke", revoked)):
        for role in changed:
            audit_record(
                session,
                action=action,
                actor=by,
                actor_email=via,
                target_type="user",
                target_id=user.id,
                client_ip=client_ip,
                detail={"role": role},
            )


def user_set_active(
    session: Session, *, user: User, active: bool, by: User | None, client_ip: str | None = None, via: str | None = None
) -> None:
    users_set_active(session, users=[user], active=active, by=by, client_ip=client_ip, via=via)


def users_set_active(
    session: Session,
    *,
    users: Sequence[User],
    active: bool,
    by: User | None,
    client_ip: str | None = None,
    via: str | None = None,
) -> list[User]:
    """Deactivate (sessions end at once) or reactivate accounts, each audited; returns those that changed.

    users_changed is told once for all of them: its listeners (mandatory-training cycles) are set-based,
    so a leavers' file of hundreds costs them one pass instead of one per person.
    """
    if not active and by is not None and any(user.id == by.id for user in users):
        raise PeopleError(gettext("You cannot deactivate your own account."))
    if active:
        for user in users:
            refuse_erased(user)
    changed = [user for user in users if user.is_active != active]
    for user in changed:
        user.is_active = active
        session.add(user)
        if not active:
            sessions_end_all(session, user_id=user.id)
        audit_record(
            session,
            action="user.activate" if active else "user.deactivate",
            actor=by,
            actor_email=via,
            target_type="user",
            target_id=user.id,
            client_ip=client_ip,
        )
    if changed:
        session.flush()
        users_changed(session, [known(user.id) for user in changed])
    return changed


def user_set_password(session: Session, *, user: User, password: str, by: User | None, client_ip: str | None = None) -> None:
    refuse_erased(user)
    problems = password_problems(password, user_inputs=[user.email, user.name])
    if problems:
        raise PeopleError(problems[0], "password")
    user.password_hash = hash_password(password)
    session.add(user)
    sessions_end_all(session, user_id=user.id)
    audit_record(session, action="password.set", actor=by, target_type="user", target_id=user.id, client_ip=client_ip)


def org_unit_create(session: Session, *, name: str, parent_id: int | None, by: User | None, client_ip: str | None = None) -> OrgUnit:
    name = name.strip()
    if not name:
        raise PeopleError(gettext("Enter a name."), "name")
    if parent_id is not None and session.get(OrgUnit, parent_id) is None:
        raise PeopleError(gettext("That parent unit does not exist."), "parent_id")
    _check_unique_name(session, name=name, parent_id=parent_id, unit_id=None)
    unit = OrgUnit(name=name, parent_id=parent_id)
    session.add(unit)
    session.flush()
    audit_record(
        session,
        action="org_unit.create",
        actor=by,
        target_type="org_unit",
        target_id=unit.id,
        client_ip=client_ip,
        detail={"name": name, "parent_id": parent_id},
    )
    return unit


def org_unit_update(
    session: Session, *, unit: OrgUnit, name: str, parent_id: int | None, by: User | None, client_ip: str | None = None
) -> OrgUnit:
    """Rename and/or move a unit; moving under itself or its own descendants is refused."""
    name = name.strip()
    if not name:
        raise PeopleError(gettext("Enter a name."), "name")
    if parent_id is not None:
        if session.get(OrgUnit, parent_id) is None:
            raise PeopleError(gettext("That parent unit does not exist."), "parent_id")
        if parent_id in org_unit_subtree_ids(session, unit.id):
            raise PeopleError(gettext("A unit cannot move under itself or one of its own sub-units."), "parent_id")
    _check_unique_name(session, name=name, parent_id=parent_id, unit_id=unit.id)
    changes = {k: v for k, v in {"name": name, "parent_id": parent_id}.items() if getattr(unit, k) != v}
    for key, value in changes.items():
        setattr(unit, key, value)
    session.add(unit)
    if changes:
        audit_record(
            session, action="org_unit.update", actor=by, target_type="org_unit", target_id=unit.id, client_ip=client_ip, detail=changes
        )
    return unit


def _check_unique_name(session: Session, *, name: str, parent_id: int | None, unit_id: int | None) -> None:
    stmt = select(OrgUnit).where(OrgUnit.name == name, OrgUnit.parent_id == parent_id)
    if parent_id is None:
        stmt = select(OrgUnit).where(OrgUnit.name == name, OrgUnit.parent_id.is_(None))
    existing = session.exec(stmt).first()
    if existing is not None and existing.id != unit_id:
        raise PeopleError(gettext("There is already a unit called '%(name)s' there.") % {"name": name}, "name")
