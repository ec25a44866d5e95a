"""Admin page for sign-in throttling: which accounts and addresses wait now, and letting them try again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from lms.auth.throttle import ThrottleNotFound, throttle_clear, throttle_clear_account, throttles_active
from lms.clock import utcnow
from lms.i18n import gettext
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.templating import redirect, render

# Mounted under the admin router's /admin prefix.
router = APIRouter(prefix="/sign-in-throttles")
PAGE = "/admin/sign-in-throttles"


@router.get("")
def throttles(request: Request, db: DbSession, user: AdminUser) -> Response:
    settings = request.app.state.settings
    now = utcnow()
    return render(
        request,
        "admin/throttles.html",
        {
            "rows": throttles_active(db, settings=settings, now=now),
            "now": now,
            "settings": settings,
        },
    )


@router.post("/clear")
def throttles_clear(
    request: Request,
    db: DbSession,
    user: AdminUser,
    key: Annotated[str, Form(max_length=400)] = "",
    account: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    try:
        if account:
            throttle_clear_account(db, account=account, by=user, client_ip=client_ip(request))
            message = gettext("%(account)s can sign in again from anywhere, without waiting.") % {"account": account}
        else:
            row = throttle_clear(db, key=key, by=user, client_ip=client_ip(request))
            who = row.account or row.client_ip
            message = (
                gettext("Cleared: %(who)s can try again without waiting.") % {"who": who}
                if who
                else gettext("Cleared: that counter can be tried again without waiting.")
            )
        db.commit()
    except ThrottleNotFound:
        db.rollback()
        flash(request, gettext("That sign-in wait had already ended or been cleared."), "error")
        return redirect(request, PAGE)
    flash(request, message)
    return redirect(request, PAGE)
