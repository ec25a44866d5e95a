"""Report figures published by the worker and read per unit by the web processes.

The worker's `reports.publish` job (once a minute) recomputes a framework's figures when the `reports`
data version has moved since they were stored, when they are older than LAPSE_BOUND (evidence lapses
with time alone), or when the smallest group shown (REPORT_MIN_GROUP) is not the one they were
suppressed with; it also stores figures for each of the latest monthly snapshots that has none.
Figures are computed by the same Cube the pages used to build for themselves (suppression still
decided once, over the whole tree, in lms.reports.suppression), then written as one row per unit and
group, each column already suppressed. A page reads the handful of rows it shows; no web process
holds a cube, and none computes one while stored figures exist.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from lms import data_versions
from lms.clock import utcnow
from lms.competences.models import Framework
from lms.config import get_settings
from lms.db import known
from lms.reports.aggregate import Figures
from lms.reports.cube import AREA, COMPETENCE, DIRECT, UNIT, Cell, Cube, build_cube
from lms.reports.models import ReportFigureRow, ReportFigureSet, ReportSnapshot
from lms.reports.published import LAPSE_BOUND
from lms.reports.selectors import Columns, live_cube, report_columns
from lms.reports.snapshot import snapshot_cells, snapshots_recent
from lms.reports.tree import ORG, OrgTree, org_tree

BATCH = 1000  # rows per INSERT, and units per read when an export walks every unit
TREND_MONTHS = 12
_KIND_CODE = {AREA: "a", COMPETENCE: "c"}
_GROUP_CODE = {UNIT: "unit", DIRECT: "direct"}
_EMPTY = Cell(people=0, figures=None, suppressed=False)


# --- Writing (the worker) --------------------------------------------------------------------------


def _encode(kind: str, key: int, cell: Cell) -> list | None:
    """[kind, key, people, hidden, *figures]; None for a cell nobody is in (read back as empty)."""
    if cell.suppressed:
        return [_KIND_CODE[kind], key, None, 1]
    f = cell.figures
    if not cell.people or f is None:
        return None
    counters = [f.requirements, f.meeting, f.gap_sum, f.verified_sum, f.self_count, f.self_sum, f.verified_self_sum]
    return [_KIND_CODE[kind], key, cell.people, 0, *counters, *f.levels]


def _decode(entry: Sequence[Any]) -> Cell:
    _kind, _key, people, hidden, *figures = entry
    if hidden:
        return Cell(people=None, figures=None, suppressed=True)
    requirements, meeting, gap_sum, verified_sum, self_count, self_sum, verified_self_sum, *levels = figures
    f = Figures(people, requirements, meeting, gap_sum, verified_sum, self_count, self_sum, verified_self_sum, list(levels))
    return Cell(people=people, figures=f, suppressed=False)


def cube_rows(cube: Cube, columns: Columns) -> Iterator[dict[str, Any]]:
    """Every unit's row (its subtree) and, for units with subunits, the row of the people directly in it."""
    totals = cube.subtree_counters()
    kinds = [(AREA, [c.key for c in columns.areas]), (COMPETENCE, [c.key for c in columns.competences])]
    for unit in cube.tree.top_down():
        rows = [(UNIT, [cube.unit_cells(unit, kind, keys, totals.get(unit, {})) for kind, keys in kinds])]
        if unit != ORG and cube.tree.children.get(unit):
            rows.append((DIRECT, [cube.cells((DIRECT, unit), kind, keys) for kind, keys in kinds]))
        for group, by_kind in rows:
            cells = [
                entry
                for (kind, keys), row in zip(kinds, by_kind, strict=True)
                for key, cell in zip(keys, row, strict=True)
                if (entry := _encode(kind, key, cell)) is not None
            ]
            if cells:
                yield {"grp": _GROUP_CODE[group], "unit_id": unit, "cells": cells}


def figures_store(
    session: Session, *, cube: Cube, columns: Columns, snapshot_id: int | None, data_version: int | None, computed_at: datetime
) -> int:
    """Replace the framework's stored figures (today's, or one snapshot's) by these. Caller commits."""
    assert columns.framework is not None and columns.framework.id is not None
    framework_id = columns.framework.id
    same = select(ReportFigureSet.id).where(ReportFigureSet.framework_id == framework_id)
    same = same.where(ReportFigureSet.snapshot_id.is_(None) if snapshot_id is None else ReportFigureSet.snapshot_id == snapshot_id)
    old = list(session.execute(same).scalars())
    if old:
        session.execute(delete(ReportFigureRow).where(ReportFigureRow.set_id.in_(old)))
        session.execute(delete(ReportFigureSet).where(ReportFigureSet.id.in_(old)))
    figure_set = ReportFigureSet(
        framework_id=framework_id,
        min_group=cube.min_group,
        snapshot_id=snapshot_id,
        data_version=data_version,
        computed_at=computed_at,
    )
    session.add(figure_set)
    session.flush()
    batch: list[dict[str, Any]] = []
    for row in cube_rows(cube, columns):
        batch.append({"set_id": figure_set.id, **row})
        if len(batch) == BATCH:
            session.execute(insert(ReportFigureRow), batch)
            batch = []
    if batch:
        session.execute(insert(ReportFigureRow), batch)
    assert figure_set.id is not None
    return figure_set.id


def _stale(found: ReportFigureSet | None, *, min_group: int, version: int | None, now: datetime) -> bool:
    if found is None or found.min_group != min_group or version is None or found.data_version != version:
        return True
    age = now - found.computed_at
    return not timedelta(0) <= age < LAPSE_BOUND


