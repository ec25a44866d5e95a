"""Admin pages for the organisation tree: view, create, rename and move units."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.admin.forms import FORM_FIELD
from lms.admin.selectors import org_unit_tree
from lms.i18n import gettext
from lms.people import service
from lms.people.models import OrgUnit
from lms.people.selectors import org_unit_subtree_ids, org_units_with_paths
from lms.people.service import PeopleError
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.params import Id, parse_id
from lms.web.templating import redirect, render

router = APIRouter(prefix="/org-units")

Name = Annotated[str, Form(max_length=200)]
ParentId = Annotated[str, Form(max_length=20)]


def _tree_page(request: Request, db: Session, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("form", {"name": "", "parent_id": ""})
    context["tree"] = org_unit_tree(db)
    context["parent_options"] = [(u.id, path) for u, path in org_units_with_paths(db)]
    return render(request, "admin/org_units.html", context, status_code=status_code)


@router.get("")
def org_units(request: Request, db: DbSession, user: AdminUser) -> Response:
    return _tree_page(request, db)


def _parent(db: Session, raw: str, errors: dict) -> int | None:
    parent_id = parse_id(raw)
    if raw.strip() and (parent_id is None or db.get(OrgUnit, parent_id) is None):
        errors["parent_id"] = gettext("Choose a parent unit from the list, or none for a top-level unit.")
    return parent_id


@router.post("")
def org_unit_create(request: Request, db: DbSession, user: AdminUser, name: Name = "", parent_id: ParentId = "") -> Response:
    errors: dict[str, str] = {}
    parent = _parent(db, parent_id, errors)
    if not errors:
        try:
            unit = service.org_unit_create(db, name=name, parent_id=parent, by=user, client_ip=client_ip(request))
            db.commit()
        except PeopleError as exc:
            db.rollback()
            errors.update(field_errors(exc, rename=FORM_FIELD))
    if errors:
        return _tree_page(request, db, status_code=422, errors=errors, form={"name": name, "parent_id": parent_id})
    flash(request, gettext("The unit %(name)s has been created.") % {"name": unit.name})
    return redirect(request, "/admin/org-units")


def _unit(db: Session, unit_id: int) -> OrgUnit:
    unit = db.get(OrgUnit, unit_id)
    if unit is None:
        raise HTTPException(status_code=404, detail="We could not find that organisation unit.")
    return unit


def _edit_page(request: Request, db: Session, unit: OrgUnit, status_code: int = 200, **context: Any) -> Response:
    # A unit cannot move under itself or its own sub-units, so those are not offered.
    excluded = org_unit_subtree_ids(db, unit.id)
    context.setdefault("errors", {})
    context.setdefault("form", {"name": unit.name, "parent_id": str(unit.parent_id or "")})
    context["unit"] = unit
    context["parent_options"] = [(u.id, path) for u, path in org_units_with_paths(db) if u.id not in excluded]
    return render(request, "admin/org_unit_edit.html", context, status_code=status_code)


@router.get("/{unit_id:id}")
def org_unit_edit(request: Request, db: DbSession, user: AdminUser, unit_id: Id) -> Response:
    return _edit_page(request, db, _unit(db, unit_id))


@router.post("/{unit_id:id}")
def org_unit_update(
    request: Request, db: DbSession, user: AdminUser, unit_id: Id, name: Name = "", parent_id: ParentId = ""
) -> Response:
    unit = _unit(db, unit_id)
    errors: dict[str, str] = {}
    parent = _parent(db, parent_id, errors)
    if not errors:
        try:
            service.org_unit_update(db, unit=unit, name=name, parent_id=parent, by=user, client_ip=client_ip(request))
            db.commit()
        except PeopleError as exc:
            db.rollback()
            errors.update(field_errors(exc, rename=FORM_FIELD))
    if errors:
        return _edit_page(request, db, unit, status_code=422, errors=errors, form={"name": name, "parent_id": parent_id})
    flash(request, gettext("The unit %(name)s has been saved.") % {"name": unit.name})
    return redirect(request, "/admin/org-units")
