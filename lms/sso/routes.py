"""GET /login/sso sends a person to the provider; GET /login/sso/callback signs them in when it sends
them back. Both are open (no session is read) and async: the provider is called with no database
connection held, and the database is used only in short turns (lms.web.deps.in_database)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from lms.sso import client, errors
from lms.sso.cookies import (
    attempt_cookie_clear,
    attempt_cookie_set,
    attempt_from_cookie,
    public_base,
    sso_session_cookie_set,
)
from lms.sso.errors import SsoError
from lms.sso.service import profile_from_claims, sso_failure_record, sso_sign_in
from lms.web.access import Access, policy
from lms.web.cookies import SESSION_COOKIE, set_cookie
from lms.web.deps import client_ip, in_database
from lms.web.redirects import safe_next
from lms.web.templating import redirect, render

router = APIRouter()


def _not_configured() -> HTTPException:
    # An old bookmark, or single sign-on turned off since.
    return HTTPException(404, "Single sign-on is not set up on this site. Sign in with your email address and password.")


async def _failure(request: Request, error: SsoError, *, audited: bool = False) -> Response:
    if not audited:
        await in_database(request, lambda db: sso_failure_record(db, error=error, client_ip=client_ip(request)))
    request.state.user, request.state.roles = None, frozenset()
    ctx = {"title": error.title, "message": str(error), "status": error.status, "reason": error.reason}
    response = render(request, "auth/sso_error.html", ctx, status_code=error.status)
    attempt_cookie_clear(response, request)
    return response


@router.get("/login/sso", dependencies=[policy(Access.OPEN)])
async def sso_start(request: Request, next: str | None = Query(None, max_length=2000)) -> Response:
    settings = request.app.state.settings
    if not settings.oidc_enabled:
        raise _not_configured()
    try:
        provider = await client.discover(settings)
    except SsoError as exc:
        return await _failure(request, exc)
    redirect_uri = f"{public_base(request, settings)}/login/sso/callback"
    url, attempt = await client.authorization_request(settings, provider, redirect_uri=redirect_uri, next=safe_next(next))
    response = redirect(request, url)
    attempt_cookie_set(response, request, attempt)
    return response


# The one GET that writes: a provider can only send the browser back with a GET (a redirect). It signs
# in only with the attempt cookie whose signed state matches, which another site cannot forge or read;
# tests/lms/test_get_is_safe.py names it as the exemption.
@router.get("/login/sso/callback", dependencies=[policy(Access.OPEN)])
async def sso_callback(
    request: Request,
    state: str = Query("", max_length=500),
    code: str = Query("", max_length=4000),
    error: str = Query("", max_length=200),
) -> Response:
    settings = request.app.state.settings
    if not settings.oidc_enabled:
        raise _not_configured()
    label = client.provider_label(settings)
    attempt = attempt_from_cookie(request, state)
    try:
        # An error grants nothing, so it needs no state (some providers leave it out of a refusal).
        if error == "access_denied":
            raise errors.consent_denied(label)
        if error:
            raise errors.provider_refused(label, error)
        if attempt is None:
            raise errors.attempt_invalid()
        if not code:
            raise errors.provider_refused(label, "no code")
        provider = await client.discover(settings)
        redirect_uri = f"{public_base(request, settings)}/login/sso/callback"
        id_token = await client.exchange_code(settings, provider, code=code, attempt=attempt, redirect_uri=redirect_uri)
        claims = await client.id_token_claims(settings, provider, id_token=id_token, attempt=attempt)
        profile = profile_from_claims(claims, issuer=provider.issuer, settings=settings)
    except SsoError as exc:
        return await _failure(request, exc)
    try:
        _, token = await in_database(
            request, lambda db: sso_sign_in(db, profile=profile, settings=settings, client_ip=client_ip(request))
        )
    except SsoError as exc:
        return await _failure(request, exc, audited=True)
    response = redirect(request, attempt.next)
    set_cookie(response, request, SESSION_COOKIE, token)
    sso_session_cookie_set(response, request, token=token, end_session_endpoint=provider.end_session_endpoint)
    attempt_cookie_clear(response, request)
    return response
