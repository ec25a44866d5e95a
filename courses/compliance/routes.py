"""The manager's compliance matrix (/team/compliance), its exports, and the page for one person x requirement
with the forms to extend, exempt, withdraw an exemption and send a reminder now.

Scope is the manager's reporting line (an administrator may act on anyone); anything else answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from courses.compliance.deps import Cell, CellOf
from courses.compliance.export import COLUMNS, matrix_rows
from courses.compliance.forms import EXEMPTION_REASONS, parse_exemption, parse_extension
from courses.compliance.selectors import STATUS_FILTERS, Matrix, cell_detail, line_matrix
from courses.compliance.units import unit_paths
from courses.compliance.service import ComplianceError, exemption_grant, exemption_revoke, extension_grant, reminder_send_now
from courses.requirements.status import STATUS_LABELS, Status
from lms.clock import utcnow
from lms.db import known
from lms.i18n import format_date, gettext
from lms.people.models import User
from lms.people.selectors import org_unit_subtree_ids
from lms.csvfile import csv_response
from lms.export_headings import headings
from lms.reports.export import xlsx_response
from lms.web.access import ManagerUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.page_cache import LINE, page_cached_showing
from lms.web.paging import SHORT_ROWS, ListFilters, Page, clamp_page, page_size
from lms.web.params import parse_id
from lms.web.templating import redirect, render

router = APIRouter(prefix="/team/compliance")

BASE = "/team/compliance"
Param = Annotated[str, Query(max_length=20)]
# Cell colours reuse the team heatmap's bands; every cell also says its status in words.
BANDS = {
    Status.COMPLIANT: "heat-met",
    Status.EXPIRING: "heat-gap1",
    Status.DUE_SOON: "heat-gap1",
    Status.OVERDUE: "heat-gap2",
    Status.EXPIRED: "heat-gap2",
    Status.NOT_STARTED: "heat-none",
    Status.IN_PROGRESS: "heat-none",
    Status.EXEMPT: "heat-none",
}


@dataclass
class ComplianceFilters(ListFilters):
    status: str = ""
    requirement: int | None = None
    unit: int | None = None
    q: str = ""


def compliance_filters(
    status: Param = "",
    requirement: Param = "",
    unit: Param = "",
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> ComplianceFilters:
    """The matrix filters from the query string, shared by the page and its exports."""
    return ComplianceFilters(
        status=status if status in STATUS_FILTERS else "",
        requirement=parse_id(requirement),
        unit=parse_id(unit),
        q=q.strip(),
        page=page,
    )


FilterQuery = Annotated[ComplianceFilters, Depends(compliance_filters)]


def _matrix(db: Session, manager: User, filters: ComplianceFilters) -> Matrix:
    units = org_unit_subtree_ids(db, filters.unit) if filters.unit else None
    return line_matrix(
        db,
        manager_id=known(manager.id),
        now=utcnow(),
        status=filters.status,
        requirement_id=filters.requirement,
        unit_ids=units,
        q=filters.q,
    )


@router.get("")
@page_cached_showing(LINE)
def compliance_page(request: Request, db: DbSession, user: ManagerUser, filters: FilterQuery) -> Response:
    matrix = _matrix(db, user, filters)
    per_page = page_size(request, SHORT_ROWS)
    filters.page = clamp_page(filters.page, len(matrix.people), per_page)
    start = (filters.page - 1) * per_page
    units = unit_paths(db)
    return render(
        request,
        "courses/compliance/matrix.html",
        {
            "filters": filters,
            "matrix": matrix,
            "result": Page(
                items=matrix.people[start : start + per_page], total=len(matrix.people), page=filters.page, per_page=per_page
            ),
            "page_url": lambda n: filters.url(BASE, page=n),
            "csv_url": filters.url(f"{BASE}/export.csv"),
            "xlsx_url": filters.url(f"{BASE}/export.xlsx"),
            "status_options": [(key, label) for key, (label, _test) in STATUS_FILTERS.items()],
            "requirement_options": [(r.id, r.name) for r in matrix.held],
            "unit_options": [(u.id, u.path) for u in units],
            "unit_names": {u.id: u.name for u in units},
            "statuses": list(Status),
            "status_labels": STATUS_LABELS,
            "bands": BANDS,
        },
        block="results",
    )


@router.get("/export.{fmt}")
def compliance_export(db: DbSession, user: ManagerUser, filters: FilterQuery, fmt: str) -> Response:
    if fmt not in {"csv", "xlsx"}:
        raise HTTPException(status_code=404)
    now = utcnow()
    matrix = _matrix(db, user, filters)
    paths = {u.id: u.path for u in unit_paths(db)}
    rows = matrix_rows(matrix, paths, now)
    filename = f"team-compliance-{now.date().isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, headings(COLUMNS), rows)
    return xlsx_response(filename, "Compliance", headings(COLUMNS), rows)


def _cell_page(
    request: Request, db: Session, cell: Cell, *, form: dict | None = None, errors: dict | None = None, status_code: int = 200
) -> Response:
    detail = cell_detail(db, person=cell.person, requirement=cell.requirement, now=utcnow())
    return render(
        request,
        "courses/compliance/cell.html",
        {
            "detail": detail,
            "form": form or {},
            "errors": errors or {},
            "reason_options": list(EXEMPTION_REASONS.items()),
            "reason_labels": EXEMPTION_REASONS,
            "bands": BANDS,
        },
        status_code=status_code,
    )


def _cell_url(cell: Cell) -> str:
    return f"{BASE}/{cell.person.id}/{cell.requirement.id}"


@router.get("/{user_id:id}/{requirement_id:id}")
def compliance_cell(request: Request, db: DbSession, cell: CellOf) -> Response:
    return _cell_page(request, db, cell)


def _failed(request: Request, db: Session, cell: Cell, form: dict, errors: dict) -> Response:
    db.rollback()
    return _cell_page(request, db, cell, form=form, errors=errors, status_code=422)


@router.post("/{user_id:id}/{requirement_id:id}/extension")
def compliance_extend(
    request: Request,
    db: DbSession,
    cell: CellOf,
    new_due: Annotated[str, Form(max_length=20)] = "",
    extension_reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    form = {"new_due": new_due, "extension_reason": extension_reason}
    cycle = cell_detail(db, person=cell.person, requirement=cell.requirement, now=utcnow()).open_cycle
    if cycle is None:
        return _failed(request, db, cell, form, {"form": "There is no open training to extend."})
    errors: dict[str, str] = {}
    new_due_at = parse_extension(new_due, cycle.due_at, errors)
    if new_due_at is not None:
        try:
            extension_grant(
                db, cycle=cycle, new_due_at=new_due_at, reason=extension_reason, by=cell.manager, client_ip=client_ip(request)
            )
        except ComplianceError as exc:
            errors.update(field_errors(exc, rename={"new_due_at": "new_due", "reason": "extension_reason"}))
    if errors:
        return _failed(request, db, cell, form, errors)
    db.commit()
    flash(
        request,
        gettext("%(requirement)s for %(name)s is now due on %(date)s.")
        % {"requirement": cell.requirement.name, "name": cell.person.name, "date": format_date(new_due_at, "long")},
    )
    return redirect(request, _cell_url(cell))


@router.post("/{user_id:id}/{requirement_id:id}/exemption")
def compliance_exempt(
    request: Request,
    db: DbSession,
    cell: CellOf,
    exemption_reason: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    ends_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    form = {"exemption_reason": exemption_reason, "note": note, "ends_on": ends_on}
    errors: dict[str, str] = {}
    chosen, ends_at = parse_exemption(exemption_reason, ends_on, errors)
    if chosen is not None and not errors:
        try:
            exemption_grant(
                db,
                requirement=cell.requirement,
                user=cell.person,
                reason=chosen,
                note=note,
                ends_at=ends_at,
                by=cell.manager,
                client_ip=client_ip(request),
            )
        except ComplianceError as exc:
            errors.update(field_errors(exc, rename={"ends_at": "ends_on"}))
    if errors:
        return _failed(request, db, cell, form, errors)
    db.commit()
    names = {"name": cell.person.name, "requirement": cell.requirement.name}
    if ends_at:
        flash(
            request,
            gettext("%(name)s is exempt from %(requirement)s until %(date)s.") % {**names, "date": format_date(ends_at, "long")},
        )
    else:
        flash(request, gettext("%(name)s is exempt from %(requirement)s.") % names)
    return redirect(request, _cell_url(cell))


@router.post("/{user_id:id}/{requirement_id:id}/exemption/revoke")
def compliance_exemption_revoke(request: Request, db: DbSession, cell: CellOf) -> Response:
    exemption = cell_detail(db, person=cell.person, requirement=cell.requirement, now=utcnow()).exemption
    if exemption is None:
        return _failed(request, db, cell, {}, {"form": gettext("There is no exemption in force to withdraw.")})
    exemption_revoke(db, exemption=exemption, by=cell.manager, client_ip=client_ip(request))
    db.commit()
    flash(
        request,
        gettext("Exemption withdrawn: %(name)s needs %(requirement)s again.")
        % {"name": cell.person.name, "requirement": cell.requirement.name},
    )
    return redirect(request, _cell_url(cell))


@router.post("/{user_id:id}/{requirement_id:id}/reminder")
def compliance_remind(request: Request, db: DbSession, cell: CellOf) -> Response:
    cycle = cell_detail(db, person=cell.person, requirement=cell.requirement, now=utcnow()).open_cycle
    if cycle is None:
        return _failed(request, db, cell, {}, {"form": "There is no open training to remind about."})
    try:
        queued = reminder_send_now(db, cycle=cycle, by=cell.manager, settings=request.app.state.settings, client_ip=client_ip(request))
    except ComplianceError as exc:
        return _failed(request, db, cell, {}, field_errors(exc))
    db.commit()
    if queued is None:
        flash(
            request,
            gettext("A reminder to %(name)s was already sent a moment ago; we did not send another.") % {"name": cell.person.name},
        )
    else:
        flash(
            request,
            gettext("Reminder sent to %(name)s about %(requirement)s.")
            % {"name": cell.person.name, "requirement": cell.requirement.name},
        )
    return redirect(request, _cell_url(cell))
