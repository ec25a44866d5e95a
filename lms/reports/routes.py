"""Organisation reports for skills leads and admins: a unit and its parts, comparison, change over time.

Nothing here names a person: every figure is an aggregate, and groups too small to stay anonymous are
hidden (lms.reports.suppression).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.competences.localised import FrameworkNames, framework_names
from lms.i18n import lazy_gettext
from lms.reports.aggregate import Figures
from lms.reports.cube import AREA, COMPETENCE, UNIT
from lms.reports.deps import Basis, Param, UnitId, request_basis, unit_report_or_404, view_of
from lms.reports.published import Published
from lms.reports.selectors import Columns, level_bands
from lms.reports.tree import ORG
from lms.reports.trends import CHART_HEIGHT, CHART_PAD, CHART_WIDTH, unit_trend
from lms.web.access import ReportsUser
from lms.web.deps import DbSession
from lms.web.page_cache import FIGURES, page_cached_showing
from lms.web.params import parse_id
from lms.web.templating import render

router = APIRouter(prefix="/reports")

VIEW_OPTIONS = [(AREA, lazy_gettext("Competence area")), (COMPETENCE, lazy_gettext("Competence"))]
MAX_COMPARE = 4


def _kind(view: str) -> str:
    return "a" if view == AREA else "c"


def _context(request: Request, db: Session, columns: Columns, view: str, published: Published[Basis], names: FrameworkNames) -> dict:
    settings = request.app.state.settings
    # The figures are shared by every reader; names are the reader's language's (one statement).
    bands = [(names.band(label, levels), levels) for label, levels in published.derive("bands", lambda: level_bands(db, columns))]

    def band_counts(figures: Figures) -> list[int]:
        return [sum(figures.levels[level] for level in levels) for _, levels in bands]

    return {
        "view": view,
        "view_options": VIEW_OPTIONS,
        "min_group": settings.report_min_group,
        "framework": names.of(columns.framework),
        "bands": bands,
        "band_counts": band_counts,
        "ORG": ORG,
        "figures_as_of": published.computed_at,
    }


def _unit_page(request: Request, db: Session, unit_id: int, by: str, framework: str) -> Response:
    published = request_basis(request, db, framework)
    columns, view = published.figures.columns, view_of(by)
    report = published.derive(("unit", unit_id, view), lambda: unit_report_or_404(published.figures.cube, columns, unit_id, view))
    names = framework_names(db, columns.framework)
    report = replace(report, columns=names.renamed(_kind(view), report.columns))
    context = _context(request, db, columns, view, published, names) | {"report": report}
    # Only the results when the page's own view form asks for them (other htmx requests get the page).
    return render(request, "reports/unit.html", context, block={"report-results": "results"})


@router.get("")
@page_cached_showing(FIGURES)
def organisation(request: Request, db: DbSession, user: ReportsUser, by: Param = AREA, framework: Param = "") -> Response:
    return _unit_page(request, db, ORG, by, framework)


@router.get("/units/{unit_id}")
@page_cached_showing(FIGURES)
def unit(request: Request, db: DbSession, user: ReportsUser, unit_id: UnitId, by: Param = AREA, framework: Param = "") -> Response:
    return _unit_page(request, db, unit_id, by, framework)


@router.get("/compare")
def compare(
    request: Request,
    db: DbSession,
    user: ReportsUser,
    by: Param = AREA,
    framework: Param = "",
    unit: Annotated[list[str], Query()] = [],
) -> Response:
    published = request_basis(request, db, framework)
    columns, cube, view = published.figures.columns, published.figures.cube, view_of(by)
    chosen = []
    for raw in unit:
        unit_id = ORG if raw == str(ORG) else parse_id(raw)
        if unit_id is not None and unit_id in cube.tree and unit_id not in chosen:
            chosen.append(unit_id)
    error = None
    if len(chosen) < 2:
        error = "Choose at least two units to compare: tick them in a report table, then choose Compare."
    elif len(chosen) > MAX_COMPARE:
        error = f"Compare at most {MAX_COMPARE} units at a time."
        chosen = chosen[:MAX_COMPARE]
    keys = [c.key for c in columns.of(view)]
    rows = cube.cells_many([(UNIT, u) for u in chosen], view, keys)
    units = [(u, cube.tree.names[u] if u == ORG else cube.tree.path(u), cells) for u, cells in zip(chosen, rows, strict=True)]
    names = framework_names(db, columns.framework)
    page = {"units": units, "columns": names.renamed(_kind(view), columns.of(view)), "error": error, "chosen": chosen}
    context = _context(request, db, columns, view, published, names) | page
    return render(request, "reports/compare.html", context, status_code=422 if error and unit else 200)


@router.get("/units/{unit_id}/trend")
def trend(request: Request, db: DbSession, user: ReportsUser, unit_id: UnitId, by: Param = AREA, framework: Param = "") -> Response:
    published = request_basis(request, db, framework)
    columns, cube, view = published.figures.columns, published.figures.cube, view_of(by)
    if unit_id not in cube.tree:
        raise HTTPException(status_code=404, detail="No such org unit.")
    # Twelve stored months in one read (lms.reports.stored); without stored figures, once per published cube.
    data = published.derive(("trend", unit_id, view), lambda: unit_trend(db, columns, cube, unit_id=unit_id, view=view))
    names = framework_names(db, columns.framework)
    context = _context(request, db, columns, view, published, names) | {
        "trend": replace(data, columns=names.renamed(_kind(view), data.columns)),
        "unit_id": unit_id,
        "unit_name": cube.tree.names[unit_id],
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": CHART_PAD},
        # Ends with the report this page came from, the organisation's too, so there is always a way back.
        "breadcrumbs": cube.tree.breadcrumbs(unit_id) + [(unit_id, cube.tree.names[unit_id])],
    }
    return render(request, "reports/trend.html", context, block={"trend-results": "results"})
