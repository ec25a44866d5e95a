"""One CSRF token per session (or per anonymous visitor), checked on every unsafe request."""

from __future__ import annotations

import hmac
import secrets

from collections.abc import Callable
from typing import TypeVar

from fastapi import HTTPException, Request

from lms.auth.service import hash_token
from lms.web.cookies import ANON_COOKIE, SESSION_COOKIE
from lms.i18n import gettext
from lms.web.signing import sign

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_EXEMPT = "__csrf_exempt__"
F = TypeVar("F", bound=Callable[..., object])


def csrf_exempt(endpoint: F) -> F:
    """Mark one route as taking unsafe requests without the token. Only for a route whose request
    carries its own proof and is posted from outside any session: the one-click unsubscribe of
    RFC 8058, which mail clients post with a signed token in its address, and SCIM provisioning
    (/scim/v2), whose credential is an API token in the Authorization header. tests/lms/test_csrf.py
    lists the exempt routes, so a new one is a deliberate choice."""
    setattr(endpoint, _EXEMPT, True)
    return endpoint


def _binding(request: Request) -> str:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        return "s:" + hash_token(token)
    anon = getattr(request.state, "anon_id", None) or request.cookies.get(ANON_COOKIE)
    if not anon:
        # First visit: the response sets this cookie so the form's token can be checked later.
        anon = secrets.token_urlsafe(24)
        request.state.anon_id = anon
        request.state.set_anon_cookie = True
    return "a:" + anon


def csrf_token(request: Request, *, binding: str | None = None) -> str:
    return sign(request.app.state.secret_key, "csrf", binding or _binding(request))


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: unsafe methods need the token as a header or a form field."""
    if request.method not in UNSAFE_METHODS or getattr(request.scope.get("endpoint"), _EXEMPT, False):
        return
    sent = request.headers.get(HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            field = form.get(FIELD)
            sent = field if isinstance(field, str) else None
    has_binding = request.cookies.get(SESSION_COOKIE) or request.cookies.get(ANON_COOKIE)
    if not sent or not has_binding or not hmac.compare_digest(str(sent), csrf_token(request)):
        raise HTTPException(
            status_code=403,
            detail=gettext("The form has expired or was not sent from Proficio. Go back, reload the page and try again."),
        )
