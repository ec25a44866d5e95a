"""The signed-in home page and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.responses import Response

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


@router.get("/healthz", dependencies=[policy(Access.PUBLIC)], include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return JSONResponse({"status": "error", "database": "error"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
