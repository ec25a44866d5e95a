"""Admin page for importing users from a CSV file (the same import as `lms users import`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import Response

from lms.auth.invitations import invitation_url, invitations_create, people_awaiting_invitation
from lms.csvfile import csv_response
from lms.i18n import gettext
from lms.people.csv_import import MAX_BYTES, users_import
from lms.people.models import ROLE_LABELS
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.limits import body_limit
from lms.web.templating import redirect, render

router = APIRouter(prefix="/users/import")

COLUMNS = [
    ("email", "Required. The person's work email; re-importing updates the person with this email."),
    ("name", "Required. Full name as it should appear in Proficio."),
    (
        "org_unit",
        "Organisation unit as a path, for example Digital Directorate / Data Team. "
        "Units that do not exist yet are created. Empty means no unit.",
    ),
    (
        "manager_email",
        "Email of the line manager, who must already exist or be on another line of the file. Empty means no line manager.",
    ),
    (
        "roles",
        "Extra roles separated by semicolons or spaces, written as their codes: "
        + ", ".join(f"{code} ({label})" for code, label in ROLE_LABELS.items())
        + ". Empty means employee only; the roles in the file replace the person's current roles.",
    ),
    (
        "job_profile",
        "Optional column. The name of an existing job profile (any capitalisation). Empty means no "
        "job profile; without this column people keep the profile they have.",
    ),
    (
        "active",
        "Optional column. no (or false, 0) deactivates the account: the person is signed out at once and "
        "cannot sign in, and their records are kept. yes (or true, 1) reactivates it. Empty leaves the "
        "account as it is.",
    ),
]


def _page(request: Request, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("dry_run", False)
    return render(request, "admin/import.html", {"columns": COLUMNS, **context}, status_code=status_code)


@router.get("")
def import_form(request: Request, user: AdminUser) -> Response:
    return _page(request)


@router.post("")
@body_limit(MAX_BYTES)
def import_submit(
    request: Request,
    db: DbSession,
    user: AdminUser,
    file: Annotated[UploadFile | None, File()] = None,
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    data = file.file.read(MAX_BYTES + 1) if file is not None else b""
    if not data:
        return _page(request, 422, dry_run=dry_run, errors={"file": gettext("Choose a CSV file to upload.")})
    if len(data) > MAX_BYTES:
        return _page(
            request,
            422,
            dry_run=dry_run,
            errors={
                "file": gettext("The file is larger than %(size)s MB. Split it into smaller files.") % {"size": MAX_BYTES // 2**20}
            },
        )
    result = users_import(db, data=data, by=user, client_ip=client_ip(request), dry_run=dry_run)
    if not result.ok:
        db.rollback()
        return _page(request, 422, dry_run=dry_run, result=result, filename=file.filename, errors={"file": result.summary()})
    if dry_run:
        db.rollback()
        return _page(request, dry_run=True, result=result, filename=file.filename)
    db.commit()
    flash(request, gettext("Import finished. %(summary)s") % {"summary": result.summary()})
    # New people have no password: the next step is their invitation links.
    return redirect(request, "/admin/users/import/invitations" if result.created else "/admin/users")


# A page lists at most this many names; the button still invites everyone waiting.
SHOWN_WAITING = 100


@router.get("/invitations")
def invitations_offer(request: Request, db: DbSession, user: AdminUser) -> Response:
    waiting = people_awaiting_invitation(db)
    return render(request, "admin/import_invitations.html", {"waiting": waiting[:SHOWN_WAITING], "count": len(waiting)})


@router.post("/invitations")
def invitations_create_all(request: Request, db: DbSession, user: AdminUser) -> Response:
    people = people_awaiting_invitation(db)
    created = invitations_create(db, users=people, by=user, client_ip=client_ip(request))
    db.commit()
    base = request.app.state.settings.base_url or str(request.base_url)
    # The links are shown on this response only: Proficio keeps nothing that could show them again.
    rows = [(person.name, person.email, invitation_url(base, token)) for person, token in created]
    return render(request, "admin/import_invitations.html", {"created": rows, "waiting": [], "count": 0})


Lines = Annotated[list[str], Form()]


@router.post("/invitations.csv")
def invitations_csv(request: Request, user: AdminUser, name: Lines = [], email: Lines = [], link: Lines = []) -> Response:
    """The links just shown, as a file: the page posts them back, since the server cannot make them again."""
    return csv_response("invitation-links.csv", ["name", "email", "link"], zip(name, email, link, strict=False))
