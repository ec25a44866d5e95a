"""The administration landing page: one place that leads to every admin area."""

from fastapi import Request
from sqlalchemy import func, select as sa_select
from starlette.responses import Response

from lms.competences.models import Framework, JobProfile
from lms.people.models import OrgUnit, User
from lms.web.access import AdminUser
from lms.web.deps import DbSession
from lms.web.templating import render

def _count(db, model, *where) -> int:
    return db.exec(sa_select(func.count()).select_from(model).where(*where)).scalar_one()


def admin_index(request: Request, db: DbSession, user: AdminUser) -> Response:
    figures = {
        "users": _count(db, User, User.is_active),
        "units": _count(db, OrgUnit),
        "frameworks": _count(db, Framework),
        "profiles": _count(db, JobProfile),
    }
    return render(request, "admin/index.html", {"figures": figures})
