"""The org tree as reports need it: one query, then parents, children and depth-first order in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from lms.people.models import OrgUnit
from lms.reports.aggregate import NO_UNIT

ORG = -1  # the whole organisation: the root above every top-level unit
NO_UNIT_LABEL = "Not in any unit"


@dataclass
class OrgTree:
    names: dict[int, str] = field(default_factory=dict)
    parent: dict[int, int] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)

    def __contains__(self, unit_id: int) -> bool:
        return unit_id in self.names

    def bottom_up(self) -> list[int]:
        """Every unit after all of its descendants, the organisation last."""
        order, stack, seen = [], [ORG], set()
        while stack:
            unit = stack.pop()
            if unit in seen:  # a corrupt cycle must not loop forever
                continue
            seen.add(unit)
            order.append(unit)
            stack.extend(self.children.get(unit, ()))
        return order[::-1]

    def top_down(self) -> Iterator[int]:
        """The organisation, then every unit before its subunits, siblings in name order."""
        stack = [ORG]
        while stack:
            unit = stack.pop()
            yield unit
            stack.extend(reversed(self.children.get(unit, ())))

    def subtree(self, unit_id: int) -> list[int]:
        found, stack = [], [unit_id]
        while stack:
            unit = stack.pop()
            found.append(unit)
            stack.extend(self.children.get(unit, ()))
        return found

    def ancestors(self, unit_id: int) -> list[int]:
        """From the top-level unit down to the unit's parent (the organisation not included)."""
        chain, unit = [], self.parent.get(unit_id, ORG)
        while unit != ORG and unit not in chain:
            chain.append(unit)
            unit = self.parent.get(unit, ORG)
        return chain[::-1]

    def breadcrumbs(self, unit_id: int) -> list[tuple[int, str]]:
        """(id, name) from the organisation down to the unit's parent; none for the organisation itself."""
        if unit_id == ORG:
            return []
        return [(ORG, self.names[ORG])] + [(u, self.names[u]) for u in self.ancestors(unit_id)]

    def path(self, unit_id: int) -> str:
        return " / ".join(self.names[u] for u in [*self.ancestors(unit_id), unit_id])


def org_tree(session: Session, *, with_no_unit: bool = False) -> OrgTree:
    """All units; `with_no_unit` adds a pseudo-unit for people without one, under the organisation."""
    tree = OrgTree(names={ORG: "Whole organisation"})
    rows = session.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id)).all()
    for unit_id, name, _ in rows:
        tree.names[unit_id] = name
    for unit_id, _, parent_id in sorted(rows, key=lambda r: r[1].lower()):
        parent = parent_id if parent_id in tree.names else ORG
        tree.parent[unit_id] = parent
        tree.children.setdefault(parent, []).append(unit_id)
    if with_no_unit:
        tree.names[NO_UNIT] = NO_UNIT_LABEL
        tree.parent[NO_UNIT] = ORG
        tree.children.setdefault(ORG, []).append(NO_UNIT)
    return tree
