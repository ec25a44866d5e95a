"""Error handlers that answer with a page, or a fragment for htmx, never a traceback."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from sqlalchemy import exc as sa_exc
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from sqlmodel import Session

from lms.i18n import gettext, lazy_gettext
from lms.web.access import NotSignedIn
from lms.web.capacity import DatabaseBusy
from lms.web.deps import load_user
from lms.web.templating import redirect, render

log = logging.getLogger("lms.errors")

TITLES = {
    400: lazy_gettext("Bad request"),
    403: lazy_gettext("You do not have access"),
    404: lazy_gettext("Page not found"),
    405: lazy_gettext("Not allowed"),
    422: lazy_gettext("Please check what you entered"),
    500: lazy_gettext("Something went wrong"),
    503: lazy_gettext("Proficio is unavailable for a moment"),
}
NOT_FOUND = lazy_gettext("We could not find that page. It may have moved, or you may not have access to it.")


def _title(status: int) -> str:
    return str(TITLES.get(status) or gettext("Error"))


# Seconds a client is asked to wait: a full pool drains in moments; a database that went away
# (a restart, a failover) takes longer to come back.
RETRY_AFTER_BUSY = 5
RETRY_AFTER_UNAVAILABLE = 30
# Errors that say the database cannot be reached or used now, not that the code is wrong: a server
# that is down or restarting, a pool that stayed full, a SQLite file that cannot be written.
UNAVAILABLE = (DatabaseBusy, sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def scim_error(status: int, message: str) -> Response:
    """RFC 7644 §3.12's Error body, for /scim/v2 answers made outside its routes (unknown paths, 405,
    413, 503, 500): a directory's connector reads these, never a page."""
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": str(status), "detail": message}
    return JSONResponse(body, status_code=status, media_type="application/scim+json")


async def _error_page(request: Request, status: int, message: str, *, look_up_user: bool = True) -> Response:
    if request.url.path.startswith("/scim/"):
        return scim_error(status, message)
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    if not hasattr(request.state, "user") and look_up_user:
        await _load_user_for_navigation(request)
    if not hasattr(request.state, "user"):
        request.state.user, request.state.roles = None, frozenset()
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": _title(status), "message": message},
        block="content",
        status_code=status,
    )


async def _load_user_for_navigation(request: Request) -> None:
    """404s for unknown paths run no route dependency; show the navigation of whoever asked."""
    try:
        # A slot of its own, briefly: the page is still useful without a name in the header.
        async with request.app.state.db_gate.slot(timeout=0.1):

            def load() -> None:
                with Session(request.app.state.engine) as db:
                    load_user(request, db)

            await run_in_threadpool(load)
    except Exception:  # noqa: BLE001 - a busy or broken database must not hide the original error
        request.state.user, request.state.roles = None, frozenset()


def _unavailable(exc: Exception) -> tuple[str, int]:
    """The message and Retry-After seconds for a database that is busy or away."""
    busy = isinstance(exc, (DatabaseBusy, sa_exc.TimeoutError))
    if busy:
        message = gettext("Too many people are using Proficio right now. Please try again in a few seconds.")
    else:
        message = gettext("Proficio cannot reach its database at the moment. Please try again shortly.")
    return message, (RETRY_AFTER_BUSY if busy else RETRY_AFTER_UNAVAILABLE)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return redirect(request, f"/login?next={quote(target, safe='')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else _title(exc.status_code)
        if exc.status_code == 404 and message == "Not Found":
            message = str(NOT_FOUND)
        elif exc.status_code == 405 and message == "Method Not Allowed":
            message = _title(405)
        response = await _error_page(request, exc.status_code, message)
        if exc.headers:  # e.g. WWW-Authenticate on the API's 401
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            # The shape the API's OpenAPI schema documents for 422 (FastAPI's HTTPValidationError).
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        if any(e["loc"][:1] == ("path",) for e in exc.errors()):
            # A page's id outside lms.web.params.Id names nothing: not found, like a missing id. (The
            # API keeps its documented 422, whose schema states the bounds.)
            return await _error_page(request, 404, str(NOT_FOUND))
        fields = ", ".join(str(e["loc"][-1]) for e in exc.errors())
        return await _error_page(request, 422, gettext("Some values were missing or not valid: %(fields)s.") % {"fields": fields})

    async def database_unavailable(request: Request, exc: Exception) -> Response:
        # One line, not a traceback: an operator sees it in a burst, and the cause is outside the code.
        reason = (str(getattr(exc, "orig", None) or exc).splitlines() or [type(exc).__name__])[0]
        log.warning("Database unavailable on %s %s: %s", request.method, request.url.path, reason)
        message, retry_after = _unavailable(exc)
        response = await _error_page(request, 503, message, look_up_user=False)
        response.headers["Retry-After"] = str(retry_after)
        return response

    for exc_class in UNAVAILABLE:
        app.add_exception_handler(exc_class, database_unavailable)


class ServerErrorPage:
    """The 500 page for any unhandled exception, as a pure ASGI middleware.

    Starlette's own handler for Exception re-raises after answering, and uvicorn then closes the
    connection, so a client's next keep-alive request on it failed. Here the exception ends with
    the answer; only an exception after the response has started still reaches the server.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception:
            if started:
                raise
            request = Request(scope, receive)
            log.exception("Unhandled error on %s %s", request.method, request.url.path)
            response = await _error_page(request, 500, gettext("An unexpected error occurred. It has been logged; please try again."))
            await response(scope, receive, send)
