"""A person's notifications in the app, their choices on /account, and one-click unsubscribe from mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from starlette.responses import Response

from lms.notifications.kinds import KINDS, configurable_kinds
from lms.notifications.pages import preferences_context
from lms.notifications.selectors import notifications_page
from lms.notifications.service import NotificationError, notifications_mark_read, preference_set, unsubscribe
from lms.notifications.tokens import unsubscribe_check
from lms.web.access import Access, SignedInUser, policy
from lms.web.csrf import csrf_exempt
from lms.web.deps import DbSession
from lms.i18n import gettext, lazy_gettext
from lms.web.flash import flash
from lms.web.paging import ListFilters, page_size
from lms.web.templating import is_partial, redirect, render

router = APIRouter()
Token = Annotated[str, Path(max_length=200)]
SAVED = lazy_gettext("Your notification choices are saved.")


@dataclass(kw_only=True)
class NotificationFilters(ListFilters):
    unread: bool = False


def notification_filters(
    unread: Annotated[bool, Query()] = False, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1
) -> NotificationFilters:
    return NotificationFilters(unread=unread, page=page)


@router.get("/notifications")
def notifications(
    request: Request, db: DbSession, user: SignedInUser, filters: Annotated[NotificationFilters, Depends(notification_filters)]
) -> Response:
    assert user.id is not None
    result = notifications_page(db, user_id=user.id, unread_only=filters.unread, page=filters.page, per_page=page_size(request))
    return render(
        request,
        "notifications/list.html",
        {"result": result, "filters": filters, "page_url": lambda n: filters.url("/notifications", page=n)},
        block="results",
    )


@router.post("/notifications/read")
def notifications_read(request: Request, db: DbSession, user: SignedInUser) -> Response:
    count = notifications_mark_read(db, user=user)
    db.commit()
    flash(request, gettext("Marked all as read.") if count else gettext("Nothing was unread."))
    return redirect(request, "/notifications")


async def posted_choices(request: Request) -> dict[str, str]:
    """The form's choice for each kind a person may choose for (a field named after the kind)."""
    form = await request.form()
    return {k.code: value for k in configurable_kinds() if isinstance(value := form.get(k.code), str)}


@router.post("/account/notifications")
def account_notifications(
    request: Request, db: DbSession, user: SignedInUser, chosen: Annotated[dict[str, str], Depends(posted_choices)]
) -> Response:
    errors: dict[str, str] = {}
    for kind, delivery in chosen.items():
        try:
            preference_set(db, user=user, kind=kind, delivery=delivery)
        except NotificationError as exc:
            errors[exc.field or kind] = str(exc)
    if errors:
        db.rollback()
        return render(
            request,
            "account/account.html",
            preferences_context(db, user=user, chosen=chosen, errors=errors),
            block="notifications",
            status_code=422,
        )
    db.commit()
    if is_partial(request):
        # Not HX-Redirect: from /account to /account#notifications is a fragment-only navigation and the
        # page would not reload, so htmx gets the section and the confirmation (out of band) instead.
        ctx = {**preferences_context(db, user=user), "notification_saved": str(SAVED)}
        return render(request, "account/account.html", ctx, block="notifications")
    flash(request, str(SAVED))
    return redirect(request, "/account#notifications")


def _token_or_404(request: Request, token: str) -> tuple[int, str]:
    found = unsubscribe_check(request.app.state.secret_key, token)
    if found is None:
        raise HTTPException(
            status_code=404, detail=gettext("This unsubscribe link is not valid. Sign in and choose on your account page.")
        )
    return found


@router.get("/unsubscribe/{unsubscribe_token}", dependencies=[policy(Access.PUBLIC)])
def unsubscribe_page(request: Request, unsubscribe_token: Token) -> Response:
    _user_id, kind = _token_or_404(request, unsubscribe_token)
    return render(request, "notifications/unsubscribe.html", {"token": unsubscribe_token, "what": _what(kind), "done": None})


# No CSRF token: mail clients post the one-click unsubscribe (RFC 8058) from outside any session, and
# the signed token in the address is the request's authentication; all it can do is quieten one kind.
@router.post("/unsubscribe/{unsubscribe_token}", dependencies=[policy(Access.PUBLIC)])
@csrf_exempt
def unsubscribe_post(request: Request, db: DbSession, unsubscribe_token: Token) -> Response:
    user_id, kind = _token_or_404(request, unsubscribe_token)
    outcome = unsubscribe(db, user_id=user_id, kind=kind)
    if outcome is None:
        raise HTTPException(
            status_code=404, detail=gettext("This unsubscribe link is not valid. Sign in and choose on your account page.")
        )
    db.commit()
    return render(request, "notifications/unsubscribe.html", {"token": unsubscribe_token, "what": _what(kind), "done": outcome})


def _what(kind: str) -> str:
    if kind == "digest_daily":
        return gettext("daily digest messages")
    if kind == "digest_weekly":
        return gettext("weekly digest messages")
    return gettext("“%(kind)s” messages") % {"kind": gettext(KINDS[kind].label)} if kind in KINDS else gettext("these messages")
