"""Everything one report request needs, computed once: counters per unit, roll-ups and what to hide.

Direct counters (people directly in a unit × competence) come from lms.reports.aggregate or from a
stored snapshot; both give the same shape, so trends reuse this. Suppression is decided over the whole
tree and both column kinds (areas and competences) at once, so a figure hidden on one page is hidden on
every page, export and API answer that could show it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from lms.reports.aggregate import Figures, sum_counters
from lms.reports.suppression import suppress
from lms.reports.tree import ORG, OrgTree

AREA = "area"
COMPETENCE = "competence"
UNIT = "unit"
DIRECT = "direct"  # the people directly in a unit that also has subunits


class Figured(Protocol):
    """What report pages and exports read: a Cube in this process, or lms.reports.stored's published rows."""

    tree: OrgTree
    min_group: int

    def cells(self, node: tuple[str, int], kind: str, keys: list[int]) -> list[Cell]: ...

    def cells_many(self, nodes: list[tuple[str, int]], kind: str, keys: list[int]) -> list[list[Cell]]: ...

    def unit_rows(self, kind: str, keys: list[int]) -> Iterator[tuple[int, list[Cell]]]: ...

    def snapshot_rows(self, unit: int, kind: str, keys: list[int]) -> dict[int, list[Cell]]: ...


@dataclass
class Cube:
    tree: OrgTree
    # competence id -> area id, for the framework being reported on (in display order)
    area_of: dict[int, int]
    direct: dict[int, dict[int, tuple[int, ...]]]  # unit -> competence -> counters
    direct_area_people: dict[int, dict[int, int]]  # unit -> area -> distinct people
    min_group: int
    counts: dict[tuple, int] = field(default_factory=dict)
    hidden: set[tuple] = field(default_factory=set)

    def cells(self, node: tuple[str, int], kind: str, keys: list[int]) -> list[Cell]:
        """One row of a report: the node's figures for each column, or why there are none."""
        group, unit = node
        units = self.tree.subtree(unit) if group == UNIT else [unit]
        by_comp: dict[int, list[tuple[int, ...]]] = defaultdict(list)
        for member in units:
            for comp, counters in self.direct.get(member, {}).items():
                by_comp[comp].append(counters)
        return self._row(group, unit, kind, keys, {c: sum_counters(rows) for c, rows in by_comp.items()})

    def cells_many(self, nodes: list[tuple[str, int]], kind: str, keys: list[int]) -> list[list[Cell]]:
        """Several rows at once (stored figures read them in one query; here it is just a loop)."""
        return [self.cells(node, kind, keys) for node in nodes]

    def unit_rows(self, kind: str, keys: list[int]) -> Iterator[tuple[int, list[Cell]]]:
        """(unit, its row of cells) for every unit with people in scope (shown or hidden), top-down."""
        totals = self.subtree_counters()
        for unit in self.tree.top_down():
            cells = self.unit_cells(unit, kind, keys, totals.get(unit, {}))
            if any(c.suppressed or c.people for c in cells):
                yield unit, cells

    def snapshot_rows(self, unit: int, kind: str, keys: list[int]) -> dict[int, list[Cell]]:
        """Stored snapshot figures by snapshot id: none here (trends build those months' cubes)."""
        return {}

    def subtree_counters(self) -> dict[int, dict[int, tuple[int, ...]]]:
        """unit -> competence -> counters summed over the unit's subtree, for every unit in one bottom-up
        pass: cells() sums a subtree per call, which is quadratic over every unit of a deep tree."""
        totals: dict[int, dict[int, tuple[int, ...]]] = {}
        for unit in self.tree.bottom_up():
            acc: dict[int, list[tuple[int, ...]]] = {c: [ctr] for c, ctr in self.direct.get(unit, {}).items()}
            for child in self.tree.children.get(unit, ()):
                for comp, counters in totals.get(child, {}).items():
                    acc.setdefault(comp, []).append(counters)
            totals[unit] = {comp: sum_counters(rows) for comp, rows in acc.items()}
        return totals

    def unit_cells(self, unit: int, kind: str, keys: list[int], counters: dict[int, tuple[int, ...]]) -> list[Cell]:
        """The same as cells((UNIT, unit), kind, keys), from the unit's entry in subtree_counters()."""
        return self._row(UNIT, unit, kind, keys, counters)

    def _row(self, group: str, unit: int, kind: str, keys: list[int], counters: dict[int, tuple[int, ...]]) -> list[Cell]:
        cells = []
        for key in keys:
            people = self.counts.get((group, unit, kind, key), 0)
            if (group, unit, kind, key) in self.hidden:
                cells.append(Cell(people=None, figures=None, suppressed=True))
                continue
            comps = [key] if kind == COMPETENCE else [c for c, a in self.area_of.items() if a == key]
            totals = sum_counters([counters[c] for c in comps if c in counters])
            figures = Figures.from_counters(totals, people=people) if people else None
            cells.append(Cell(people=people, figures=figures, suppressed=False))
        return cells