def figures_publish(session: Session, *, min_group: int, now: datetime | None = None, force: bool = False) -> int:
    """Store every framework's figures that are missing or out of date; how many sets were written. Caller commits."""
    now = now or utcnow()
    version = data_versions.current(session, "reports")  # read first: the figures are at least this new
    snapshots = snapshots_recent(session, TREND_MONTHS)
    written = 0
    tree: OrgTree | None = None
    for framework_id in session.execute(select(Framework.id).order_by(Framework.id)).scalars():
        columns = report_columns(session, framework_id)
        sets = session.execute(select(ReportFigureSet).where(ReportFigureSet.framework_id == framework_id)).scalars().all()
        live = next((s for s in sets if s.snapshot_id is None), None)
        if force or _stale(live, min_group=min_group, version=version, now=now):
            cube = live_cube(session, columns, min_group=min_group, now=now)
            tree = cube.tree
            figures_store(session, cube=cube, columns=columns, snapshot_id=None, data_version=version, computed_at=now)
            written += 1
        done = {s.snapshot_id for s in sets if s.snapshot_id is not None and s.min_group == min_group}
        # Months no trend shows any more: their figures go (the snapshot's own counters stay).
        gone = [known(s.id) for s in sets if s.snapshot_id is not None and s.snapshot_id not in {x.id for x in snapshots}]
        if gone:
            session.execute(delete(ReportFigureRow).where(ReportFigureRow.set_id.in_(gone)))
            session.execute(delete(ReportFigureSet).where(ReportFigureSet.id.in_(gone)))
        for snapshot in snapshots:
            if snapshot.id in done and not force:
                continue
            tree = tree or org_tree(session, with_no_unit=True)
            cube = build_cube(tree, columns.area_of, snapshot_cells(session, snapshot.id), None, min_group)
            figures_store(
                session, cube=cube, columns=columns, snapshot_id=snapshot.id, data_version=None, computed_at=snapshot.taken_at
            )
            written += 1
    return written


def publish_job(session: Session, payload: dict[str, Any]) -> None:
    """The worker's job, once a minute: a few small reads while nothing has changed."""
    figures_publish(session, min_group=get_settings().report_min_group)


# --- Reading (the web processes) -------------------------------------------------------------------


def live_set(session: Session, framework_id: int | None, min_group: int) -> ReportFigureSet | None:
    """Today's stored figures of the framework (None: the first one) for this smallest group, if the worker has run."""
    stmt = select(ReportFigureSet).where(ReportFigureSet.snapshot_id.is_(None), ReportFigureSet.min_group == min_group)
    if framework_id is not None:
        stmt = stmt.where(ReportFigureSet.framework_id == framework_id)
    elif (first := session.execute(select(Framework.id).order_by(Framework.id).limit(1)).scalar()) is not None:
        stmt = stmt.where(ReportFigureSet.framework_id == first)
    return session.execute(stmt.limit(1)).scalars().first()


class StoredFigures:
    """One stored set, read per unit with the request's session (lms.reports.cube.Figured)."""

    def __init__(self, session: Session, figure_set: ReportFigureSet, tree: OrgTree) -> None:
        self.session, self.tree = session, tree
        self.set_id, self.framework_id, self.min_group = figure_set.id, figure_set.framework_id, figure_set.min_group

    def _read(self, set_ids: Sequence[int], units: Sequence[int]) -> dict[tuple[int, str, int], list]:
        rows = self.session.execute(
            select(ReportFigureRow.set_id, ReportFigureRow.grp, ReportFigureRow.unit_id, ReportFigureRow.cells).where(
                ReportFigureRow.set_id.in_(list(set_ids)), ReportFigureRow.unit_id.in_(list(set(units)))
            )
        )
        return {(r[0], r[1], r[2]): r[3] for r in rows}

    @staticmethod
    def _row(entries: list | None, kind: str, keys: list[int]) -> list[Cell]:
        code = _KIND_CODE[kind]
        found = {e[1]: e for e in entries or () if e[0] == code}
        return [_decode(found[k]) if k in found else _EMPTY for k in keys]

    def cells_many(self, nodes: list[tuple[str, int]], kind: str, keys: list[int]) -> list[list[Cell]]:
        assert self.set_id is not None
        got = self._read([self.set_id], [unit for _group, unit in nodes])
        return [self._row(got.get((self.set_id, _GROUP_CODE[group], unit)), kind, keys) for group, unit in nodes]

    def cells(self, node: tuple[str, int], kind: str, keys: list[int]) -> list[Cell]:
        return self.cells_many([node], kind, keys)[0]

    def unit_rows(self, kind: str, keys: list[int]) -> Iterator[tuple[int, list[Cell]]]:
        units = list(self.tree.top_down())
        for start in range(0, len(units), BATCH):
            chunk = units[start : start + BATCH]
            for unit, cells in zip(chunk, self.cells_many([(UNIT, u) for u in chunk], kind, keys), strict=True):
                if any(c.suppressed or c.people for c in cells):
                    yield unit, cells

    def snapshot_rows(self, unit: int, kind: str, keys: list[int]) -> dict[int, list[Cell]]:
        """The unit's row in each stored snapshot, by snapshot id: a trend reads stored months, not cubes."""
        sets: dict[int, int] = dict(
            self.session.execute(
                select(ReportFigureSet.id, ReportFigureSet.snapshot_id)
                .join(ReportSnapshot, ReportSnapshot.id == ReportFigureSet.snapshot_id)
                .where(ReportFigureSet.framework_id == self.framework_id, ReportFigureSet.min_group == self.min_group)
                .order_by(ReportSnapshot.period.desc())
                .limit(TREND_MONTHS)
            ).all()
        )
        if not sets:
            return {}
        got = self._read(list(sets), [unit])
        return {snap: self._row(got.get((set_id, "unit", unit)), kind, keys) for set_id, snap in sets.items()}
