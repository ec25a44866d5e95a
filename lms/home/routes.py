"""The signed-in home page and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from lms.db import DatabaseNotWritable, check_writable
from lms.home import selectors
from lms.people.models import Role
from lms.web.access import Access, SignedInUser, policy
from lms.web.deps import DbSession
from lms.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request, db: DbSession, user: SignedInUser) -> Response:
    roles = request.state.roles
    context = {"me": selectors.employee_figures(db, user)}
    if Role.MANAGER in roles:
        context["team"] = selectors.manager_figures(db, user.id)
    if Role.ADMIN in roles:
        context["admin"] = selectors.admin_figures(db)
    return render(request, "home/dashboard.html", context)


@router.get("/healthz", dependencies=[policy(Access.OPEN)], include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    """200 when a new connection can read and write the database, else 503 saying which failed.

    Uses its own short-lived connection, never the session cookie or the request pool: it answers
    the same with or without a cookie, and while every pooled connection is busy.
    """
    try:
        # One connection: it connects and reads (the UPDATE finds its row), then tries the write.
        check_writable(request.app.state.probe_engine)
    except DatabaseNotWritable:
        return _unhealthy(database="read-only")
    except Exception:  # noqa: BLE001 - whatever stops the probe, the database is not usable
        return _unhealthy(database="unreachable")
    return JSONResponse({"status": "ok", "database": "ok"})


def _unhealthy(*, database: str) -> JSONResponse:
    return JSONResponse({"status": "error", "database": database}, status_code=503, headers={"Retry-After": "30"})