@dataclass(frozen=True)
class Cell:
    people: int | None  # None when hidden: even the size of a small group is not shown
    figures: Figures | None  # None when hidden or when nobody is in scope
    suppressed: bool


def _rollup(tree: OrgTree, direct: dict[int, dict[int, int]]) -> dict[int, dict[int, int]]:
    totals: dict[int, dict[int, int]] = {}
    for unit in tree.bottom_up():
        acc = dict(direct.get(unit, {}))
        for child in tree.children.get(unit, ()):
            for key, n in totals.get(child, {}).items():
                acc[key] = acc.get(key, 0) + n
        totals[unit] = acc
    return totals


def build_cube(
    tree: OrgTree,
    area_of: dict[int, int],
    cells: dict[tuple[int, int], tuple[int, ...]],
    area_people: dict[tuple[int, int], int] | None,
    min_group: int,
) -> Cube:
    """`area_people` None (snapshots) estimates an area's people as its largest competence group:
    never more than the truth, so suppression stays on the safe side."""
    direct: dict[int, dict[int, tuple[int, ...]]] = defaultdict(dict)
    for (unit, comp), counters in cells.items():
        if comp in area_of:
            direct[unit][comp] = counters
    direct_area: dict[int, dict[int, int]] = defaultdict(dict)
    if area_people is not None:
        for (unit, area), n in area_people.items():
            if area in area_of.values():
                direct_area[unit][area] = n
    else:
        for unit, comps in direct.items():
            for comp, counters in comps.items():
                area = area_of[comp]
                direct_area[unit][area] = max(direct_area[unit].get(area, 0), counters[0])
    cube = Cube(tree, area_of, dict(direct), dict(direct_area), min_group)
    _decide(cube)
    return cube


def _decide(cube: Cube) -> None:
    """Hide what must be hidden. The partitions follow from a key's shape, so they are not stored:
    a unit is its child units plus the people directly in it (a leaf unit is just its people), and
    an area of a group is that group's competences in the area."""
    tree = cube.tree
    comp_people = {u: {c: ctr[0] for c, ctr in comps.items()} for u, comps in cube.direct.items()}
    rolled = {COMPETENCE: _rollup(tree, comp_people), AREA: _rollup(tree, cube.direct_area_people)}
    direct_counts = {COMPETENCE: comp_people, AREA: cube.direct_area_people}
    counts: dict[tuple, int] = {}
    for unit in tree.names:
        has_direct = unit != ORG and bool(tree.children.get(unit))
        for kind in (COMPETENCE, AREA):
            for key, n in rolled[kind].get(unit, {}).items():
                counts[(UNIT, unit, kind, key)] = n
            if has_direct:
                for key, n in direct_counts[kind].get(unit, {}).items():
                    counts[(DIRECT, unit, kind, key)] = n
    comps_in: dict[int, list[int]] = defaultdict(list)
    for comp, area in cube.area_of.items():
        comps_in[area].append(comp)

    def parts_of(whole: tuple) -> list[list[tuple]]:
        group, unit, kind, key = whole
        parts: list[list[tuple]] = []
        children = tree.children.get(unit)
        if group == UNIT and children:
            parts.append([(UNIT, child, kind, key) for child in children] + ([(DIRECT, unit, kind, key)] if unit != ORG else []))
        if kind == AREA:
            parts.append([(group, unit, COMPETENCE, c) for c in comps_in.get(key, ())])
        return parts

    def wholes_of(part: tuple) -> list[tuple]:
        group, unit, kind, key = part
        wholes = [(UNIT, unit, kind, key)] if group == DIRECT else []
        if group == UNIT and unit != ORG:
            wholes.append((UNIT, tree.parent.get(unit, ORG), kind, key))
        if kind == COMPETENCE and key in cube.area_of:
            wholes.append((group, unit, AREA, cube.area_of[key]))
        return wholes

    cube.counts = counts
    cube.hidden = suppress(counts, parts_of, wholes_of, cube.min_group)
