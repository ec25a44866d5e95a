"""A person's Open Badges: claim a credential for a verified level, see, download and revoke their own."""

from __future__ import annotations

from dataclasses import replace

import json
import re
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from lms.badges.admin_routes import router as admin_router
from lms.badges.deps import Issuing, OwnCredential
from lms.badges.keys import BadgeKeyError
from lms.badges.png import badge_image, bake
from lms.badges.public_routes import router as public_router
from lms.badges.selectors import claimable, claimable_courses, my_credentials
from lms.competences.localised import localised_rows
from lms.badges.service import REASON_MAX, BadgeError, course_credential_claim, credential_claim, credential_revoke
from lms.badges.signing import unverified
from lms.badges.verify import JWT_CLAIMS
from lms.clock import utcnow
from lms.i18n import gettext
from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.params import parse_id
from lms.web.templating import redirect, render

router = APIRouter()
router.include_router(public_router)
router.include_router(admin_router)

PRIVATE = {"Cache-Control": "private, no-store"}


def _mine_page(request: Request, db: DbSession, user: SignedInUser, *, errors: dict | None = None) -> Response:
    now = utcnow()
    courses = claimable_courses(db, user.id or 0) if request.app.state.settings.badges_for_courses else []
    items = claimable(db, user, now)
    # Named in the reader's language on the page; a claim reads the rows afresh (lms.badges.service).
    named = [replace(item, row=row) for item, row in zip(items, localised_rows(db, [i.row for i in items]), strict=True)]
    context = {
        "claimable": named,
        "courses": courses,
        "credentials": my_credentials(db, user.id or 0),
        "errors": errors or {},
        "now": now,
    }
    return render(request, "badges/mine.html", context, status_code=422 if errors else 200)


@router.get("/badges")
def badges_mine(request: Request, db: DbSession, user: SignedInUser) -> Response:
    return _mine_page(request, db, user)


@router.post("/badges/claim")
def badge_claim(
    request: Request, db: DbSession, user: SignedInUser, issuer: Issuing, competence_id: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    try:
        credential = credential_claim(db, user=user, competence_id=parse_id(competence_id) or 0, issuer=issuer)
    except (BadgeError, BadgeKeyError) as exc:
        db.rollback()
        return _mine_page(request, db, user, errors=field_errors(exc))
    db.commit()
    flash(request, gettext("Your credential for %(name)s is ready to download.") % {"name": credential.achievement_name})
    return redirect(request, f"/badges/{credential.id}")


@router.post("/badges/claim-course")
def badge_claim_course(
    request: Request, db: DbSession, user: SignedInUser, issuer: Issuing, course_id: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    if not request.app.state.settings.badges_for_courses:
        raise HTTPException(status_code=404, detail=gettext("Digital badges for courses are not offered here."))
    try:
        credential = course_credential_claim(db, user=user, course_id=parse_id(course_id) or 0, issuer=issuer)
    except (BadgeError, BadgeKeyError) as exc:
        db.rollback()
        return _mine_page(request, db, user, errors=field_errors(exc))
    db.commit()
    flash(request, gettext("Your credential for %(name)s is ready to download.") % {"name": credential.achievement_name})
    return redirect(request, f"/badges/{credential.id}")


def _credential(credential_jwt: str) -> dict:
    return {k: v for k, v in unverified(credential_jwt)[1].items() if k not in JWT_CLAIMS}


@router.get("/badges/{credential_id:id}")
def badge_detail(request: Request, user: SignedInUser, credential: OwnCredential) -> Response:
    context = {"credential": credential, "document": _credential(credential.jwt) if credential.jwt else {}, "reason_max": REASON_MAX}
    return render(request, "badges/detail.html", context, headers=PRIVATE)


def _stem(credential: OwnCredential) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", f"badge-{credential.achievement_name}-level-{credential.level}").strip("-")[:80]


def _download(body: bytes | str, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={**PRIVATE, "Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/badges/{credential_id:id}/credential.json")
def badge_json(user: SignedInUser, credential: OwnCredential) -> Response:
    body = json.dumps({"jwt": credential.jwt, "credential": _credential(credential.jwt)}, indent=2, ensure_ascii=False)
    return _download(body, "application/json", f"{_stem(credential)}.json")


@router.get("/badges/{credential_id:id}/badge.png")
def badge_png(request: Request, user: SignedInUser, credential: OwnCredential) -> Response:
    image = bake(badge_image(request.app.state.settings.org_primary_colour), credential.jwt)
    return _download(image, "image/png", f"{_stem(credential)}.png")


@router.post("/badges/{credential_id:id}/revoke")
def badge_revoke(
    request: Request, db: DbSession, user: SignedInUser, credential: OwnCredential, reason: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    try:
        credential_revoke(db, credential=credential, by=user, reason=reason)
    except BadgeError as exc:
        db.rollback()
        flash(request, str(exc), "error")
        return redirect(request, f"/badges/{credential.id}")
    db.commit()
    flash(request, gettext("Your credential is revoked: anyone who checks it is now told so."))
    return redirect(request, f"/badges/{credential.id}")
