"""Writes for SCIM Users: create, replace (PUT and PATCH both end here), deactivate. Callers commit.

Each change goes through the people services with ``via`` set to the token's label, so the audit log
names the API token that made it. A DELETE deactivates: nothing a person did is erased.
"""

from __future__ import annotations

from sqlmodel import Session

from lms.audit.service import audit_record
from lms.competences.profile_service import user_job_profile_set
from lms.config import Settings
from lms.people.models import User, UserOrigin
from lms.people.selectors import user_by_email
from lms.people.service import PeopleError, user_create, user_set_active, user_update
from lms.scim.errors import ScimError
from lms.scim.schemas import UserModel
from lms.scim.selectors import external_id_owner
from lms.scim.user_input import PersonFields, invalid, person_fields


def _unique(session: Session, fields: PersonFields, *, user_id: int | None) -> None:
    other = user_by_email(session, fields.email)
    if other is not None and other.id != user_id:
        raise ScimError(409, f"A user with userName {fields.email} already exists (id {other.id}).", "uniqueness")
    if fields.external_id is not None:
        owner = external_id_owner(session, fields.external_id)
        if owner is not None and owner != user_id:
            raise ScimError(409, f"Another user (id {owner}) already has externalId '{fields.external_id}'.", "uniqueness")


def _keep_break_glass(user: User, settings: Settings) -> None:
    # The accounts that keep a password when single sign-on is the way in exist for the day the
    # directory or the provider is wrong; the directory must not be able to lock them out.
    if user.email.lower() in settings.break_glass_emails:
        raise ScimError(
            400,
            f"{user.email} is a break-glass administrator (AUTH_BREAK_GLASS_ADMINS); "
            "only an administrator in Proficio may deactivate it.",
            "mutability",
        )


def _language_set(session: Session, *, user: User, fields: PersonFields, via: str, absent_clears: bool) -> None:
    """The person's interface language from preferredLanguage. A value the interface does not ship in
    leaves it as it is; so does leaving the attribute out of a PUT, since people choose their language
    on /account and a directory that does not manage languages must not undo that. A PATCH that
    removes it (absent_clears) makes the person follow their browser again."""
    language = fields.language
    if language is None and (fields.language_said or not absent_clears):
        return
    if user.language == language:
        return
    audit_record(
        session,
        action="user.language",
        actor_email=via,
        target_type="user",
        target_id=user.id,
        detail={"from": user.language, "to": language},
    )
    user.language = language
    session.add(user)


def scim_user_create(session: Session, *, resource: UserModel, settings: Settings, via: str) -> User:
    fields = person_fields(session, resource, settings=settings)
    _unique(session, fields, user_id=None)
    try:
        user = user_create(
            session,
            email=fields.email,
            name=fields.name,
            by=None,
            org_unit_id=fields.org_unit_id,
            manager_id=fields.manager_id,
            external_id=fields.external_id,
            created_via=UserOrigin.SCIM,
            via=via,
        )
    except PeopleError as exc:
        raise invalid(str(exc)) from None
    if fields.job_profile_id is not None:
        user_job_profile_set(session, user=user, job_profile_id=fields.job_profile_id, by=None, via=via)
    _language_set(session, user=user, fields=fields, via=via, absent_clears=False)
    if fields.active is False:
        user_set_active(session, user=user, active=False, by=None, via=via)
    session.flush()
    return user


def scim_user_replace(
    session: Session, *, user: User, resource: UserModel, settings: Settings, via: str, patched: bool = False
) -> User:
    """Make the person match the resource (RFC 7644 §3.5.1): attributes it leaves out are cleared, except
    `active`, which stays as it is unless said (a replace that forgot it must not end anyone's access), and
    preferredLanguage, kept unless a PATCH (`patched`: the resource is the current one, patched) removed it."""
    fields = person_fields(session, resource, settings=settings, current_email=user.email, current_name=user.name)
    _unique(session, fields, user_id=user.id)
    try:
        user_update(
            session,
            user=user,
            by=None,
            name=fields.name,
            email=fields.email,
            org_unit_id=fields.org_unit_id,
            manager_id=fields.manager_id,
            via=via,
        )
    except PeopleError as exc:
        raise invalid(str(exc)) from None
    user_job_profile_set(session, user=user, job_profile_id=fields.job_profile_id, by=None, via=via)
    _language_set(session, user=user, fields=fields, via=via, absent_clears=patched)
    if fields.external_id != user.external_id:
        audit_record(
            session,
            action="user.update",
            actor_email=via,
            target_type="user",
            target_id=user.id,
            detail={"external_id": fields.external_id},
        )
        user.external_id = fields.external_id
        session.add(user)
    if fields.active is not None:
        if fields.active is False and user.is_active:
            _keep_break_glass(user, settings)
        user_set_active(session, user=user, active=fields.active, by=None, via=via)
    session.flush()
    return user


def scim_user_deactivate(session: Session, *, user: User, settings: Settings, via: str) -> None:
    """DELETE /Users/{id}: the account is deactivated (sessions end at once); evidence, enrolments and
    certificates stay for reports, and a later `active: true` brings the person back."""
    if user.is_active:
        _keep_break_glass(user, settings)
    user_set_active(session, user=user, active=False, by=None, via=via)
    session.flush()
