"""Admin pages for API tokens: list, create (the secret is shown once), revoke with a confirmation step."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.api.models import ApiToken
from lms.api.selectors import api_tokens
from lms.api.service import SCOPES, ApiTokenError, api_token_create, api_token_revoke
from lms.clock import utcnow
from lms.i18n import gettext
from lms.people.selectors import org_units_with_paths
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.params import Id, parse_day_from_today, parse_id
from lms.web.templating import redirect, render

router = APIRouter(prefix="/admin/api-tokens")

Short = Annotated[str, Form(max_length=300)]


def _list_page(request: Request, db: Session, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("form", {"name": "", "scopes": [], "org_unit_id": "", "expires_on": ""})
    context.update(
        tokens=api_tokens(db),
        now=utcnow(),
        scope_options=list(SCOPES.items()),
        unit_options=[(u.id, path) for u, path in org_units_with_paths(db)],
    )
    return render(request, "admin/api_tokens.html", context, status_code=status_code)


@router.get("")
def tokens(request: Request, db: DbSession, user: AdminUser) -> Response:
    return _list_page(request, db)


def _expiry(raw: str, errors: dict) -> datetime | None:
    """A token with an expiry date works until the end of that day (UTC)."""
    day = parse_day_from_today(
        raw,
        errors,
        "expires_on",
        bad_format=gettext("Enter the expiry date as YYYY-MM-DD, for example 2026-12-31, or leave it empty."),
        in_past=gettext("Choose an expiry date from today onwards, or leave it empty."),
    )
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC) if day else None


@router.post("")
def token_create(
    request: Request,
    db: DbSession,
    user: AdminUser,
    name: Short = "",
    scopes: Annotated[list[str], Form()] = [],
    org_unit_id: Annotated[str, Form(max_length=20)] = "",
    expires_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    errors: dict[str, str] = {}
    form = {"name": name, "scopes": scopes, "org_unit_id": org_unit_id, "expires_on": expires_on}
    unit_id = parse_id(org_unit_id)
    if org_unit_id.strip() and unit_id is None:
        errors["org_unit_id"] = gettext("Choose an organisation unit from the list, or the whole organisation.")
    expires_at = _expiry(expires_on, errors)
    if not name.strip():
        errors["name"] = gettext("Enter a name that says who or what uses this token.")
    if not scopes:
        errors["scopes"] = gettext("Choose at least one thing this token may do.")
    if not errors:
        try:
            token, secret = api_token_create(
                db, name=name, scopes=scopes, org_unit_id=unit_id, expires_at=expires_at, by=user, client_ip=client_ip(request)
            )
            db.commit()
        except ApiTokenError as exc:
            db.rollback()
            errors.update(field_errors(exc))
    if errors:
        return _list_page(request, db, status_code=422, errors=errors, form=form)
    # Rendered here rather than after a redirect: the secret exists only in this one response, and
    # showing it on a later GET would mean keeping it somewhere.
    return render(request, "admin/api_tokens_created.html", {"token": token, "secret": secret}, status_code=201)


def _token(db: Session, token_id: int) -> ApiToken:
    token = db.get(ApiToken, token_id)
    if token is None:
        raise HTTPException(status_code=404, detail="We could not find that API token.")
    return token


@router.get("/{token_id:id}/revoke")
def token_revoke_confirm(request: Request, db: DbSession, user: AdminUser, token_id: Id) -> Response:
    return render(request, "admin/api_tokens_revoke.html", {"token": _token(db, token_id)})


@router.post("/{token_id:id}/revoke")
def token_revoke(request: Request, db: DbSession, user: AdminUser, token_id: Id) -> Response:
    token = _token(db, token_id)
    try:
        api_token_revoke(db, token=token, by=user, client_ip=client_ip(request))
        db.commit()
    except ApiTokenError as exc:
        db.rollback()
        flash(request, str(exc))
        return redirect(request, "/admin/api-tokens")
    flash(request, gettext("The token %(name)s has been revoked. Requests that use it are now refused.") % {"name": token.name})
    return redirect(request, "/admin/api-tokens")
