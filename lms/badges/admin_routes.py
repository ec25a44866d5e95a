"""Admin pages for Open Badges: every credential issued, and revoking one with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from lms.badges.deps import AnyCredential
from lms.badges.selectors import issued_page
from lms.badges.service import REASON_MAX, BadgeError, credential_revoke
from lms.i18n import gettext
from lms.web.access import AdminUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.paging import page_size
from lms.web.params import PageNo
from lms.web.templating import redirect, render

router = APIRouter(prefix="/admin/badges")


def _list(request: Request, db: DbSession, *, q: str = "", page: int = 1, errors: dict | None = None) -> Response:
    size = page_size(request)
    rows, total = issued_page(db, q=q, page=page, size=size)
    context = {"rows": rows, "total": total, "q": q, "page": page, "pages": max((total + size - 1) // size, 1)}
    return render(
        request,
        "badges/admin_list.html",
        {**context, "errors": errors or {}, "reason_max": REASON_MAX},
        status_code=422 if errors else 200,
    )


@router.get("")
def badges_issued(
    request: Request, db: DbSession, user: AdminUser, q: Annotated[str, Query(max_length=200)] = "", page: PageNo = 1
) -> Response:
    return _list(request, db, q=q.strip(), page=page)


@router.post("/{credential_id:id}/revoke")
def badge_revoke_admin(
    request: Request, db: DbSession, user: AdminUser, credential: AnyCredential, reason: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    try:
        credential_revoke(db, credential=credential, by=user, reason=reason)
    except BadgeError as exc:
        db.rollback()
        return _list(request, db, errors=field_errors(exc))
    db.commit()
    flash(
        request,
        gettext("The credential %(name)s is revoked: anyone who checks it is now told so.") % {"name": credential.achievement_name},
    )
    return redirect(request, "/admin/badges")
