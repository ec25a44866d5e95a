"""What a single sign-on does in Proficio: find, link or create the account, keep the provider's fields
and roles in step, open the session. Every outcome is audited in the transaction it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from lms.audit.service import audit_record
from lms.auth.models import UserIdentity
from lms.auth.service import normalise_email, session_start
from lms.clock import utcnow
from lms.competences.profile_service import job_profile_by_name, user_job_profile_set
from lms.config import Settings
from lms.errors import FieldError
from lms.people.csv_import.units import org_unit_id_by_path
from lms.people.models import User, UserOrigin
from lms.people.selectors import user_by_email, user_roles
from lms.people.service import PeopleError, roles_set, user_create, user_update
from lms.sso import errors
from lms.sso.errors import SsoError

VIA = "single sign-on"


@dataclass(frozen=True)
class SsoProfile:
    """What the provider's claims say about a person, under the names the settings give them."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    groups: list[str] | None  # None: the claim was not sent at all
    groups_overflow: bool  # the provider left the groups out (Entra ID's "overage"): keep the roles
    org_unit: str | None
    manager_email: str | None
    job_profile: str | None


def _text(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name) if name else None
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def profile_from_claims(claims: dict[str, Any], *, issuer: str, settings: Settings) -> SsoProfile:
    subject = _text(claims, settings.oidc_claim_subject)
    if subject is None:
        raise errors.token_invalid(settings.oidc_provider_name or settings.org_name, f"no {settings.oidc_claim_subject} claim")
    raw_groups = claims.get(settings.oidc_claim_groups)
    groups = [raw_groups] if isinstance(raw_groups, str) else raw_groups
    claim_names = claims.get("_claim_names")
    return SsoProfile(
        issuer=issuer,
        subject=subject[:255],
        email=_text(claims, settings.oidc_claim_email),
        email_verified=claims.get("email_verified") in (True, "true"),
        name=_text(claims, settings.oidc_claim_name),
        groups=[str(g) for g in groups] if isinstance(groups, list) else None,
        groups_overflow=isinstance(claim_names, dict) and settings.oidc_claim_groups in claim_names,
        org_unit=_text(claims, settings.oidc_claim_org_unit),
        manager_email=_text(claims, settings.oidc_claim_manager),
        job_profile=_text(claims, settings.oidc_claim_job_profile),
    )


def sso_failure_record(
    session: Session, *, error: SsoError, client_ip: str | None, user: User | None = None, profile: SsoProfile | None = None
) -> None:
    """Audit a refused sign-in in a transaction of its own (whatever else was under way is dropped)."""
    session.rollback()
    who = {"issuer": profile.issuer, "subject": profile.subject} if profile else {}
    audit_record(
        session,
        action="sso.failure",
        actor=user,
        actor_email=None if user else (profile.email if profile else None),
        target_type="user" if user else None,
        target_id=user.id if user else None,
        client_ip=client_ip,
        detail={"reason": error.reason, **who, **error.detail},
    )
    session.commit()


def _refuse(session: Session, error: SsoError, *, profile: SsoProfile, client_ip: str | None, user: User | None = None) -> SsoError:
    sso_failure_record(session, error=error, client_ip=client_ip, user=user, profile=profile)
    return error


def _find(session: Session, profile: SsoProfile, client_ip: str | None) -> tuple[User | None, UserIdentity | None]:
    """The account this identity belongs to, and its link (None while it is yet to be made)."""
    identity = session.exec(
        select(UserIdentity).where(UserIdentity.issuer == profile.issuer, UserIdentity.subject == profile.subject)
    ).first()
    if identity is not None:
        return session.get(User, identity.user_id), identity
    # Only an address the provider vouches for may claim an existing account, and only once.
    if profile.email and profile.email_verified:
        user = user_by_email(session, normalise_email(profile.email))
        if user is not None:
            other = session.exec(
                select(UserIdentity).where(UserIdentity.user_id == user.id, UserIdentity.issuer == profile.issuer)
            ).first()
            if other is not None:
                raise _refuse(session, errors.already_linked(user.email), profile=profile, client_ip=client_ip, user=user)
            return user, None
    return None, None


def _resolve(session: Session, settings: Settings, profile: SsoProfile) -> tuple[int | None, int | None, int | None]:
    """Org unit, manager and job profile ids for the claims that name them (None where unknown)."""
    unit_id = org_unit_id_by_path(session, profile.org_unit) if profile.org_unit else None
    manager = user_by_email(session, normalise_email(profile.manager_email)) if profile.manager_email else None
    job = job_profile_by_name(session, profile.job_profile) if profile.job_profile else None
    return unit_id, manager.id if manager else None, job.id if job else None


