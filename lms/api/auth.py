"""Bearer-token authentication for /api/v1. Session cookies are never consulted here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, params
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, select

from lms.api.models import ApiToken
from lms.api.service import SCOPES, api_token_touch
from lms.auth.service import hash_token
from lms.clock import utcnow
from lms.web.access import Access
from lms.web.deps import DbSession

# auto_error=False: every failure answers the same JSON 401 below; the scheme also documents the API.
bearer = HTTPBearer(
    auto_error=False, scheme_name="ApiToken", description="An API token created by an administrator under Administration → API tokens."
)


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status_code=401, detail=message, headers={"WWW-Authenticate": "Bearer"})


@dataclass(frozen=True)
class ApiCaller:
    token: ApiToken
    scopes: frozenset[str]

    @property
    def org_unit_id(self) -> int | None:
        return self.token.org_unit_id


def token_by_secret(db: Session, secret: str) -> ApiToken | None:
    return db.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(secret))).first()


def api_caller(db: DbSession, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> ApiCaller:
    if credentials is None or not credentials.credentials.strip():
        raise _unauthorized("Send an API token as 'Authorization: Bearer <token>'.")
    token = token_by_secret(db, credentials.credentials.strip())
    now = utcnow()
    # One message for unknown, revoked and expired tokens, so probing reveals nothing.
    if token is None or token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        raise _unauthorized("The API token is not valid: it is unknown, revoked or expired.")
    if api_token_touch(db, token=token, now=now):
        db.commit()
    return ApiCaller(token=token, scopes=frozenset(token.scopes.split()))


api_caller.access = Access.API_TOKEN


def require_scope(scope: str) -> params.Depends:
    """A dependency that admits a valid token holding ``scope``; 403 for a valid token without it."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(caller: Annotated[ApiCaller, Depends(api_caller)]) -> ApiCaller:
        if scope not in caller.scopes:
            raise HTTPException(status_code=403, detail=f"This API token lacks the scope {scope}.")
        return caller

    dependency.__name__ = f"scope_{scope.replace(':', '_')}"
    dependency.access = Access.API_TOKEN
    return Depends(dependency)


FrameworksCaller = Annotated[ApiCaller, require_scope("frameworks:read")]
ProfilesCaller = Annotated[ApiCaller, require_scope("profiles:read")]
ReportsCaller = Annotated[ApiCaller, require_scope("reports:read")]
PeopleCaller = Annotated[ApiCaller, require_scope("people:read")]
