"""What every reports route parses the same way: the framework, the view, the cube for this request."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

from fastapi import HTTPException, Path, Query, Request
from sqlmodel import Session

from lms.db import known
from lms.reports.cube import AREA, COMPETENCE, Figured
from lms.reports.published import Published, PublishedFigures
from lms.reports.stored import StoredFigures, live_set
from lms.reports.tree import ORG, OrgTree, org_tree
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
    """What every report page and export of one framework starts from: its columns and its figures."""

    columns: Columns
    cube: Figured


KEPT_SETS = 4  # (columns, tree) per stored set a process keeps: the live set of each framework in use
_BUILDING = threading.Lock()


def request_basis(request: Request, db: Session, framework: str) -> Published[Basis]:
    """The framework's columns and figures, with when they were computed; an unknown framework answers 404.

    Figures the worker stored (lms.reports.stored) are read per unit; only the org tree and the columns
    are kept, per stored set. Until the worker has run once (or after REPORT_MIN_GROUP changed, until it
    has run again) this process computes them itself and keeps them (lms.reports.published), as before."""
    min_group = request.app.state.settings.report_min_group
    framework_id = parse_id(framework)
    found = live_set(db, framework_id, min_group)
    if found is not None:
        kept: dict[int, tuple[Columns, OrgTree]] | None = getattr(request.app.state, "report_sets", None)
        if kept is None:
            kept = request.app.state.report_sets = {}
        set_id = known(found.id)
        if set_id not in kept:
            # One request builds them; the others wait for it rather than each holding a tree of their own.
            with _BUILDING:
                if set_id not in kept:
                    if len(kept) >= KEPT_SETS:
                        kept.clear()
                    kept[set_id] = (columns_or_404(db, str(found.framework_id)), org_tree(db, with_no_unit=True))
        columns, tree = kept[set_id]
        return Published(Basis(columns, StoredFigures(db, found, tree)), found.data_version, found.computed_at)

    def compute() -> Basis:
        columns = columns_or_404(db, framework)
        return Basis(columns, live_cube(db, columns, min_group=min_group))

    figures: PublishedFigures = request.app.state.report_figures
    return figures.get(db, (framework_id, min_group), compute)


def unit_report_or_404(cube: Figured, columns: Columns, unit_id: int, view: str) -> UnitReport:
    try:
        return unit_report(cube, columns, unit_id=unit_id, view=view)
    except ReportNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
