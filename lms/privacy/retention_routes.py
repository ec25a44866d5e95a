"""/admin/retention: the retention registry as the worker applies it, and what its last run did."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from lms.privacy.retention import JOB_KIND, last_run
from lms.privacy.retention_registry import NO_PERSONAL_DATA, REGISTRY, RULES, rule_days
from lms.web.access import AdminUser
from lms.web.deps import DbSession
from lms.web.templating import render

router = APIRouter(prefix="/admin/retention")


@router.get("")
def retention_page(request: Request, db: DbSession, user: AdminUser) -> Response:
    days = rule_days(request.app.state.settings.retention)
    return render(
        request,
        "privacy/retention.html",
        {
            "rules": [(rule, days[rule.key]) for rule in RULES.values()],
            "entries": sorted(REGISTRY.values(), key=lambda entry: entry.table),
            "no_personal_data": sorted(NO_PERSONAL_DATA.items()),
            "last": last_run(db),
            "job_kind": JOB_KIND,
        },
    )
