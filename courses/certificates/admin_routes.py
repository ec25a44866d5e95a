"""Admin pages for certificates: find one by code or holder's e-mail, and revoke it with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from lms.clock import utcnow
from lms.i18n import gettext
from lms.web.access import AdminUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.paging import page_size
from lms.web.params import PageNo
from lms.web.templating import redirect, render

from courses.certificates.deps import AnyCertificate
from courses.certificates.selectors import CertificateFilters, certificate_view, certificates_page
from courses.certificates.service import REASON_MAX, CertificateError, certificate_revoke

router = APIRouter(prefix="/admin/certificates")


@router.get("")
def certificates_list(
    request: Request, db: DbSession, user: AdminUser, q: Annotated[str, Query(max_length=200)] = "", page: PageNo = 1
) -> Response:
    filters = CertificateFilters(q=q.strip(), page=page)
    return render(
        request,
        "courses/certificates/admin_list.html",
        {
            "filters": filters,
            "result": certificates_page(db, filters, page_size(request)),
            "now": utcnow(),
            "page_url": lambda n: filters.url("/admin/certificates", page=n),
        },
        block="results",
    )


def _revoke_page(request: Request, db: DbSession, certificate_id: int, *, reason: str = "", errors: dict | None = None) -> Response:
    return render(
        request,
        "courses/certificates/admin_revoke.html",
        {
            "certificate": certificate_view(db, certificate_id),
            "reason": reason,
            "errors": errors or {},
            "reason_max": REASON_MAX,
            "now": utcnow(),
        },
        status_code=422 if errors else 200,
    )


@router.get("/{certificate_id:id}/revoke")
def certificate_revoke_confirm(request: Request, db: DbSession, user: AdminUser, certificate: AnyCertificate) -> Response:
    return _revoke_page(request, db, certificate.id)


@router.post("/{certificate_id:id}/revoke")
def certificate_revoke_post(
    request: Request,
    db: DbSession,
    user: AdminUser,
    certificate: AnyCertificate,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        certificate_revoke(db, certificate=certificate, reason=reason, by=user)
    except CertificateError as exc:
        db.rollback()
        return _revoke_page(request, db, certificate.id, reason=reason, errors=field_errors(exc))
    db.commit()
    flash(request, gettext("Certificate %(code)s is revoked. Its verification page now says so.") % {"code": certificate.code})
    return redirect(request, f"/admin/certificates?q={certificate.code}")
