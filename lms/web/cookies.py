"""Cookie names and the one place that sets their flags."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "proficio_session"
ANON_COOKIE = "proficio_anon"
FLASH_COOKIE = "proficio_flash"
# Set at a successful sign-in (signed: account + random device id); sign-ins from that device are
# throttled on their own, so failures from elsewhere never lock the owner out (lms.auth.throttle).
DEVICE_COOKIE = "proficio_device"


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int | None = None) -> None:
    settings = request.app.state.settings
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", secure=settings.cookie_secure, path="/")


def clear_cookie(response: Response, request: Request, name: str) -> None:
    settings = request.app.state.settings
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=settings.cookie_secure)
