"""The administration landing page: one place that leads to every admin area."""

from fastapi import Request
from starlette.responses import Response

from lms.admin.selectors import admin_figures
from lms.web.access import AdminUser
from lms.web.deps import DbSession
from lms.web.templating import render


def admin_index(request: Request, db: DbSession, user: AdminUser) -> Response:
    return render(request, "admin/index.html", {"figures": admin_figures(db)})
