"""Building the platform's people data quickly for tests (users come from the make_user fixture in
tests/conftest.py; competences, job profiles and evidence from tests/lms/competences/factories.py)."""

from __future__ import annotations

from sqlmodel import Session

from lms.people.models import OrgUnit


def make_unit(db: Session, name: str, parent: OrgUnit | None = None) -> OrgUnit:
    """A committed org unit, under ``parent`` if given."""
    unit = OrgUnit(name=name, parent_id=parent.id if parent else None)
    db.add(unit)
    db.commit()
    return unit
