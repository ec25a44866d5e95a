"""Subject access and erasure pages: "Your data" on /account, the admin's page for one person,
and an export's download page (its requester only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response

from lms.clock import utcnow
from lms.i18n import gettext
from lms.privacy.deps import OwnExport, PersonForAdmin
from lms.privacy.erasure import ACTION_LABELS, Action, erasure_plan, person_erase
from lms.privacy.models import ExportStatus
from lms.privacy.selectors import exports_for
from lms.privacy.service import ExportGone, PrivacyError, export_download, export_file_remove, export_gone_reason, export_request
from lms.privacy.views import view_record
from lms.web.access import AdminUser, SignedInUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.templating import redirect, render

router = APIRouter()

READY_MESSAGE = "Your export is being prepared. It usually takes a minute; this page shows it when it is ready."


@router.post("/account/exports")
def account_export_request(request: Request, db: DbSession, user: SignedInUser) -> Response:
    try:
        export_request(db, subject=user, by=user, client_ip=client_ip(request))
    except PrivacyError as exc:
        flash(request, str(exc), "error")
    else:
        db.commit()
        flash(request, READY_MESSAGE)
    return redirect(request, "/account#your-data")


def _admin_page(
    request: Request, db: DbSession, user: AdminUser, person: PersonForAdmin, status_code: int = 200, **ctx: object
) -> Response:
    assert person.id is not None and user.id is not None
    plan = erasure_plan(db, person=person)
    context = {
        "person": person,
        "exports": exports_for(db, requested_by_id=user.id, subject_id=person.id),
        "plan": plan,
        "action_labels": {action.value: label for action, label in ACTION_LABELS.items()},
        "law_rules": sorted({line.rule for line in plan if line.action == Action.LAW.value and line.count}),
        **ctx,
    }
    return render(request, "privacy/admin_person.html", context, status_code=status_code)


@router.get("/admin/users/{user_id:id}/data")
def admin_person_data(request: Request, db: DbSession, user: AdminUser, person: PersonForAdmin) -> Response:
    response = _admin_page(request, db, user, person)
    view_record(db, viewer=user, what="personal data page (Administration)", subject_ids=[person.id], path=request.url.path)
    return response


@router.post("/admin/users/{user_id:id}/exports")
def admin_export_request(request: Request, db: DbSession, user: AdminUser, person: PersonForAdmin) -> Response:
    try:
        export_request(db, subject=person, by=user, client_ip=client_ip(request))
    except PrivacyError as exc:
        return _admin_page(request, db, user, person, status_code=422, export_errors=field_errors(exc))
    db.commit()
    flash(request, gettext("The export of %(name)s’s data is being prepared. Only you can download it, once.") % {"name": person.name})
    return redirect(request, f"/admin/users/{person.id}/data#export")


@router.post("/admin/users/{user_id:id}/erase")
def admin_person_erase(
    request: Request,
    db: DbSession,
    user: AdminUser,
    person: PersonForAdmin,
    confirm: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    try:
        person_erase(db, person=person, by=user, confirm=confirm, settings=request.app.state.settings, client_ip=client_ip(request))
    except PrivacyError as exc:
        db.rollback()
        return _admin_page(request, db, user, person, status_code=422, erase_errors=field_errors(exc), confirm=confirm)
    db.commit()
    flash(request, gettext("The account’s personal data has been erased. It is now %(name)s.") % {"name": person.name})
    return redirect(request, f"/admin/users/{person.id}/data")


@router.get("/exports/{export_id:id}")
def export_page(request: Request, db: DbSession, user: SignedInUser, export: OwnExport) -> Response:
    gone = export_gone_reason(export, utcnow())
    if gone is not None:
        return render(request, "privacy/export_gone.html", {"export": export, "reason": gone}, status_code=410)
    return render(request, "privacy/export.html", {"export": export, "ready": export.status == ExportStatus.READY.value})


@router.post("/exports/{export_id:id}/download")
def export_download_post(request: Request, db: DbSession, user: SignedInUser, export: OwnExport) -> Response:
    settings = request.app.state.settings
    try:
        path = export_download(db, export=export, by=user, settings=settings, client_ip=client_ip(request))
    except ExportGone as exc:
        return render(request, "privacy/export_gone.html", {"export": export, "reason": str(exc)}, status_code=410)
    db.commit()
    name = f"personal-data-{export.subject_id}-{export.created_at:%Y-%m-%d}.zip"
    return FileResponse(
        path,
        media_type="application/zip",
        filename=name,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
        # Downloadable once: the file goes as soon as it has been sent.
        background=BackgroundTask(export_file_remove, settings, export),
    )
