"""One-shot messages shown on the next page, carried in a signed cookie."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from lms.web import signing
from lms.web.cookies import FLASH_COOKIE, clear_cookie, set_cookie

PURPOSE = "flash"


def flash(request: Request, message: str, category: str = "success") -> None:
    """Queue a message; it is written to the cookie by the response helpers."""
    pending = getattr(request.state, "flashes_out", None)
    if pending is None:
        pending = request.state.flashes_out = []
    pending.append({"message": message, "category": category})


def pop_flashes(request: Request) -> list[dict]:
    if getattr(request.state, "flashes_in_consumed", False):
        return []
    request.state.flashes_in_consumed = True
    data = signing.loads(request.app.state.secret_key, PURPOSE, request.cookies.get(FLASH_COOKIE))
    return data if isinstance(data, list) else []


def write_flashes(request: Request, response: Response) -> None:
    pending = getattr(request.state, "flashes_out", None)
    if pending:
        set_cookie(response, request, FLASH_COOKIE, signing.dumps(request.app.state.secret_key, PURPOSE, pending))
    elif getattr(request.state, "flashes_in_consumed", False) and request.cookies.get(FLASH_COOKIE):
        clear_cookie(response, request, FLASH_COOKIE)
