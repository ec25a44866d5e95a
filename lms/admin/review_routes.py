"""Admin page "Accounts to review": leavers nobody deactivated, and provisioned accounts with no place yet."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from lms.admin.review_selectors import MAX_SELECTED, ORIGIN_LABELS, ReviewFilters, active_people, stale_page, unplaced_page
from lms.clock import utcnow
from lms.i18n import format_number, gettext, ngettext
from lms.people.review import MAX_STALE_DAYS, STALE_DAYS
from lms.people.selectors import org_units_with_paths
from lms.people.service import users_set_active
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.paging import page_size
from lms.web.params import MAX_PAGE, parse_id, parse_int
from lms.web.templating import redirect, render

router = APIRouter(prefix="/users/review")

BASE = "/admin/users/review"
DAY_CHOICES = (30, 60, 90, 180, 365)


def _filters(days: str, page: int = 1, unplaced: int = 1) -> ReviewFilters:
    return ReviewFilters(days=parse_int(days, 1, MAX_STALE_DAYS) or STALE_DAYS, page=page, unplaced_page=unplaced)


def _review_page(
    request: Request, db: DbSession, filters: ReviewFilters, errors: dict | None = None, status_code: int = 200
) -> Response:
    per_page = page_size(request)
    stale = stale_page(db, filters, per_page, utcnow())
    unplaced = unplaced_page(db, filters.unplaced_page, per_page)
    return render(
        request,
        "admin/users_review.html",
        {
            "filters": filters,
            "stale": stale,
            "unplaced": unplaced,
            "errors": errors or {},
            "origin_labels": ORIGIN_LABELS,
            "day_options": [(str(d), f"{d} days") for d in sorted({*DAY_CHOICES, filters.days})],
            "unit_paths": {u.id: path for u, path in org_units_with_paths(db)},
            "stale_url": lambda n: filters.url(BASE, page=n),
            "unplaced_url": lambda n: filters.url(BASE, unplaced_page=n),
        },
        block="results",
        status_code=status_code,
    )


@router.get("")
def review(
    request: Request,
    db: DbSession,
    user: AdminUser,
    days: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    unplaced_page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    return _review_page(request, db, _filters(days, page, unplaced_page))


Ids = Annotated[list[str], Form(max_length=20)]


@router.post("/deactivate")
def review_deactivate(
    request: Request,
    db: DbSession,
    user: AdminUser,
    person: Ids = [],
    days: Annotated[str, Form(max_length=10)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """First post: a page naming who would be deactivated (nothing changes); with ``confirm``: deactivate them."""
    filters = _filters(days)
    ids = [i for i in (parse_id(raw) for raw in person[:MAX_SELECTED]) if i is not None]
    people = [p for p in active_people(db, ids) if p.id != user.id]
    if not people:
        message = "Select at least one active account to deactivate."
        if user.id in ids:
            message = "You cannot deactivate your own account; ask another admin."
        return _review_page(request, db, filters, errors={"form": message}, status_code=422)
    if not confirm:
        return render(request, "admin/users_review_confirm.html", {"people": people, "filters": filters, "back": filters.url(BASE)})
    # The admin's own account is left out above, the one refusal users_set_active has.
    users_set_active(db, users=people, active=False, by=user, client_ip=client_ip(request))
    db.commit()
    names = ", ".join(p.name for p in people[:5])
    if len(people) > 5:
        names = gettext("%(names)s and %(more)s more") % {"names": names, "more": format_number(len(people) - 5)}
    flash(
        request,
        ngettext(
            "Deactivated %(count)s account (%(names)s): signed out everywhere; their records are kept. "
            "Reactivate from each person’s page.",
            "Deactivated %(count)s accounts (%(names)s): signed out everywhere; their records are kept. "
            "Reactivate from each person’s page.",
            len(people),
        )
        % {"count": format_number(len(people)), "names": names},
    )
    return redirect(request, filters.url(BASE))