def _create(session: Session, settings: Settings, profile: SsoProfile, client_ip: str | None) -> User:
    if not profile.email:
        raise _refuse(session, errors.claims_unusable("no e-mail address"), profile=profile, client_ip=client_ip)
    if user_by_email(session, normalise_email(profile.email)) is not None:
        # An unverified address must not take over the account that has it.
        raise _refuse(session, errors.no_account(profile.email), profile=profile, client_ip=client_ip)
    unit_id, manager_id, job_id = _resolve(session, settings, profile)
    try:
        user = user_create(
            session,
            email=profile.email,
            name=profile.name or profile.email.split("@")[0],
            by=None,
            org_unit_id=unit_id,
            manager_id=manager_id,
            created_via=UserOrigin.SSO,
            via=VIA,
            client_ip=client_ip,
        )
        if job_id is not None:
            user_job_profile_set(session, user=user, job_profile_id=job_id, by=None, via=VIA, client_ip=client_ip)
    except FieldError as exc:
        raise _refuse(session, errors.claims_unusable(str(exc)), profile=profile, client_ip=client_ip) from exc
    return user


def _apply_managed_fields(session: Session, settings: Settings, user: User, profile: SsoProfile, client_ip: str | None) -> None:
    """Overwrite the fields OIDC_MANAGED_FIELDS gives the provider; a claim that is absent or names
    nothing known leaves the field as it is."""
    managed = settings.oidc_managed_field_set
    unit_id, manager_id, job_id = _resolve(session, settings, profile)
    wanted = {
        "name": profile.name if "name" in managed and profile.name else user.name,
        "email": profile.email if "email" in managed and profile.email else user.email,
        "org_unit_id": unit_id if "org_unit" in managed and unit_id is not None else user.org_unit_id,
        "manager_id": manager_id if "manager" in managed and manager_id is not None else user.manager_id,
    }
    if any(getattr(user, key) != value for key, value in wanted.items()):
        try:
            # It checks everything before it changes anything, so a refusal leaves the account as it was.
            user_update(session, user=user, by=None, via=VIA, client_ip=client_ip, **wanted)
        except PeopleError as exc:
            # Say why, and sign in anyway: the fields stay as they were until an admin resolves it.
            audit_record(
                session,
                action="sso.profile_kept",
                actor_email=VIA,
                target_type="user",
                target_id=user.id,
                client_ip=client_ip,
                detail={"problem": str(exc)},
            )
    if "job_profile" in managed and job_id is not None:
        user_job_profile_set(session, user=user, job_profile_id=job_id, by=None, via=VIA, client_ip=client_ip)


def _apply_group_roles(session: Session, settings: Settings, user: User, profile: SsoProfile, client_ip: str | None) -> None:
    """Roles named in GROUP_ROLES follow the groups claim; every other role stays as admins set it."""
    table = settings.group_role_map
    if not table or profile.groups_overflow:
        return
    current = user_roles(session, user.id)
    from_groups = {table[g] for g in profile.groups or [] if g in table}
    wanted = (current - set(table.values())) | from_groups
    if wanted != current:
        roles_set(session, user=user, roles=wanted, by=None, via=VIA, client_ip=client_ip)


def sso_sign_in(session: Session, *, profile: SsoProfile, settings: Settings, client_ip: str | None) -> tuple[User, str]:
    """Sign a person in from their checked claims; returns the user and the new session's token. Commits.

    Raises SsoError (after committing its audit event) for a deactivated account, or a first sign-in
    that matches no account while OIDC_CREATE_ACCOUNTS is off.
    """
    user, identity = _find(session, profile, client_ip)
    if user is None:
        if not settings.oidc_create_accounts:
            raise _refuse(session, errors.no_account(profile.email), profile=profile, client_ip=client_ip)
        user = _create(session, settings, profile, client_ip)
        created = True
    else:
        created = False
        if not user.is_active:
            raise _refuse(session, errors.account_deactivated(), profile=profile, client_ip=client_ip, user=user)
    now = utcnow()
    if identity is None:
        identity = UserIdentity(user_id=user.id, issuer=profile.issuer, subject=profile.subject, linked_at=now)
        if not created:
            audit_record(
                session,
                action="sso.link",
                actor=user,
                target_type="user",
                target_id=user.id,
                client_ip=client_ip,
                detail={"issuer": profile.issuer, "subject": profile.subject, "email": profile.email},
            )
    if not created:
        _apply_managed_fields(session, settings, user, profile, client_ip)
    _apply_group_roles(session, settings, user, profile, client_ip)
    identity.last_login_at = now
    session.add(identity)
    token = session_start(session, user, client_ip)
    audit_record(session, action="login.success", actor=user, client_ip=client_ip, detail={"method": "sso", "created": created})
    session.commit()
    return user, token
