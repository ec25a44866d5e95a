"""The audit log page for admins. Read-only: no route edits or deletes an event."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from lms.i18n import gettext
from lms.web.paging import SHORT_ROWS, page_size
from lms.audit.selectors import AuditFilters, audit_actions, audit_page, audit_target_types, detail_view
from lms.web.access import AdminUser
from lms.web.deps import DbSession
from lms.web.templating import render

router = APIRouter(prefix="/admin/audit")

Short = Annotated[str, Query(max_length=320)]


def _parse_date(raw: str, field: str, message: str, errors: dict) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[field] = message
        return None


@router.get("")
def audit_log(
    request: Request,
    db: DbSession,
    user: AdminUser,
    action: Short = "",
    actor: Short = "",
    target_type: Short = "",
    target_id: Short = "",
    date_from: Short = "",
    date_to: Short = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    errors: dict[str, str] = {}
    filters = AuditFilters(
        action=action.strip(),
        actor=actor.strip(),
        target_type=target_type.strip(),
        target_id=target_id.strip(),
        date_from=_parse_date(date_from, "date_from", gettext("Enter the from date as YYYY-MM-DD, for example 2026-03-31."), errors),
        date_to=_parse_date(date_to, "date_to", gettext("Enter the to date as YYYY-MM-DD, for example 2026-03-31."), errors),
        page=page,
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["date_to"] = gettext("The 'to' date must be the same as or after the 'from' date.")
    return render(
        request,
        "admin/audit.html",
        {
            "filters": filters,
            "raw_dates": {"date_from": date_from, "date_to": date_to},
            "errors": errors,
            "result": audit_page(db, filters, page_size(request, SHORT_ROWS)),
            "action_options": [(a, a) for a in audit_actions(db)],
            "target_options": [(t, t) for t in audit_target_types(db)],
            "page_url": lambda n: filters.url("/admin/audit", page=n),
            "detail_view": detail_view,
        },
        block="results",
        status_code=422 if errors else 200,
    )
