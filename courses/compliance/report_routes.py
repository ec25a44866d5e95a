"""The organisation's compliance report for skills leads and admins (/reports/compliance): compliance rate per
org unit × requirement, rolled up the tree, small groups hidden; the 12-month trend; CSV and Excel exports.

Nothing here names a person: every figure is a count over a group, and groups too small to stay anonymous
are hidden by the same rule as the skills reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from fastapi import APIRouter, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.clock import utcnow
from lms.reports.deps import UnitId
from lms.csvfile import csv_response
from lms.export_headings import headings
from lms.i18n import gettext
from lms.reports.export import xlsx_response
from lms.reports.published import Published, PublishedFigures
from lms.reports.tree import ORG
from lms.reports.trends import CHART_HEIGHT, CHART_PAD, CHART_WIDTH
from lms.web.access import ReportsUser
from lms.web.deps import DbSession
from lms.web.templating import render

from courses.compliance.report_selectors import (
    DIRECT,
    UNIT,
    Cell,
    Cube,
    Report,
    ReportNotFound,
    live_cube,
    unit_report,
    unit_trend,
    units_top_down,
)

router = APIRouter(prefix="/reports/compliance")

HEADER = ["unit_path", "group", "requirement_id", "requirement", "people", "compliant", "compliance_pct", "suppressed"]
FORMATS = ("csv", "xlsx")


def _published(request: Request, db: Session) -> Published[Cube]:
    """The compliance cube as published to this process (lms.reports.published): computed once per change."""
    min_group = request.app.state.settings.report_min_group
    figures: PublishedFigures = request.app.state.compliance_figures
    return figures.get(db, min_group, lambda: live_cube(db, now=utcnow(), min_group=min_group))


def _cube(request: Request, db: Session) -> Cube:
    return _published(request, db).figures


def _report_or_404(cube: Cube, unit_id: int) -> Report:
    try:
        return unit_report(cube, unit_id)
    except ReportNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


def _values(cell: Cell) -> list:
    if cell.suppressed:
        return [None, None, None, "yes"]
    rate = cell.rate
    return [cell.people, cell.compliant, None if rate is None else round(rate * 100, 1), "no"]


def _report_rows(report: Report, cube: Cube) -> Iterator[Sequence]:
    for row in (report.total, *report.parts):
        path = cube.tree.path(row.unit_id)
        group = "directly in the unit" if row.group == DIRECT else "unit and its subunits"
        for column, cell in zip(report.columns, row.cells, strict=True):
            yield [path, group, column.id, column.name, *_values(cell)]


def _all_rows(cube: Cube) -> Iterator[Sequence]:
    for unit in units_top_down(cube.tree):
        cells = cube.row(UNIT, unit)
        if any(c.suppressed or c.people for c in cells):
            for column, cell in zip(cube.columns, cells, strict=True):
                yield [cube.tree.path(unit), "unit and its subunits", column.id, column.name, *_values(cell)]


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise HTTPException(status_code=404)
    return fmt


def _export(fmt: str, stem: str, rows: Iterator[Sequence]) -> Response:
    filename = f"{stem}-{utcnow().date().isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, headings(HEADER), rows)
    return xlsx_response(filename, gettext("Compliance"), headings(HEADER), rows)


def _page(request: Request, db: Session, unit_id: int) -> Response:
    published = _published(request, db)
    report = published.derive(("unit", unit_id), lambda: _report_or_404(published.figures, unit_id))
    context = {"report": report, "ORG": ORG, "min_group": published.figures.min_group, "figures_as_of": published.computed_at}
    return render(request, "courses/compliance/report.html", context)


@router.get("")
def compliance_organisation(request: Request, db: DbSession, user: ReportsUser) -> Response:
    return _page(request, db, ORG)


@router.get("/units/{unit_id}")
def compliance_unit(request: Request, db: DbSession, user: ReportsUser, unit_id: UnitId) -> Response:
    return _page(request, db, unit_id)


@router.get("/units/{unit_id}/trend")
def compliance_trend(request: Request, db: DbSession, user: ReportsUser, unit_id: UnitId) -> Response:
    published = _published(request, db)
    cube = published.figures
    if unit_id not in cube.tree:
        raise HTTPException(status_code=404, detail="No such org unit.")
    trend = published.derive(("trend", unit_id), lambda: unit_trend(db, cube, unit_id=unit_id))
    return render(
        request,
        "courses/compliance/report_trend.html",
        {
            "trend": trend,
            "unit_id": unit_id,
            "unit_name": cube.tree.names[unit_id],
            "breadcrumbs": cube.tree.breadcrumbs(unit_id),
            "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": CHART_PAD},
            "min_group": cube.min_group,
            "figures_as_of": published.computed_at,
            "ORG": ORG,
        },
    )


@router.get("/units/{unit_id}/export.{fmt}")
def compliance_unit_export(request: Request, db: DbSession, user: ReportsUser, unit_id: UnitId, fmt: str) -> Response:
    """The unit page's table, one line per row × requirement."""
    fmt = _format(fmt)
    cube = _cube(request, db)
    report = _report_or_404(cube, unit_id)
    stem = "compliance-organisation" if unit_id == ORG else f"compliance-unit-{unit_id}"
    return _export(fmt, stem, _report_rows(report, cube))


@router.get("/export/all.{fmt}")
def compliance_all_export(request: Request, db: DbSession, user: ReportsUser, fmt: str) -> Response:
    """Every unit with people in an audience × every requirement: each unit's figures as on its own page."""
    fmt = _format(fmt)
    return _export(fmt, "compliance-all-units", _all_rows(_cube(request, db)))
