"""Report exports (CSV, XLSX) and the open-data export, for skills leads and admins.

Every export reads the same cube as the report pages, so a figure hidden on a page is hidden in every
file too. The database is read before the response starts; the rows are then written as they are sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from lms.competences.localised import framework_names
from lms.web.paging import url_with
from lms.clock import utcnow
from lms.reports.cube import AREA
from lms.reports.deps import Param, UnitId, columns_or_404, request_basis, unit_report_or_404, view_of
from lms.csvfile import csv_response
from lms.export_headings import headings
from lms.i18n import gettext
from lms.reports.export import REPORT_HEADER, all_units_rows, unit_report_rows, xlsx_response
from lms.reports.open_data import (
    DICTIONARY_HEADER,
    FIELDS,
    TITLE,
    csv_rows,
    dictionary_rows,
    json_chunks,
    metadata,
    open_data_key,
    open_data_rows,
    suppression_rule,
)
from lms.reports.tree import ORG
from lms.web.access import ReportsUser
from lms.web.deps import DbSession
from lms.web.params import parse_id
from lms.web.templating import render

router = APIRouter(prefix="/reports")

SPREADSHEETS = ("csv", "xlsx")


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise HTTPException(status_code=404)
    return fmt


def _kind(view: str) -> str:
    return "a" if view == AREA else "c"


def _spreadsheet(fmt: str, stem: str, rows: Iterable[Sequence]) -> Response:
    filename = f"{stem}-{utcnow().date().isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, headings(REPORT_HEADER), rows)
    return xlsx_response(filename, gettext("Report"), headings(REPORT_HEADER), rows)


@router.get("/units/{unit_id}/export.{fmt}")
def unit_export(
    request: Request, db: DbSession, user: ReportsUser, unit_id: UnitId, fmt: str, by: Param = AREA, framework: Param = ""
) -> Response:
    """The table of the unit's report page (unit -1: the whole organisation), one line per row × column."""
    fmt = _format(fmt, SPREADSHEETS)
    basis = request_basis(request, db, framework).figures
    columns, cube, view = basis.columns, basis.cube, view_of(by)
    report = unit_report_or_404(cube, columns, unit_id, view)
    # Figures are shared by every reader; the names in the file are the downloader's language's, as on the page.
    report = replace(report, columns=framework_names(db, columns.framework).renamed(_kind(view), report.columns))
    stem = "report-organisation" if unit_id == ORG else f"report-unit-{unit_id}"
    return _spreadsheet(fmt, f"{stem}-by-{view}", unit_report_rows(report, cube.tree))


@router.get("/export/all.{fmt}")
def all_units_export(
    request: Request, db: DbSession, user: ReportsUser, fmt: str, by: Param = AREA, framework: Param = ""
) -> Response:
    """Every unit with people in scope × every column: each unit's total row as on its own page."""
    fmt = _format(fmt, SPREADSHEETS)
    basis = request_basis(request, db, framework).figures
    columns, cube, view = basis.columns, basis.cube, view_of(by)
    named = framework_names(db, columns.framework).renamed(_kind(view), columns.of(view))
    return _spreadsheet(fmt, f"report-all-units-by-{view}", all_units_rows(cube, named, view))


@router.get("/open-data")
def open_data_page(request: Request, db: DbSession, user: ReportsUser, framework: Param = "") -> Response:
    columns = columns_or_404(db, framework)
    min_group = request.app.state.settings.report_min_group
    params = {"framework": framework if parse_id(framework) else ""}
    return render(
        request,
        "reports/open_data.html",
        {
            "title": TITLE,
            "framework": columns.framework,
            "min_group": min_group,
            "rule": suppression_rule(min_group),
            "dictionary": dictionary_rows(),
            "links": {
                name: url_with(f"/reports/{name}", params)
                for name in ("open-data.csv", "open-data.json", "open-data/dictionary.csv", "open-data/dictionary.json")
            },
        },
    )


@router.get("/open-data.{fmt}")
def open_data_export(request: Request, db: DbSession, user: ReportsUser, fmt: str, framework: Param = "") -> Response:
    fmt = _format(fmt, ("csv", "json"))
    basis = request_basis(request, db, framework).figures
    columns, cube = basis.columns, basis.cube
    now = utcnow()
    filename = f"open-data-{now.date().isoformat()}.{fmt}"
    rows = open_data_rows(cube, columns, key=open_data_key(request.app.state.secret_key))
    if fmt == "csv":
        return csv_response(filename, FIELDS, csv_rows(rows))
    meta = metadata(columns, min_group=cube.min_group, generated_at=now)
    return StreamingResponse(
        json_chunks(meta, rows),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@router.get("/open-data/dictionary.{fmt}")
def open_data_dictionary(user: ReportsUser, fmt: str) -> Response:
    fmt = _format(fmt, ("csv", "json"))
    if fmt == "csv":
        return csv_response("open-data-dictionary.csv", DICTIONARY_HEADER, dictionary_rows())
    return JSONResponse(
        {"title": TITLE, "fields": [dict(zip(DICTIONARY_HEADER, row, strict=True)) for row in dictionary_rows()]},
        headers={"Content-Disposition": 'attachment; filename="open-data-dictionary.json"'},
    )
