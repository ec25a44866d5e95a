"""Request body limits, enforced before anything reads or spools the body.

Every request body may be at most `FORM_MAX_KB`; a route that takes a file says how large the file may
be with `@body_limit(...)` under its route decorator, and may then receive that much more. A
Content-Length over the limit is answered 413 at once, without reading a byte; a body sent without one
(chunked) is counted as it streams and cut off at the limit, also with 413. The routes' own checks
still give the friendlier field error for a file just over its limit, since the body limit leaves
room for the other fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.routing import iter_route_contexts
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lms.config import Settings
from lms.i18n import gettext

FileLimit = int | Callable[[Settings], int]
_ATTR = "__body_limit__"


def body_limit(file_bytes: FileLimit) -> Callable:
    """Mark a route's endpoint as taking a file of up to `file_bytes` (or `file_bytes(settings)`)."""

    def mark(endpoint: Callable) -> Callable:
        setattr(endpoint, _ATTR, file_bytes)
        return endpoint

    return mark


class BodyTooLarge(Exception):
    """Raised from `receive` when a streamed body passes the limit."""


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{max(n // 1024, 1)} KB"


class BodyLimitMiddleware:
    """Pure ASGI, so the limit applies before Starlette parses a form or spools a file to disk."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.form_max = settings.form_max_kb * 1024
        self._marked: list[tuple[re.Pattern, set[str], int]] | None = None

    def _routes_with_files(self, scope: Scope) -> list[tuple[re.Pattern, set[str], int]]:
        if self._marked is None:
            marked = []
            # Routers stay nested in the app; their contexts carry each route's effective path.
            for ctx in iter_route_contexts(getattr(scope.get("app"), "routes", [])):
                file_limit = getattr(ctx.endpoint, _ATTR, None)
                if file_limit is not None:
                    size = file_limit(self.settings) if callable(file_limit) else file_limit
                    marked.append((compile_path(ctx.path)[0], set(ctx.methods or ()), size + self.form_max))
            self._marked = marked
        return self._marked

    def limit_for(self, scope: Scope) -> int:
        for path_regex, methods, limit in self._routes_with_files(scope):
            if scope["method"] in methods and path_regex.match(scope["path"]):
                return limit
        return self.form_max

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or len(declared) > 18:
                await _too_large(scope, send, limit, status=400)
                return
            if int(declared) > limit:
                await _too_large(scope, send, limit)
                return

        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # whatever the app made of the cut-off body, the answer is 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            pass
        if exceeded and not started:
            await _too_large(scope, send, limit)


async def _too_large(scope: Scope, send: Send, limit: int, *, status: int = 413) -> None:
    if status == 400:
        message = gettext("The request’s Content-Length is not a number.")
    else:
        message = gettext(
            "Too much data was sent: at most %(size)s is accepted here. If you were uploading a file, choose a smaller one."
        ) % {"size": _mb(limit)}
    request = Request(scope)
    if scope["path"].startswith("/scim/"):
        from lms.web.errors import scim_error

        response: Response = scim_error(status, message)
    elif scope["path"].startswith("/api/"):
        response = JSONResponse({"detail": message}, status_code=status)
    else:
        from lms.web.templating import render  # the templates need the app's settings; import when used

        request.state.user, request.state.roles = None, frozenset()
        title = gettext("Too much data sent") if status == 413 else gettext("Bad request")
        response = render(
            request, "errors/error.html", {"status": status, "title": title, "message": message}, block="content", status_code=status
        )
    # The unread body may still be arriving: ask the client not to reuse the connection.
    response.headers["Connection"] = "close"
    await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
