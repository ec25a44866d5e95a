"""Admin page for background jobs: recent jobs by state, and a retry for failed ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from lms.i18n import N_, gettext
from lms.jobs.models import JobState
from lms.jobs.queue import JobError, job_retry
from lms.jobs.selectors import jobs_page
from lms.notifications.selectors import failed_messages
from lms.notifications.service import NotificationError, outbox_retry
from lms.privacy.retention import last_run as last_retention_run
from lms.privacy.retention_registry import RULES as RETENTION_RULES
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.paging import SHORT_ROWS, page_size, url_with
from lms.web.params import Id
from lms.web.templating import redirect, render
from lms.xapi.selectors import statement_counts

# Mounted under the admin router's /admin prefix.
router = APIRouter(prefix="/jobs")

STATES = [state.value for state in JobState]
STATE_LABELS = {"queued": N_("Queued"), "running": N_("Running"), "done": N_("Done"), "failed": N_("Failed")}


@router.get("")
def jobs(
    request: Request,
    db: DbSession,
    user: AdminUser,
    state: Annotated[str, Query(max_length=16)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    errors = {}
    if state and state not in STATES:
        errors["state"] = gettext("Choose a state from the list.")
        state = ""
    result = jobs_page(db, state=state or None, page=page, per_page=page_size(request, SHORT_ROWS))
    counts = result.extra["counts"]
    failed_total, failed = failed_messages(db)
    return render(
        request,
        "admin/jobs.html",
        {
            "state": state,
            "errors": errors,
            "result": result,
            "state_options": [
                (s, gettext("%(state)s (%(count)s)") % {"state": gettext(STATE_LABELS[s]), "count": counts.get(s, 0)}) for s in STATES
            ],
            "page_url": lambda n: url_with("/admin/jobs", {"state": state}, page=n),
            "failed_total": failed_total,
            "failed_messages": failed,
            "retention": last_retention_run(db),
            "retention_rules": RETENTION_RULES,
            "xapi_counts": statement_counts(db),
        },
        block="results",
        status_code=422 if errors else 200,
    )


@router.post("/{job_id:id}/retry")
def retry(request: Request, db: DbSession, user: AdminUser, job_id: Id) -> Response:
    try:
        job = job_retry(db, job_id=job_id, by=user, client_ip=client_ip(request))
        db.commit()
    except JobError as exc:
        db.rollback()
        flash(request, gettext("Could not retry: %(reason)s.") % {"reason": exc}, "error")
        return redirect(request, "/admin/jobs?state=failed")
    flash(request, gettext("Job %(id)s (%(kind)s) is queued again; a worker will run it shortly.") % {"id": job.id, "kind": job.kind})
    return redirect(request, "/admin/jobs?state=failed")


@router.post("/messages/{outbox_id:id}/retry")
def retry_message(request: Request, db: DbSession, user: AdminUser, outbox_id: Id) -> Response:
    try:
        outbox_retry(db, outbox_id=outbox_id, by=user, client_ip=client_ip(request))
        db.commit()
    except NotificationError as exc:
        db.rollback()
        flash(request, gettext("Could not send again: %(reason)s") % {"reason": exc}, "error")
        return redirect(request, "/admin/jobs#failed-messages")
    flash(request, gettext("Message %(id)s will be sent again within a minute.") % {"id": outbox_id})
    return redirect(request, "/admin/jobs#failed-messages")
