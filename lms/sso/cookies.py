"""The two cookies single sign-on needs: the attempt's secrets, and a note that a session came through
the provider (for sign-out). Both are signed with the app's secret; neither needs a table."""

from __future__ import annotations

import hmac
import time
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from lms.auth.service import hash_token
from lms.config import Settings
from lms.sso.client import Attempt, provider_origin
from lms.web import signing

# Sent only to the two single sign-on routes, and only for as long as a person might take at the provider.
ATTEMPT_COOKIE = "proficio_sso_attempt"
ATTEMPT_PATH = "/login/sso"
ATTEMPT_SECONDS = 600
ATTEMPT_PURPOSE = "sso-attempt"
# Set beside the session cookie when the session came through the provider; sign-out reads it.
SSO_SESSION_COOKIE = "proficio_sso"
SSO_SESSION_PURPOSE = "sso-session"


def attempt_cookie_set(response: Response, request: Request, attempt: Attempt) -> None:
    value = {"s": attempt.state, "n": attempt.nonce, "v": attempt.code_verifier, "x": attempt.next, "t": int(time.time())}
    response.set_cookie(
        ATTEMPT_COOKIE,
        signing.dumps(request.app.state.secret_key, ATTEMPT_PURPOSE, value),
        max_age=ATTEMPT_SECONDS,
        path=ATTEMPT_PATH,
        httponly=True,
        # Lax, not Strict: the provider sends the browser back with a top-level GET from its own site.
        samesite="lax",
        secure=request.app.state.settings.cookie_secure,
    )


def attempt_cookie_clear(response: Response, request: Request) -> None:
    response.delete_cookie(
        ATTEMPT_COOKIE, path=ATTEMPT_PATH, httponly=True, samesite="lax", secure=request.app.state.settings.cookie_secure
    )


def attempt_from_cookie(request: Request, state: str) -> Attempt | None:
    """The attempt whose state the provider returned, or None: no cookie, a forged or stale one, another state."""
    data = signing.loads(request.app.state.secret_key, ATTEMPT_PURPOSE, request.cookies.get(ATTEMPT_COOKIE))
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in "snvx") or not isinstance(data.get("t"), int):
        return None
    if time.time() - data["t"] > ATTEMPT_SECONDS or not state or not hmac.compare_digest(data["s"], state):
        return None
    return Attempt(state=data["s"], nonce=data["n"], code_verifier=data["v"], next=data["x"])


def sso_session_cookie_set(response: Response, request: Request, *, token: str, end_session_endpoint: str) -> None:
    # Bound to this session's token, so a note left over from an earlier session means nothing.
    value = {"sid": hash_token(token), "end": end_session_endpoint}
    response.set_cookie(
        SSO_SESSION_COOKIE,
        signing.dumps(request.app.state.secret_key, SSO_SESSION_PURPOSE, value),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.cookie_secure,
    )


def end_session_url(request: Request, *, token: str | None) -> str | None:
    """Where sign-out sends a person whose session came through the provider, when it offers an end-session
    endpoint (OpenID Connect RP-Initiated Logout: client_id, and back to our sign-in page); else None."""
    settings: Settings = request.app.state.settings
    data = signing.loads(request.app.state.secret_key, SSO_SESSION_PURPOSE, request.cookies.get(SSO_SESSION_COOKIE))
    if not settings.oidc_enabled or not token or not isinstance(data, dict) or not data.get("end"):
        return None
    if not hmac.compare_digest(str(data.get("sid", "")), hash_token(token)):
        return None
    back = f"{public_base(request, settings)}/login"
    query = urlencode({"client_id": settings.oidc_client_id, "post_logout_redirect_uri": back})
    end = str(data["end"])
    if provider_origin(end) != provider_origin(settings.oidc_issuer):
        return None  # the CSP lets sign-out's form go on to the issuer's own origin only
    return f"{end}{'&' if '?' in end else '?'}{query}"


def public_base(request: Request, settings: Settings) -> str:
    """BASE_URL, or this request's own origin when it is empty (development): the provider only sends
    people back to addresses registered with it, so a forged Host header leads nowhere."""
    return (settings.base_url or str(request.base_url)).rstrip("/")
