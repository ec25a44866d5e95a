"""My certificates (list and PDF download) and the public check of a certificate by its code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from lms.clock import utcnow
from lms.web.access import Access, SignedInUser, policy
from lms.web.deps import DbSession
from lms.web.templating import render

from courses.certificates.admin_routes import router as admin_router
from courses.certificates.codes import code_normalise
from courses.certificates.deps import OwnCertificate
from courses.certificates.pdf import certificate_pdf
from courses.certificates.selectors import certificate_by_code, certificate_competences, my_certificates

router = APIRouter()
router.include_router(admin_router)

# Verification answers must never be served stale from a cache (a revocation shows at once), and a
# page per code is nothing a search engine should list.
VERIFY_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


@router.get("/learning/certificates")
def certificates_mine(request: Request, db: DbSession, user: SignedInUser) -> Response:
    return render(request, "courses/certificates/mine.html", {"certificates": my_certificates(db, user.id), "now": utcnow()})


@router.get("/learning/certificates/{certificate_id:id}.pdf")
def certificate_download(request: Request, db: DbSession, user: SignedInUser, certificate: OwnCertificate) -> Response:
    settings = request.app.state.settings
    base = (settings.base_url or str(request.base_url)).rstrip("/")
    content = certificate_pdf(
        certificate,
        org_name=settings.org_name,
        verify_url=f"{base}/verify/{certificate.code}",
        now=utcnow(),
        competences=certificate_competences(db, certificate.course_id),
    )
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{certificate.code}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/verify", dependencies=[policy(Access.PUBLIC)])
def verify_form(request: Request, db: DbSession, code: Annotated[str, Query(max_length=100)] = "") -> Response:
    """The form to type a code in; submitted (GET, so it works without JavaScript) it shows the answer here."""
    if not code.strip():
        return render(request, "courses/certificates/verify.html", {"asked": False, "code": "", "typed": ""}, headers=VERIFY_HEADERS)
    return _verify_page(request, db, code)


@router.get("/verify/{code}", dependencies=[policy(Access.PUBLIC)])
def verify(request: Request, db: DbSession, code: Annotated[str, Path(max_length=100)]) -> Response:
    return _verify_page(request, db, code)


def _verify_page(request: Request, db: DbSession, raw: str) -> Response:
    # An unknown code and a malformed one get exactly the same page as each other: nothing tells
    # a visitor whether some certificate once had that code.
    found = certificate_by_code(db, raw)
    now = utcnow()
    return render(
        request,
        "courses/certificates/verify.html",
        {
            "asked": True,
            "code": code_normalise(raw) or "",
            "typed": raw.strip()[:100],
            "found": found,
            "competences": certificate_competences(db, found.course_id) if found else [],
            "status": found.status(now).value if found else None,
            "now": now,
        },
        headers=VERIFY_HEADERS,
    )
