"""Security headers on every response."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
HEADERS = {
    b"content-security-policy": CSP.encode(),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
}
# Browsers that saw this over HTTPS use only HTTPS for the site for a year (sent when COOKIE_SECURE is on,
# which says the site is served over HTTPS).
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
_OWN_POLICY = "__own_csp__"
F = TypeVar("F", bound=Callable[..., object])


def own_csp(policy: str) -> Callable[[F], F]:
    """Mark one route whose answers carry `policy` instead of the app's CSP, and which our own pages
    may frame (frame-ancestors 'self', X-Frame-Options SAMEORIGIN). Only for content that cannot
    live under the app's policy and is shown in a sandboxed frame of ours: SCORM packages
    (courses/packages/serve_routes.py), whose vendor scripts are inline and use eval."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, _OWN_POLICY, f"{policy}; frame-ancestors 'self'".encode())
        return endpoint

    return mark


class SecurityHeadersMiddleware:
    """Pure ASGI so it adds headers without buffering streamed bodies."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False, img_origin: str = "", form_origin: str = "") -> None:
        self.app = app
        headers = dict(HEADERS)
        csp = CSP
        if img_origin:
            # The organisation's logo may live on its own https site (ORG_LOGO_URL); only that origin is added.
            csp = csp.replace("img-src 'self' data:", f"img-src 'self' data: {img_origin}")
        if form_origin:
            # Sign-out's form is redirected on to the single sign-on provider's end-session endpoint, and
            # browsers hold a form's redirects to form-action too; only the provider's origin is added.
            csp = csp.replace("form-action 'self'", f"form-action 'self' {form_origin}")
        headers[b"content-security-policy"] = csp.encode()
        self.headers = [*headers.items(), HSTS] if hsts else list(headers.items())
        self.names = {k for k, _ in self.headers}

    def _framed(self, policy: bytes) -> list[tuple[bytes, bytes]]:
        replaced = {b"content-security-policy": policy, b"x-frame-options": b"SAMEORIGIN"}
        return [(name, replaced.get(name, value)) for name, value in self.headers]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in self.names]
                own = getattr(scope.get("endpoint"), _OWN_POLICY, None)
                if own is None:
                    headers.extend(self.headers)
                else:
                    headers.extend(self._framed(own))
                if not is_static and not any(k.lower() == b"cache-control" for k, _ in headers):
                    # Pages can show personal data; nothing but static files may be cached.
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
