"""Error handlers that answer with a page, or a fragment for htmx, never a traceback."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from sqlmodel import Session

from lms.web.access import NotSignedIn
from lms.web.deps import load_user
from lms.web.templating import redirect, render

log = logging.getLogger("lms.errors")

TITLES = {
    400: "Bad request",
    403: "You do not have access",
    404: "Page not found",
    405: "Not allowed",
    422: "Please check what you entered",
    500: "Something went wrong",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _error_page(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    if not hasattr(request.state, "user"):
        # 404s for unknown paths run no route dependency; look the user up for the navigation.
        try:
            with Session(request.app.state.engine) as db:
                load_user(request, db)
        except Exception:  # a broken database must not hide the original error
            request.state.user, request.state.roles = None, frozenset()
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": TITLES.get(status, "Error"), "message": message},
        block="content",
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return redirect(request, f"/login?next={quote(target, safe='')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        if exc.status_code == 404 and message == "Not Found":
            message = "We could not find that page. It may have moved, or you may not have access to it."
        response = _error_page(request, exc.status_code, message)
        if exc.headers:  # e.g. WWW-Authenticate on the API's 401
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            # The shape the API's OpenAPI schema documents for 422 (FastAPI's HTTPValidationError).
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        fields = ", ".join(str(e["loc"][-1]) for e in exc.errors())
        return _error_page(request, 422, f"Some values were missing or not valid: {fields}.")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("Unhandled error on %s %s", request.method, request.url.path)
        return _error_page(request, 500, "An unexpected error occurred. It has been logged; please try again.")
