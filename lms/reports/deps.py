"""What every reports route parses the same way: the framework, the view, the cube for this request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import HTTPException, Path, Query, Request
from sqlmodel import Session

from lms.reports.cube import AREA, COMPETENCE, Cube
from lms.reports.published import Published, PublishedFigures
from lms.reports.tree import ORG
from lms.reports.selectors import Columns, ReportNotFound, UnitReport, live_cube, report_columns, unit_report
from lms.web.params import MAX_ID, parse_id

Param = Annotated[str, Query(max_length=20)]
UnitId = Annotated[int, Path(ge=ORG, le=MAX_ID)]  # an org unit's id, or ORG (-1) for the whole organisation


def columns_or_404(db: Session, framework: str) -> Columns:
    try:
        return report_columns(db, parse_id(framework))
    except ReportNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


def view_of(by: str) -> str:
    """Areas unless competences were asked for: an odd value in a shared link still shows a report."""
    return COMPETENCE if by == COMPETENCE else AREA


@dataclass(frozen=True)
class Basis:
    """What every report page and export of one framework starts from: its columns and its cube."""

    columns: Columns
    cube: Cube


def request_basis(request: Request, db: Session, framework: str) -> Published[Basis]:
    """The framework's columns and cube as published to this process (lms.reports.published), with when
    they were computed; an unknown framework answers 404 and is not kept."""
    min_group = request.app.state.settings.report_min_group

    def compute() -> Basis:
        columns = columns_or_404(db, framework)
        return Basis(columns, live_cube(db, columns, min_group=min_group))

    figures: PublishedFigures = request.app.state.report_figures
    return figures.get(db, (parse_id(framework), min_group), compute)


def unit_report_or_404(cube: Cube, columns: Columns, unit_id: int, view: str) -> UnitReport:
    try:
        return unit_report(cube, columns, unit_id=unit_id, view=view)
    except ReportNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
