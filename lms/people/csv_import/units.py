"""Finding organisation units by path, and creating the missing ones."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from lms.db import known
from lms.people.models import OrgUnit


class UnitResolver:
    """Finds org units by path ("Directorate / Team"), creating missing ones on request.

    A path may also start below a root unit, so "Digital Directorate / Data Team" finds the team under
    "Department for ... / Digital Directorate". A first part found nowhere becomes a new root unit.
    """

    def __init__(self, session: Session):
        self.session = session
        self.children: dict[int | None, dict[str, int]] = {}
        for unit_id, name, parent_id in session.exec(select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id)):
            self.children.setdefault(parent_id, {})[name] = known(unit_id)

    def _child(self, parent_id: int | None, name: str) -> int | None:
        names = self.children.get(parent_id, {})
        if name in names:
            return names[name]
        folded = [uid for n, uid in names.items() if n.casefold() == name.casefold()]
        return folded[0] if len(folded) == 1 else None

    def _start(self, path: tuple[str, ...]) -> int | None:
        """The parent under which ``path`` begins: none (a root), or the one root with such a child."""
        if self._child(None, path[0]) is not None:
            return None
        hosts = [root for root in self.children.get(None, {}).values() if self._child(root, path[0]) is not None]
        return hosts[0] if len(hosts) == 1 else None

    def resolve(self, path: tuple[str, ...]) -> int | None:
        """The existing unit's id; None for an empty path or one that does not exist yet."""
        if not path:
            return None
        unit_id = self._start(path)
        for name in path:
            unit_id = self._child(unit_id, name)
            if unit_id is None:
                return None
        return unit_id

    def missing_count(self, paths: Iterable[tuple[str, ...]]) -> int:
        """How many units resolve_or_create would add for these paths (for dry runs and summaries)."""
        missing: set[tuple] = set()
        for path in paths:
            start = self._start(path) if path else None
            unit_id = start
            for depth, name in enumerate(path):
                unit_id = self._child(unit_id, name)
                if unit_id is None:
                    missing.update((start, path[:k]) for k in range(depth + 1, len(path) + 1))
                    break
        return len(missing)

    def resolve_or_create(self, path: tuple[str, ...]) -> int | None:
        if not path:
            return None
        unit_id = self._start(path)
        for name in path:
            child = self._child(unit_id, name)
            if child is None:
                unit = OrgUnit(name=name, parent_id=unit_id)
                self.session.add(unit)
                self.session.flush()
                child = known(unit.id)
                self.children.setdefault(unit_id, {})[name] = child
            unit_id = child
        return unit_id


def org_unit_id_by_path(session: Session, path: str) -> int | None:
    """The existing unit at a path like "Digital Directorate / Data Team" (as in the CSV), or None.

    A bare name also finds a unit anywhere in the tree when exactly one unit has that name.
    """
    parts = tuple(p.strip() for p in path.split("/"))
    if not all(parts):
        return None
    resolver = UnitResolver(session)
    found = resolver.resolve(parts)
    if found is None and len(parts) == 1:
        named = [uid for names in resolver.children.values() for n, uid in names.items() if n.casefold() == parts[0].casefold()]
        found = named[0] if len(named) == 1 else None
    return found
