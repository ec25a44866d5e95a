"""Change over time for one unit: the monthly snapshots plus today's figures, suppressed like the report."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from lms.db import known
from lms.reports.cube import UNIT, Cell, Figured, build_cube
from lms.reports.selectors import Column, Columns
from lms.reports.snapshot import snapshot_cells, snapshots_recent

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 240, 40
SERIES_STYLES = 6  # app.css has .trend-series-0 … -5; more columns reuse them with a different marker
# Lines that share a value lie on top of each other on a 0–100 % axis, so colour alone cannot tell them
# apart: each series also has its own marker shape and dash pattern (app.css .trend-dash-0 … -2).
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = 3


@dataclass
class TrendPoint:
    label: str
    cells: list[Cell]


@dataclass
class Series:
    column: Column
    style: int
    points: list[tuple[float, float]]  # (x, y) in chart coordinates for the periods that have a figure
    marker: str = "circle"
    dash: int = 0


@dataclass
class Trend:
    columns: list[Column]
    points: list[TrendPoint]

    def chart(self) -> list[Series]:
        """Lines of the share meeting requirements, 0–100 % bottom to top; hidden figures leave a gap."""
        if len(self.points) < 2:
            return []
        step = (CHART_WIDTH - 2 * CHART_PAD) / (len(self.points) - 1)
        series = []
        for i, column in enumerate(self.columns):
            coords = []
            for n, point in enumerate(self.points):
                figures = point.cells[i].figures
                if figures is not None and figures.share_meeting is not None:
                    y = CHART_HEIGHT - CHART_PAD - figures.share_meeting * (CHART_HEIGHT - 2 * CHART_PAD)
                    coords.append((round(CHART_PAD + n * step, 1), round(y, 1)))
            # Colour, marker and dash cycle at different lengths, so no two of the first 12 series look alike.
            series.append(Series(column, i % SERIES_STYLES, coords, MARKERS[i % len(MARKERS)], i % DASHES))
        return series

    def x_labels(self) -> list[tuple[float, str]]:
        if len(self.points) < 2:
            return []
        step = (CHART_WIDTH - 2 * CHART_PAD) / (len(self.points) - 1)
        return [(round(CHART_PAD + n * step, 1), p.label) for n, p in enumerate(self.points)]


def unit_trend(session: Session, columns: Columns, live: Figured, *, unit_id: int, view: str, limit: int = 12) -> Trend:
    """The unit's row in each of the latest `limit` months, then the live figures as the last point.

    Months the worker has stored figures for (lms.reports.stored) are read, all in one query; a month
    without them yet is rolled up and suppressed from its snapshot here."""
    cols = columns.of(view)
    keys = [c.key for c in cols]
    stored = live.snapshot_rows(unit_id, view, keys)
    points = []
    for snap in snapshots_recent(session, limit):
        cells = stored.get(known(snap.id))
        if cells is None:
            cube = build_cube(live.tree, columns.area_of, snapshot_cells(session, known(snap.id)), None, live.min_group)
            cells = cube.cells((UNIT, unit_id), view, keys)
        points.append(TrendPoint(snap.period, cells))
    points.append(TrendPoint("Now", live.cells((UNIT, unit_id), view, keys)))
    return Trend(cols, points)
