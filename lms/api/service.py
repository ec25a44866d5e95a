"""Issuing and revoking API tokens. Only a SHA-256 of the secret is kept; the secret is returned once."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col

from lms.api.models import ApiToken
from lms.audit.service import audit_record
from lms.auth.service import hash_token
from lms.clock import utcnow
from lms.i18n import N_, gettext
from lms.people.models import OrgUnit, User

# What a token may do. Each /api/v1 and /scim/v2 route requires exactly one of these; only scim:write writes.
SCOPES = {
    "frameworks:read": N_("Competence frameworks: levels, areas and competences"),
    "profiles:read": N_("Job profiles and the levels they require"),
    "reports:read": N_("Organisation units and their aggregates (small groups suppressed)"),
    "people:read": N_("People in the token's unit and their competence status"),
    "compliance:read": N_(
        "Mandatory training: requirements, each person's standing, compliance rates per unit (small groups suppressed)"
    ),
    "scim:write": N_("SCIM provisioning at /scim/v2: create, change and deactivate people and groups (whole organisation only)"),
}
# Makes a leaked secret recognisable in logs, config files and secret scanners.
SECRET_PREFIX = "prf_"
# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
TOUCH_INTERVAL = timedelta(minutes=1)


class ApiTokenError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def api_token_create(
    session: Session,
    *,
    name: str,
    scopes: list[str],
    org_unit_id: int | None,
    expires_at: datetime | None,
    by: User,
    client_ip: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret. The caller shows the secret once; nothing can recover it later."""
    name = name.strip()
    if not name:
        raise ApiTokenError(gettext("Enter a name that says who or what uses this token."), "name")
    if len(name) > 200:
        raise ApiTokenError(gettext("Use a name of at most 200 characters."), "name")
    unknown = sorted(set(scopes) - SCOPES.keys())
    if unknown:
        raise ApiTokenError(gettext("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}, "scopes")
    if not scopes:
        raise ApiTokenError(gettext("Choose at least one thing this token may do."), "scopes")
    if org_unit_id is not None and session.get(OrgUnit, org_unit_id) is None:
        raise ApiTokenError(gettext("Choose an organisation unit from the list, or the whole organisation."), "org_unit_id")
    if expires_at is not None and expires_at <= utcnow():
        raise ApiTokenError(gettext("Choose an expiry date in the future, or leave it empty."), "expires_at")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        prefix=secret[: len(SECRET_PREFIX) + 6],
        token_hash=hash_token(secret),
        scopes=" ".join(sorted(set(scopes))),
        org_unit_id=org_unit_id,
        created_by_id=by.id,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    audit_record(
        session,
        action="api_token.create",
        actor=by,
        target_type="api_token",
        target_id=token.id,
        client_ip=client_ip,
        detail={"name": name, "prefix": token.prefix, "scopes": token.scopes, "org_unit_id": org_unit_id, "expires_at": expires_at},
    )
    return token, secret


def api_token_revoke(session: Session, *, token: ApiToken, by: User, client_ip: str | None = None) -> None:
    if token.revoked_at is not None:
        raise ApiTokenError(gettext("This token was already revoked."))
    token.revoked_at = utcnow()
    session.add(token)
    audit_record(
        session,
        action="api_token.revoke",
        actor=by,
        target_type="api_token",
        target_id=token.id,
        client_ip=client_ip,
        detail={"name": token.name, "prefix": token.prefix},
    )


def api_token_touch(session: Session, *, token: ApiToken, now: datetime) -> bool:
    """Record use, at most once per TOUCH_INTERVAL; the WHERE clause keeps parallel workers from repeating it."""
    cutoff = now - TOUCH_INTERVAL
    if token.last_used_at is not None and token.last_used_at > cutoff:
        return False
    session.exec(
        update(ApiToken)
        .where(ApiToken.id == token.id, or_(ApiToken.last_used_at.is_(None), col(ApiToken.last_used_at) <= cutoff))
        .values(last_used_at=now)
    )
    # Not a pending change: the UPDATE above already wrote it.
    set_committed_value(token, "last_used_at", now)
    return True
