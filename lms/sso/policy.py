"""Who may still use a Proficio password once single sign-on is on (AUTH_LOCAL_PASSWORDS)."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from sqlmodel import Session

from lms.audit.service import audit_record
from lms.auth.service import normalise_email
from lms.config import Settings
from lms.people.models import Role
from lms.people.selectors import user_by_email, user_roles
from lms.sso.client import provider_label


def password_sign_in_allowed(session: Session, settings: Settings, email: str) -> bool:
    """Whether a password sign-in for this address may go ahead: everyone (all), nobody (off), or the
    break-glass administrators (admins): named in AUTH_BREAK_GLASS_ADMINS and holding the admin role."""
    if settings.auth_local_passwords == "all":
        return True
    account = normalise_email(email)
    if settings.auth_local_passwords == "off" or account not in settings.break_glass_emails:
        return False
    user = user_by_email(session, account)
    return user is not None and Role.ADMIN.value in user_roles(session, user.id)


def password_sign_in_check(session: Session, settings: Settings, *, email: str, client_ip: str | None) -> bool:
    """password_sign_in_allowed, with a refusal audited (and committed). It is checked before the password
    is, and a refusal is never counted as a failed sign-in: it says nothing about the password."""
    if password_sign_in_allowed(session, settings, email):
        return True
    audit_record(
        session,
        action="login.refused",
        actor_email=normalise_email(email)[:320] or None,
        client_ip=client_ip,
        detail={"reason": "local passwords", "auth_local_passwords": settings.auth_local_passwords},
    )
    session.commit()
    return False


def password_usable(settings: Settings, *, email: str, roles: AbstractSet[str]) -> bool:
    """Whether this person can sign in with a password at all (so changing it means something)."""
    if settings.auth_local_passwords == "all":
        return True
    return settings.auth_local_passwords == "admins" and email.lower() in settings.break_glass_emails and Role.ADMIN.value in roles


def password_refused_message(settings: Settings) -> str:
    return f"Passwords are not used to sign in here. Use “Sign in with {provider_label(settings)}” instead."


def login_options(settings: Settings) -> dict[str, object]:
    """What the sign-in page offers: the provider's button, and the password form to whom."""
    return {
        "sso_label": provider_label(settings) if settings.oidc_enabled else None,
        "password_mode": settings.auth_local_passwords,
    }
