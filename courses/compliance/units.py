"""Organisation units as the compliance matrix names them: the unit filter's paths and each row's unit."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from lms.people.models import OrgUnit

# Three columns as plain rows, built once: hydrating every unit as an entity (and building the select
# per request) was two fifths of the matrix page (issue 15).
_UNITS = select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id).order_by(OrgUnit.id)


class UnitPath(NamedTuple):
    id: int
    name: str
    path: str  # "Digital / Data team"


def unit_paths(session: Session) -> list[UnitPath]:
    """Every unit with its full path, sorted by path as lms.people.selectors.org_units_with_paths does. One query."""
    rows = session.execute(_UNITS).all()
    by_id = {row.id: row for row in rows}

    def path(unit_id: int | None) -> str:
        parts, seen = [], set()
        while unit_id is not None and unit_id not in seen and (unit := by_id.get(unit_id)) is not None:
            seen.add(unit_id)
            parts.append(unit.name)
            unit_id = unit.parent_id
        return " / ".join(reversed(parts))

    return sorted((UnitPath(row.id, row.name, path(row.id)) for row in rows), key=lambda unit: unit.path.lower())
