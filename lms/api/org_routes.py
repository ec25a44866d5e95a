"""/api/v1 org units within the token's scope, and their aggregates from the reports package."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from lms.api import schemas
from lms.api.auth import ReportsCaller
from lms.api.language import ApiLanguage
from lms.competences.localised import framework_names
from lms.api.selectors import framework_by_code, unit_in_scope, unit_names, units_in_scope, with_paths
from lms.reports.cube import AREA, COMPETENCE, Cell
from lms.reports.deps import request_basis, unit_report_or_404
from lms.reports.selectors import Row
from lms.web.deps import DbSession
from lms.web.params import Id

router = APIRouter(tags=["org units"])


class By(StrEnum):
    area = AREA
    competence = COMPETENCE


@router.get("/org-units", response_model=list[schemas.OrgUnitOut])
def org_units(db: DbSession, caller: ReportsCaller) -> list[schemas.OrgUnitOut]:
    """The token's unit and every unit below it (the whole organisation for an unlimited token), in path order.
    The top unit of a limited token keeps its real parent_id, which lies outside what the token can see."""
    units = units_in_scope(db, caller.org_unit_id)
    return [
        schemas.OrgUnitOut(id=u.id, name=u.name, parent_id=u.parent_id, path=path) for u, path in with_paths(units, unit_names(db))
    ]


def _cell(column: str, cell: Cell) -> schemas.AggregateCell:
    if cell.suppressed:
        return schemas.AggregateCell(column=column, suppressed=True)
    f = cell.figures
    if f is None:  # nobody in this group needs it
        return schemas.AggregateCell(column=column, suppressed=False, people=cell.people or 0)
    return schemas.AggregateCell(
        column=column,
        suppressed=False,
        people=cell.people,
        requirements=f.requirements,
        meeting=f.meeting,
        share_meeting=f.share_meeting,
        average_gap=f.average_gap,
        average_verified=f.average_verified,
        self_assessed=f.self_count,
        average_self=f.average_self,
        average_verified_of_self_assessed=f.average_verified_of_self_assessed,
        levels=list(f.levels),
    )


def _row(row: Row, codes: list[str]) -> schemas.AggregateRow:
    kind, unit_id = row.node
    return schemas.AggregateRow(
        kind=kind, unit_id=unit_id, label=row.label, cells=[_cell(code, cell) for code, cell in zip(codes, row.cells, strict=True)]
    )


@router.get("/org-units/{unit_id}/aggregates", response_model=schemas.OrgUnitAggregates, responses={404: {"model": schemas.Error}})
def org_unit_aggregates(
    request: Request,
    unit_id: Id,
    db: DbSession,
    caller: ReportsCaller,
    language: ApiLanguage,
    by: By = By.area,
    framework: Annotated[str | None, Query(max_length=100, description="Framework code; default: the first loaded")] = None,
) -> schemas.OrgUnitAggregates:
    """The same figures as the organisation report for this unit and the units it is made of. Groups smaller
    than `min_group`, and any figure that would let one be worked out by subtraction, are suppressed."""
    unit = unit_in_scope(db, unit_id=unit_id, scope_unit_id=caller.org_unit_id)
    if unit is None:
        raise HTTPException(status_code=404, detail="There is no such unit, or this API token may not see it.")
    framework_id = None
    if framework is not None:
        found = framework_by_code(db, framework)
        if found is None:
            raise HTTPException(status_code=404, detail=f"There is no framework with the code {framework}.")
        framework_id = found.id
    # The report pages' published figures (lms.reports.published): not recomputed per call at 100,000 people.
    published = request_basis(request, db, str(framework_id or ""))
    basis = published.figures
    report = published.derive(("unit", unit.id, by.value), lambda: unit_report_or_404(basis.cube, basis.columns, unit.id, by.value))
    codes = [c.code for c in report.columns]
    # Column names follow Accept-Language (the figures are everyone's); as written when it is absent.
    columns = report.columns
    if language is not None:
        columns = framework_names(db, report.framework, language=language).renamed("a" if by.value == AREA else "c", columns)
    return schemas.OrgUnitAggregates(
        unit=schemas.UnitRef(id=unit.id, name=unit.name),
        framework=report.framework.code if report.framework else None,
        by=report.view,
        min_group=report.min_group,
        figures_as_of=published.computed_at,
        columns=[schemas.AggregateColumn(code=c.code, name=c.name) for c in columns],
        total=_row(report.total, codes),
        parts=[_row(part, codes) for part in report.parts],
    )
