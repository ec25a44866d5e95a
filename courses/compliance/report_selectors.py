"""The organisation's compliance report: per org unit × requirement, the people in the audience (exempt people
left out) and how many are compliant, rolled up through the org tree, small groups suppressed.

Counts per person come from helper D's `standings()` (courses/compliance/selectors.py), so "compliant" means
here exactly what it means on the team matrix: status in COMPLIANT_STATUSES from the one `standing()` rule.
That is one query over the cycles plus one over active people's units; the per-person standings are then
counted per unit in Python (about a second for 100,000 people × 5 requirements). Everything after that
(roll-up, suppression) is arithmetic on a few thousand counters, as in lms/reports: the tree comes from
lms.reports.tree and the suppression rule from lms.reports.suppression, so a figure hidden here follows
the same rule as the skills reports. Monthly snapshots store the same direct counters
(ComplianceSnapshotCell), so the trend reuses the cube.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, literal, select
from sqlmodel import Session

from lms.people.models import User
from lms.reports.aggregate import NO_UNIT
from lms.reports.suppression import suppress
from lms.reports.tree import ORG, OrgTree, org_tree
from lms.reports.trends import CHART_HEIGHT, CHART_PAD, CHART_WIDTH, DASHES, MARKERS, SERIES_STYLES

from courses.compliance.models import ComplianceSnapshotCell
from courses.compliance.selectors import standings
from courses.requirements.models import Requirement
from courses.requirements.status import COMPLIANT_STATUSES, Status

UNIT = "unit"  # a unit and everything below it
DIRECT = "direct"  # the people directly in a unit that also has subunits
Counts = dict[tuple[int, int], tuple[int, int]]  # (unit or NO_UNIT, requirement) -> (people, compliant)


class ReportNotFound(Exception):
    """No such unit (the routes answer 404)."""


@dataclass(frozen=True)
class Column:
    id: int
    name: str


@dataclass(frozen=True)
class Cell:
    people: int | None  # None when hidden: even a small group's size is not shown
    compliant: int | None
    suppressed: bool = False

    @property
    def rate(self) -> float | None:
        return self.compliant / self.people if self.people and self.compliant is not None else None


@dataclass
class Cube:
    tree: OrgTree
    columns: list[Column]
    direct: dict[int, dict[int, tuple[int, int]]]  # unit -> requirement -> (people, compliant), own people only
    min_group: int
    totals: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)  # the same over each subtree
    hidden: set[tuple[str, int, int]] = field(default_factory=set)

    def cell(self, group: str, unit: int, requirement_id: int) -> Cell:
        if (group, unit, requirement_id) in self.hidden:
            return Cell(None, None, True)
        source = self.totals if group == UNIT else self.direct
        people, compliant = source.get(unit, {}).get(requirement_id, (0, 0))
        return Cell(people, compliant)

    def row(self, group: str, unit: int) -> list[Cell]:
        return [self.cell(group, unit, c.id) for c in self.columns]


@dataclass
class Row:
    group: str
    unit_id: int
    label: str
    link_unit: int | None  # where drilling down from this row goes, if anywhere
    cells: list[Cell]


@dataclass
class Report:
    unit_id: int  # ORG for the whole organisation
    title: str
    breadcrumbs: list[tuple[int, str]]
    columns: list[Column]
    total: Row
    parts: list[Row]
    min_group: int


def report_columns(session: Session) -> list[Column]:
    """Requirements in force (not archived), by name."""
    rows = session.execute(
        select(Requirement.id, Requirement.name)
        .where(Requirement.archived_at.is_(None))
        .order_by(func.lower(Requirement.name), Requirement.id)
    )
    return [Column(rid, name) for rid, name in rows]


def requirements_in_force(session: Session) -> list[Requirement]:
    """Requirements not archived, by name (the report's columns, whole)."""
    stmt = select(Requirement).where(Requirement.archived_at.is_(None)).order_by(func.lower(Requirement.name), Requirement.id)
    return list(session.execute(stmt).scalars())


def direct_counts(session: Session, *, now: datetime, requirement_ids: list[int]) -> Counts:
    """(own unit or NO_UNIT, requirement) -> (people in the audience who are not exempt, of them compliant).
    Active people only; two queries."""
    if not requirement_ids:
        return {}
    unit_col = func.coalesce(User.org_unit_id, literal(NO_UNIT))
    unit_of: dict[int, int] = dict(session.connection().execute(select(User.id, unit_col).where(User.is_active)).all())
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for (user_id, requirement_id), st in standings(session, now=now, requirement_ids=requirement_ids).items():
        unit = unit_of.get(user_id)
        if unit is None or st.status is Status.EXEMPT:
            continue
        pair = counts[(unit, requirement_id)]
        pair[0] += 1
        if st.status in COMPLIANT_STATUSES:
            pair[1] += 1
    return {key: (people, compliant) for key, (people, compliant) in counts.items()}


def build_cube(tree: OrgTree, columns: list[Column], counts: Mapping[tuple[int, int], tuple[int, int]], min_group: int) -> Cube:
    """Roll the direct counters up the tree and decide, over the whole tree at once, what to hide."""
    wanted = {c.id for c in columns}
    direct: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for (unit, rid), pair in counts.items():
        if rid in wanted and unit in tree:
            direct[unit][rid] = pair
    totals: dict[int, dict[int, tuple[int, int]]] = {}
    for unit in tree.bottom_up():
        acc: dict[int, list[int]] = {rid: list(pair) for rid, pair in direct.get(unit, {}).items()}
        for child in tree.children.get(unit, ()):
            for rid, (people, compliant) in totals.get(child, {}).items():
                sums = acc.setdefault(rid, [0, 0])
                sums[0] += people
                sums[1] += compliant
        totals[unit] = {rid: (p, c) for rid, (p, c) in acc.items()}
    cube = Cube(tree, columns, dict(direct), min_group, totals)
    cube.hidden = _hidden(cube)
    return cube


def _hidden(cube: Cube) -> set[tuple[str, int, int]]:
    """A unit is its child units plus the people directly in it (a leaf unit is just its people); each
    requirement is a partition of its own. The rule itself is lms.reports.suppression's."""
    tree = cube.tree
    counts: dict[tuple[str, int, int], int] = {}
    for unit, by_req in cube.totals.items():
        for rid, (people, _) in by_req.items():
            counts[(UNIT, unit, rid)] = people
    for unit, by_req in cube.direct.items():
        if unit != ORG and tree.children.get(unit):
            for rid, (people, _) in by_req.items():
                counts[(DIRECT, unit, rid)] = people

    def parts_of(whole: tuple[str, int, int]) -> list[list[tuple[str, int, int]]]:
        group, unit, rid = whole
        children = tree.children.get(unit)
        if group != UNIT or not children:
            return []
        return [[(UNIT, child, rid) for child in children] + ([(DIRECT, unit, rid)] if unit != ORG else [])]

    def wholes_of(part: tuple[str, int, int]) -> list[tuple[str, int, int]]:
        group, unit, rid = part
        if group == DIRECT:
            return [(UNIT, unit, rid)]
        return [(UNIT, tree.parent.get(unit, ORG), rid)] if unit != ORG else []

    return suppress(counts, parts_of, wholes_of, cube.min_group)


def live_cube(session: Session, *, now: datetime, min_group: int) -> Cube:
    columns = report_columns(session)
    tree = org_tree(session, with_no_unit=True)
    return build_cube(tree, columns, direct_counts(session, now=now, requirement_ids=[c.id for c in columns]), min_group)


def unit_report(cube: Cube, unit_id: int = ORG) -> Report:
    tree = cube.tree
    if unit_id not in tree:
        raise ReportNotFound("No such org unit.")
    children = tree.children.get(unit_id, [])
    total = Row(UNIT, unit_id, tree.names[unit_id], None, cube.row(UNIT, unit_id))
    parts = [Row(UNIT, child, tree.names[child], child if child != NO_UNIT else None, cube.row(UNIT, child)) for child in children]
    if children and unit_id != ORG:
        parts.append(Row(DIRECT, unit_id, f"Directly in {tree.names[unit_id]}", None, cube.row(DIRECT, unit_id)))
    # Units with nobody in any audience add nothing but noise.
    parts = [r for r in parts if any(c.suppressed or c.people for c in r.cells)]
    return Report(unit_id, tree.names[unit_id], tree.breadcrumbs(unit_id), cube.columns, total, parts, cube.min_group)


def units_top_down(tree: OrgTree) -> list[int]:
    """The organisation, then every unit before its subunits, siblings in name order."""
    order, stack = [], [ORG]
    while stack:
        unit = stack.pop()
        order.append(unit)
        stack.extend(reversed(tree.children.get(unit, ())))
    return order


# --- the trend: stored monthly counters through the same cube ---------------------------------------


def snapshot_periods(session: Session, limit: int = 12) -> list[str]:
    """The latest `limit` months with a snapshot, oldest first."""
    rows = session.execute(
        select(ComplianceSnapshotCell.period).distinct().order_by(ComplianceSnapshotCell.period.desc()).limit(limit)
    ).scalars()
    return sorted(rows)


def snapshot_counts(session: Session, periods: list[str]) -> dict[str, Counts]:
    """{period: counters in the shape of direct_counts} for the given months (one query)."""
    found: dict[str, Counts] = {p: {} for p in periods}
    if not periods:
        return found
    rows = session.execute(
        select(
            ComplianceSnapshotCell.period,
            ComplianceSnapshotCell.org_unit_id,
            ComplianceSnapshotCell.requirement_id,
            ComplianceSnapshotCell.people,
            ComplianceSnapshotCell.compliant,
        ).where(ComplianceSnapshotCell.period.in_(periods))
    )
    for period, unit, rid, people, compliant in rows:
        found[period][(unit, rid)] = (people, compliant)
    return found


@dataclass
class TrendPoint:
    label: str
    cells: list[Cell]


@dataclass
class Series:
    column: Column
    style: int
    points: list[tuple[float, float]]  # (x, y) in chart coordinates for the months that have a figure
    marker: str
    dash: int


@dataclass
class Trend:
    columns: list[Column]
    points: list[TrendPoint]

    def _step(self) -> float:
        return (CHART_WIDTH - 2 * CHART_PAD) / (len(self.points) - 1)

    def chart(self) -> list[Series]:
        """A line per requirement of the compliance rate, 0-100 % bottom to top, drawn like the skills trend
        (colour, marker and dash per line); hidden figures leave a gap."""
        if len(self.points) < 2:
            return []
        series = []
        for i, column in enumerate(self.columns):
            coords = []
            for n, point in enumerate(self.points):
                rate = point.cells[i].rate
                if rate is not None:
                    y = CHART_HEIGHT - CHART_PAD - rate * (CHART_HEIGHT - 2 * CHART_PAD)
                    coords.append((round(CHART_PAD + n * self._step(), 1), round(y, 1)))
            series.append(Series(column, i % SERIES_STYLES, coords, MARKERS[i % len(MARKERS)], i % DASHES))
        return series

    def x_labels(self) -> list[tuple[float, str]]:
        if len(self.points) < 2:
            return []
        return [(round(CHART_PAD + n * self._step(), 1), p.label) for n, p in enumerate(self.points)]


def unit_trend(session: Session, live: Cube, *, unit_id: int, limit: int = 12) -> Trend:
    """The last `limit` monthly snapshots and today's figures for one unit, each suppressed over the whole tree
    of today (units that no longer exist drop out, as in the skills trend). Two queries."""
    periods = snapshot_periods(session, limit)
    stored = snapshot_counts(session, periods)
    points = [TrendPoint(p, build_cube(live.tree, live.columns, stored[p], live.min_group).row(UNIT, unit_id)) for p in periods]
    points.append(TrendPoint("Now", live.row(UNIT, unit_id)))
    return Trend(live.columns, points)
