"""Mandatory training requirements under /admin/requirements: administrators create, change and archive
them; skills leads read them. Saving assigns people at once; "Check who this assigns" (the second submit
button, action=preview) shows the dry run without saving, as the user CSV import's check does."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.competences.admin_selectors import profile_options
from lms.db import known
from lms.hooks import EMPLOYEE
from lms.i18n import N_, format_number, gettext, ngettext
from lms.people.models import ROLE_LABELS
from lms.people.selectors import org_units_with_paths
from lms.web.access import AdminUser, ReportsUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.paging import page_size
from lms.web.templating import redirect, render

from courses.requirements.deps import EditableRequirement, ReadableRequirement
from courses.requirements.forms import MONTH_OPTIONS, RECURRENCE_OPTIONS, RequirementForm
from courses.requirements.models import Requirement
from courses.requirements.selectors import (
    STATUSES,
    RequirementFilters,
    audience_preview,
    course_options,
    covered_counts,
    requirement_spec,
    requirements_page,
)
from courses.requirements.service import (
    RequirementError,
    requirement_archive,
    requirement_check,
    requirement_create,
    requirement_update,
)

router = APIRouter(prefix="/admin/requirements")

Action = Annotated[str, Form(max_length=20)]
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=100_000)]
Many = Annotated[list[str], Form()]
BASE = "/admin/requirements"
ROLE_OPTIONS = [(EMPLOYEE, N_("Employee (everyone with an account)")), *ROLE_LABELS.items()]


def posted_requirement_form(
    name: Short = "",
    description: Long = "",
    course_ids: Many = [],
    everyone: Short = "",
    unit_id: Many = [],
    unit_scope: Many = [],
    job_profile_ids: Many = [],
    roles: Many = [],
    emails: Long = "",
    due_days: Short = "",
    recurrence: Short = "",
    every_months: Short = "",
    annual_month: Short = "",
    annual_day: Short = "",
    renew_window_days: Short = "",
    grace_days: Short = "",
) -> RequirementForm:
    """The form as posted, shared by create and edit and by their "Check who this assigns" button."""
    return RequirementForm(
        name=name,
        description=description,
        course_ids=course_ids,
        everyone=bool(everyone),
        unit_ids=unit_id,
        unit_scopes=unit_scope,
        job_profile_ids=job_profile_ids,
        roles=roles,
        emails=emails,
        due_days=due_days,
        recurrence=recurrence,
        every_months=every_months,
        annual_month=annual_month,
        annual_day=annual_day,
        renew_window_days=renew_window_days,
        grace_days=grace_days,
    )


PostedRequirementForm = Annotated[RequirementForm, Depends(posted_requirement_form)]


def _options(db: Session, requirement: Requirement | None) -> dict[str, Any]:
    units = org_units_with_paths(db)
    return {
        "course_options": course_options(db, requirement),
        "unit_options": [(u.id, path) for u, path in units],
        "profile_options": profile_options(db),
        "role_options": ROLE_OPTIONS,
        "recurrence_options": RECURRENCE_OPTIONS,
        "month_options": MONTH_OPTIONS,
    }


def _form_page(
    request: Request, db: Session, form: RequirementForm, requirement: Requirement | None = None, status_code: int = 200, **extra: Any
) -> Response:
    context = {"form": form, "requirement": requirement, "errors": {}, "preview": None, **_options(db, requirement), **extra}
    return render(request, "courses/requirements/form.html", context, status_code=status_code)


def _submit(request: Request, db: Session, user: Any, form: RequirementForm, action: str, requirement: Requirement | None) -> Response:
    spec, form_errors = form.to_spec()
    if action == "preview":
        errors, user_ids = requirement_check(db, spec, requirement=requirement, errors=form_errors)
        # An audience that cannot be read yet (say, an unknown e-mail) is counted without the parts in error.
        preview = audience_preview(db, spec, user_ids) if "units" not in errors else None
        return _form_page(request, db, form, requirement, status_code=422 if errors else 200, errors=errors, preview=preview)
    try:
        if form_errors:
            errors, _ = requirement_check(db, spec, requirement=requirement, errors=form_errors)
            raise RequirementError(errors)
        if requirement is None:
            saved = requirement_create(db, spec=spec, by=user, client_ip=client_ip(request))
        else:
            saved = requirement_update(db, requirement=requirement, spec=spec, by=user, client_ip=client_ip(request))
        db.commit()
    except RequirementError as exc:
        db.rollback()
        return _form_page(request, db, form, requirement, status_code=422, errors=exc.errors)
    people = covered_counts(db, [known(saved.id)]).get(known(saved.id), 0)
    if requirement is None:
        saved_text = ngettext(
            "The requirement is saved. It now covers %(count)s person.",
            "The requirement is saved. It now covers %(count)s people.",
            people,
        )
    else:
        saved_text = ngettext(
            "The requirement is changed; people's current cycles keep their dates. It now covers %(count)s person.",
            "The requirement is changed; people's current cycles keep their dates. It now covers %(count)s people.",
            people,
        )
    flash(request, saved_text % {"count": format_number(people)})
    return redirect(request, f"{BASE}/{saved.id}")


@router.get("")
def requirements_list(
    request: Request,
    db: DbSession,
    user: ReportsUser,
    q: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[str, Query(max_length=20)] = "active",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    filters = RequirementFilters(q=q.strip(), status=status if status in STATUSES else "active", page=page)
    result = requirements_page(db, filters, page_size(request))
    return render(
        request,
        "courses/requirements/list.html",
        {
            "filters": filters,
            "result": result,
            "status_options": list(STATUSES.items()),
            "page_url": lambda n: filters.url(BASE, page=n),
        },
        block="results",
    )


@router.get("/new")
def requirement_new(request: Request, db: DbSession, user: AdminUser) -> Response:
    return _form_page(request, db, RequirementForm())


@router.post("/new")
def requirement_new_post(
    request: Request, db: DbSession, user: AdminUser, form: PostedRequirementForm, action: Action = ""
) -> Response:
    return _submit(request, db, user, form, action, None)


@router.get("/{requirement_id:id}")
def requirement_page(request: Request, db: DbSession, user: ReportsUser, requirement: ReadableRequirement) -> Response:
    spec = requirement_spec(db, requirement)
    options = _options(db, requirement)
    return render(
        request,
        "courses/requirements/detail.html",
        {
            "requirement": requirement,
            "spec": spec,
            "courses": dict(options["course_options"]),
            "units": dict(options["unit_options"]),
            "profiles": dict(options["profile_options"]),
            "role_names": dict(ROLE_OPTIONS),
            "months": dict(MONTH_OPTIONS),
            "people": covered_counts(db, [known(requirement.id)]).get(known(requirement.id), 0),
        },
    )


@router.get("/{requirement_id:id}/edit")
def requirement_edit(request: Request, db: DbSession, user: AdminUser, requirement: EditableRequirement) -> Response:
    return _form_page(request, db, RequirementForm.from_spec(requirement_spec(db, requirement)), requirement)


@router.post("/{requirement_id:id}/edit")
def requirement_edit_post(
    request: Request,
    db: DbSession,
    user: AdminUser,
    requirement: EditableRequirement,
    form: PostedRequirementForm,
    action: Action = "",
) -> Response:
    return _submit(request, db, user, form, action, requirement)


@router.post("/{requirement_id:id}/archive")
def requirement_archive_post(request: Request, db: DbSession, user: AdminUser, requirement: EditableRequirement) -> Response:
    try:
        requirement_archive(db, requirement=requirement, by=user, client_ip=client_ip(request))
        db.commit()
        flash(request, gettext("The requirement is archived: no new cycles open. Every record is kept."))
    except RequirementError as exc:
        db.rollback()
        flash(request, str(exc), "error")
    return redirect(request, f"{BASE}/{requirement.id}")
