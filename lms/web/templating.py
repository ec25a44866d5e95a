"""Rendering pages and htmx fragments from one template per view."""

from __future__ import annotations

from typing import Any
from pathlib import Path

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import RedirectResponse, Response

from lms.config import PROJECT_ROOT
from lms.web.cookies import ANON_COOKIE, set_cookie
from lms.web.csrf import csrf_token
from lms.web.flash import pop_flashes, write_flashes

TEMPLATES_DIR = Path(PROJECT_ROOT) / "templates"
templates = Jinja2Blocks(directory=str(TEMPLATES_DIR))


def is_partial(request: Request) -> bool:
    """An htmx request that replaces part of a page (not boosted, not a history restore)."""
    h = request.headers
    return h.get("HX-Request") == "true" and h.get("HX-Boosted") != "true" and h.get(
        "HX-History-Restore-Request"
    ) != "true"


def finish(request: Request, response: Response) -> Response:
    """Cookies every response may need: flashes and the anonymous CSRF binding."""
    write_flashes(request, response)
    if getattr(request.state, "set_anon_cookie", False):
        set_cookie(response, request, ANON_COOKIE, request.state.anon_id, max_age=60 * 60 * 24)
    return response


def render(
    request: Request,
    name: str,
    context: dict | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict | None = None,
) -> Response:
    """The whole page, or only ``block`` when an htmx request targets part of it."""
    ctx: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "roles": getattr(request.state, "roles", frozenset()),
        "csrf_token": getattr(request.state, "csrf_override", None) or csrf_token(request),
        "flashes": pop_flashes(request),
    }
    ctx.update(context or {})
    kwargs = {"block_name": block} if block and is_partial(request) else {}
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers, **kwargs)
    response.headers["Vary"] = "HX-Request"
    return finish(request, response)


def redirect(request: Request, url: str) -> Response:
    """Redirect after POST: 303 for plain forms, HX-Redirect for htmx so the whole page changes."""
    if request.headers.get("HX-Request") == "true":
        response: Response = Response(status_code=200, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    return finish(request, response)
