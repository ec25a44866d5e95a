"""Organisation reports: one unit and the groups it is made of, by competence area or competence.

Four queries per report whatever the size of the organisation: the framework's columns, the org
tree, and the two aggregates in lms.reports.aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from lms.i18n import N_
from lms.competences.models import Competence, CompetenceArea, Framework, ProficiencyLevel
from lms.reports.aggregate import LEVELS, area_people, direct_cells
from lms.reports.cube import AREA, COMPETENCE, DIRECT, UNIT, Cell, Cube, Figured, build_cube
from lms.reports.tree import NO_UNIT, ORG, org_tree

VIEWS = (AREA, COMPETENCE)


class ReportNotFound(Exception):
    """No such unit or framework (the routes answer 404)."""


@dataclass(frozen=True)
class Column:
    key: int
    code: str
    name: str
    area_id: int


@dataclass
class Columns:
    framework: Framework | None
    areas: list[Column]
    competences: list[Column]

    def of(self, kind: str) -> list[Column]:
        return self.areas if kind == AREA else self.competences

    @property
    def area_of(self) -> dict[int, int]:
        return {c.key: c.area_id for c in self.competences}


@dataclass
class Row:
    node: tuple[str, int]
    label: str
    link_unit: int | None  # where drilling down from this row goes, if anywhere
    cells: list[Cell]


@dataclass
class UnitReport:
    unit_id: int  # ORG for the whole organisation
    title: str
    breadcrumbs: list[tuple[int, str]]
    view: str
    columns: list[Column]
    total: Row
    parts: list[Row]
    min_group: int
    framework: Framework | None


def report_columns(session: Session, framework_id: int | None = None) -> Columns:
    """The framework (the given one, else the first loaded) with its areas and competences in order."""
    frameworks = session.execute(select(Framework).order_by(Framework.id)).scalars().all()
    framework = (
        next((f for f in frameworks if f.id == framework_id), None) if framework_id else (frameworks[0] if frameworks else None)
    )
    if framework_id and framework is None:
        raise ReportNotFound("No such framework.")
    if framework is None:
        return Columns(None, [], [])
    rows = session.execute(
        select(Competence, CompetenceArea)
        .join(CompetenceArea, CompetenceArea.id == Competence.area_id)
        .where(Competence.framework_id == framework.id)
        .order_by(CompetenceArea.position, CompetenceArea.code, Competence.position, Competence.code)
    ).all()
    areas: dict[int, Column] = {}
    competences = []
    for comp, area in rows:
        areas.setdefault(area.id, Column(area.id, area.code, area.name, area.id))
        competences.append(Column(comp.id, comp.code, comp.name, area.id))
    return Columns(framework, list(areas.values()), competences)


def live_cube(session: Session, columns: Columns, *, min_group: int, now: datetime | None = None) -> Cube:
    tree = org_tree(session, with_no_unit=True)
    return build_cube(tree, columns.area_of, direct_cells(session, now=now), area_people(session), min_group)


def unit_report(cube: Figured, columns: Columns, *, unit_id: int = ORG, view: str = AREA) -> UnitReport:
    tree = cube.tree
    if unit_id not in tree.names:
        raise ReportNotFound("No such org unit.")
    cols = columns.of(view)
    keys = [c.key for c in cols]
    children = tree.children.get(unit_id, [])
    direct = bool(children) and unit_id != ORG
    nodes = [(UNIT, unit_id), *((UNIT, child) for child in children), *([(DIRECT, unit_id)] if direct else [])]
    total_cells, *part_cells = cube.cells_many(nodes, view, keys)  # one read, however the figures are kept
    total = Row((UNIT, unit_id), tree.names[unit_id], None, total_cells)
    parts = [
        Row((UNIT, child), tree.names[child], child if child != NO_UNIT else None, cells)
        for child, cells in zip(children, part_cells, strict=False)
    ]
    if direct:
        parts.append(Row((DIRECT, unit_id), f"Directly in {tree.names[unit_id]}", None, part_cells[-1]))
    # Units nobody is in (and that have no staff below them) add nothing but noise.
    parts = [r for r in parts if any(c.suppressed or c.people for c in r.cells)]
    return UnitReport(
        unit_id, tree.names[unit_id], tree.breadcrumbs(unit_id), view, cols, total, parts, cube.min_group, columns.framework
    )


def org_report(
    session: Session,
    *,
    unit_id: int | None = None,
    by: str = AREA,
    framework_id: int | None = None,
    min_group: int = 5,
    now: datetime | None = None,
) -> UnitReport:
    """The report for one unit (None: the whole organisation), small groups already suppressed."""
    if by not in VIEWS:
        raise ValueError(f"by must be one of {VIEWS}")
    columns = report_columns(session, framework_id)
    cube = live_cube(session, columns, min_group=min_group, now=now)
    return unit_report(cube, columns, unit_id=ORG if unit_id is None else unit_id, view=by)


def level_bands(session: Session, columns: Columns) -> list[tuple[str, list[int]]]:
    """Level groups for the distribution columns: the framework's bands (DigComp: Foundation 1–2, ...)."""
    if columns.framework is None:
        return []
    levels = session.execute(
        select(ProficiencyLevel.level, ProficiencyLevel.band)
        .where(ProficiencyLevel.framework_id == columns.framework.id)
        .order_by(ProficiencyLevel.level)
    ).all()
    bands: list[tuple[str, list[int]]] = [(N_("No verified level"), [0])]
    for level, band in levels:
        label = band or f"Level {level}"
        if bands[-1][0] == label:
            bands[-1][1].append(level)
        else:
            bands.append((label, [level]))
    known = {lv for _, lvs in bands for lv in lvs}
    bands.extend((f"Level {lv}", [lv]) for lv in LEVELS if lv not in known)
    return bands
