"""Admin pages for users: the list, create, edit, roles, password and active status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.admin.forms import FORM_FIELD, GRANTABLE_ROLES, UserForm
from lms.admin.review_selectors import ORIGIN_LABELS, sso_identities
from lms.admin.selectors import ROLE_FILTERS, STATUS_FILTERS, UserFilters, users_page
from lms.auth.invitations import account_state, invitation_create, invitation_url
from lms.competences.admin_selectors import profile_names_of, profile_options
from lms.competences.profile_service import user_job_profile_set
from lms.competences.service import CompetenceError
from lms.db import known
from lms.i18n import gettext
from lms.people import service
from lms.people.models import User
from lms.people.selectors import org_units_with_paths
from lms.people.service import PeopleError
from lms.privacy.views import view_record
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.paging import page_size
from lms.web.params import Id, parse_id
from lms.web.templating import redirect, render

router = APIRouter(prefix="/users")

Text = Annotated[str, Form(max_length=320)]
Roles = Annotated[list[str], Form()]


def _person(db: Session, user_id: int) -> User:
    person = db.get(User, user_id)
    if person is None:
        raise HTTPException(status_code=404, detail="We could not find that user. They may have been removed.")
    return person


@router.get("")
def users_list(
    request: Request,
    db: DbSession,
    user: AdminUser,
    q: Annotated[str, Query(max_length=200)] = "",
    unit: Annotated[str, Query(max_length=20)] = "",
    role: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = "all",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    filters = UserFilters(
        q=q.strip(),
        unit=parse_id(unit),
        role=role if role in ROLE_FILTERS else "",
        status=status if status in STATUS_FILTERS else "all",
        page=page,
    )
    units = org_units_with_paths(db)
    result = users_page(db, filters, page_size(request))
    response = render(
        request,
        "admin/users.html",
        {
            "filters": filters,
            "result": result,
            "unit_options": [(u.id, path) for u, path in units],
            "unit_paths": {u.id: path for u, path in units},
            "profile_names": profile_names_of(db, [row.id for row in result.items]),
            "page_url": lambda n: filters.url("/admin/users", page=n),
        },
        block="results",
    )
    view_record(db, viewer=user, what="users list (Administration)", subject_ids=[row.id for row in result.items], path="/admin/users")
    return response


def _form_page(request: Request, db: Session, template: str, context: dict, status_code: int = 200) -> Response:
    context.setdefault("errors", {})
    context["unit_options"] = [(u.id, path) for u, path in org_units_with_paths(db)]
    context["role_options"] = GRANTABLE_ROLES
    context["profile_options"] = profile_options(db)
    return render(request, template, context, status_code=status_code)


@router.get("/new")
def user_new(request: Request, db: DbSession, user: AdminUser) -> Response:
    return _form_page(request, db, "admin/user_new.html", {"form": UserForm()})


@router.post("/new")
def user_create(
    request: Request,
    db: DbSession,
    user: AdminUser,
    name: Text = "",
    email: Text = "",
    org_unit_id: Text = "",
    manager_email: Text = "",
    roles: Roles = [],
    password: Annotated[str, Form(max_length=1024)] = "",
    job_profile_id: Text = "",
) -> Response:
    form = UserForm(
        name=name, email=email, org_unit_id=org_unit_id, manager_email=manager_email, roles=roles, job_profile_id=job_profile_id
    )
    errors, unit_id, manager_id = form.check(db)
    profile_id = form.job_profile(db, errors)
    if not errors:
        try:
            person = service.user_create(
                db,
                email=email,
                name=name,
                by=user,
                password=password or None,
                org_unit_id=unit_id,
                manager_id=manager_id,
                roles=set(roles),
                client_ip=client_ip(request),
            )
            # The people service knows nothing of job profiles; the profile is set here, audited.
            user_job_profile_set(db, user=person, job_profile_id=profile_id, by=user, client_ip=client_ip(request))
            db.commit()
        except (PeopleError, CompetenceError) as exc:
            db.rollback()
            errors.update(field_errors(exc, rename=FORM_FIELD))
    if errors:
        return _form_page(request, db, "admin/user_new.html", {"form": form, "errors": errors}, status_code=422)
    flash(request, gettext("%(name)s has been added.") % {"name": person.name})
    return redirect(request, f"/admin/users/{person.id}")


def _edit_page(request: Request, db: Session, person: User, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("form", UserForm.of(db, person))
    context["person"] = person
    context["account"] = account_state(db, user=person)
    context["identities"] = sso_identities(db, known(person.id))
    context["origin"] = ORIGIN_LABELS.get(person.created_via, person.created_via)
    return _form_page(request, db, "admin/user_edit.html", context, status_code=status_code)


@router.get("/{user_id:id}")
def user_edit(request: Request, db: DbSession, user: AdminUser, user_id: Id) -> Response:
    response = _edit_page(request, db, _person(db, user_id))
    view_record(db, viewer=user, what="user page (Administration)", subject_ids=[user_id], path=request.url.path)
    return response


@router.post("/{user_id:id}")
def user_update(
    request: Request,
    db: DbSession,
    user: AdminUser,
    user_id: Id,
    name: Text = "",
    email: Text = "",
    org_unit_id: Text = "",
    manager_email: Text = "",
    roles: Roles = [],
    job_profile_id: Text = "",
) -> Response:
    person = _person(db, user_id)
    form = UserForm(
        name=name, email=email, org_unit_id=org_unit_id, manager_email=manager_email, roles=roles, job_profile_id=job_profile_id
    )
    errors, unit_id, manager_id = form.check(db)
    profile_id = form.job_profile(db, errors)
    if not errors:
        try:
            service.user_update(
                db,
                user=person,
                by=user,
                name=name,
                email=email,
                org_unit_id=unit_id,
                manager_id=manager_id,
                client_ip=client_ip(request),
            )
            service.roles_set(db, user=person, roles=set(roles), by=user, client_ip=client_ip(request))
            user_job_profile_set(db, user=person, job_profile_id=profile_id, by=user, client_ip=client_ip(request))
            db.commit()
        except (PeopleError, CompetenceError) as exc:
            db.rollback()
            errors.update(field_errors(exc, rename=FORM_FIELD))
    if errors:
        return _edit_page(request, db, person, status_code=422, form=form, errors=errors)
    flash(request, gettext("The changes to %(name)s have been saved.") % {"name": person.name})
    return redirect(request, f"/admin/users/{person.id}")


@router.post("/{user_id:id}/password")
def user_password(
    request: Request,
    db: DbSession,
    user: AdminUser,
    user_id: Id,
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    person = _person(db, user_id)
    try:
        if not password:
            raise PeopleError(gettext("Enter the new password."), "password")
        service.user_set_password(db, user=person, password=password, by=user, client_ip=client_ip(request))
        db.commit()
    except PeopleError as exc:
        db.rollback()
        return _edit_page(request, db, person, status_code=422, password_errors={"password": str(exc)})
    flash(request, gettext("A new password has been set for %(name)s; they have been signed out everywhere.") % {"name": person.name})
    return redirect(request, f"/admin/users/{person.id}")


def _set_active(request: Request, db: Session, by: User, user_id: int, active: bool) -> Response:
    person = _person(db, user_id)
    try:
        service.user_set_active(db, user=person, active=active, by=by, client_ip=client_ip(request))
        db.commit()
    except PeopleError as exc:
        db.rollback()
        return _edit_page(request, db, person, status_code=422, status_errors={"form": str(exc)})
    if active:
        flash(request, gettext("%(name)s has been reactivated and can sign in again.") % {"name": person.name})
    else:
        flash(request, gettext("%(name)s has been deactivated and signed out everywhere.") % {"name": person.name})
    return redirect(request, f"/admin/users/{person.id}")


@router.post("/{user_id:id}/deactivate")
def user_deactivate(request: Request, db: DbSession, user: AdminUser, user_id: Id) -> Response:
    return _set_active(request, db, user, user_id, active=False)


@router.post("/{user_id:id}/activate")
def user_activate(request: Request, db: DbSession, user: AdminUser, user_id: Id) -> Response:
    return _set_active(request, db, user, user_id, active=True)


@router.post("/{user_id:id}/invitation")
def user_invite(request: Request, db: DbSession, user: AdminUser, user_id: Id) -> Response:
    person = _person(db, user_id)
    if not person.is_active:
        return _edit_page(
            request, db, person, status_code=422, invite_errors={"form": gettext("Reactivate the account before inviting them.")}
        )
    try:
        token = invitation_create(db, user=person, by=user, client_ip=client_ip(request))
    except PeopleError as exc:
        db.rollback()
        return _edit_page(request, db, person, status_code=422, invite_errors={"form": str(exc)})
    db.commit()
    # Shown on this response only, not after a redirect: only a hash of the token is kept.
    base = request.app.state.settings.base_url or str(request.base_url)
    return _edit_page(request, db, person, invitation_link=invitation_url(base, token))
