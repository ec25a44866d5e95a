"""On a generated organisation of 1,000 people, every figure the report shows equals a plain recount."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select
from sqlmodel import Session

from bench.generate import generate
from lms.clock import utcnow
from lms.competences.models import Competence, CompetenceStatus, JobProfileRequirement
from lms.db import make_engine
from lms.people.models import OrgUnit, User
from lms.reports.cube import AREA, COMPETENCE
from lms.reports.selectors import org_report
from lms.reports.tree import ORG

MIN_GROUP = 5


@pytest.fixture
def generated(empty_db_url):
    generate(empty_db_url, size="S", seed=3, log=lambda _line: None)
    engine = make_engine(empty_db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


class Recount:
    """The report's figures the slow, obvious way: person by person."""

    def __init__(self, db: Session):
        now = utcnow()
        self.parent = dict(db.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
        self.required = defaultdict(dict)
        for profile, comp, level in db.execute(
            select(JobProfileRequirement.job_profile_id, JobProfileRequirement.competence_id, JobProfileRequirement.level)
        ):
            self.required[profile][comp] = level
        self.area_of = dict(db.execute(select(Competence.id, Competence.area_id)).all())
        self.status = {}
        for s in db.execute(select(CompetenceStatus)).scalars():
            lapsed = s.verified_until is not None and s.verified_until <= now
            self.status[(s.user_id, s.competence_id)] = (0 if lapsed else s.verified_level, s.self_level)
        self.people = db.execute(select(User.id, User.org_unit_id, User.job_profile_id).where(User.is_active)).all()

    def _inside(self, unit: int | None, root: int) -> bool:
        if root == ORG:
            return True
        while unit is not None:
            if unit == root:
                return True
            unit = self.parent.get(unit)
        return False

    def figures(self, root: int, view: str, key: int) -> dict:
        people, pairs = set(), []
        for user_id, unit, profile in self.people:
            if not self._inside(unit, root):
                continue
            for comp, level in self.required.get(profile, {}).items():
                if (comp if view == COMPETENCE else self.area_of[comp]) == key:
                    people.add(user_id)
                    pairs.append((level, *self.status.get((user_id, comp), (0, None))))
        levels = [0] * 9
        for _, verified, _ in pairs:
            levels[verified] += 1
        selfs = [(s, v) for _, v, s in pairs if s is not None]
        return {
            "people": len(people),
            "requirements": len(pairs),
            "meeting": sum(v >= req for req, v, _ in pairs),
            "gap_sum": sum(max(req - v, 0) for req, v, _ in pairs),
            "levels": levels,
            "self_count": len(selfs),
            "self_sum": sum(s for s, _ in selfs),
            "verified_self_sum": sum(v for _, v in selfs),
        }


def _units_to_check(db: Session) -> list[int]:
    """The organisation, a directorate, and the deepest unit that has people."""
    top = db.execute(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))).scalar_one()
    directorate = db.execute(select(OrgUnit.id).where(OrgUnit.parent_id == top).order_by(OrgUnit.id)).scalars().first()
    team = (
        db.execute(select(User.org_unit_id).where(User.is_active, User.org_unit_id.is_not(None)).order_by(User.org_unit_id.desc()))
        .scalars()
        .first()
    )
    return [ORG, top, directorate, team]


def test_every_shown_figure_equals_a_recount_and_only_small_groups_are_hidden_first(generated):
    db = generated
    recount = Recount(db)
    checked = hidden = 0
    for unit in _units_to_check(db):
        for view in (AREA, COMPETENCE):
            report = org_report(db, unit_id=unit, by=view, min_group=MIN_GROUP)
            rows = [report.total, *report.parts]
            for row in rows:
                group, node_unit = row.node
                if group != "unit":
                    continue  # "directly in" rows are checked through their unit's total
                for column, cell in zip(report.columns, row.cells, strict=True):
                    expected = recount.figures(node_unit, view, column.key)
                    if 0 < expected["people"] < MIN_GROUP:
                        assert cell.suppressed, (node_unit, column.code)
                    if cell.suppressed:
                        hidden += 1
                        assert cell.people is None and cell.figures is None
                        continue
                    f = cell.figures
                    if expected["people"] == 0:
                        assert f is None
                        continue
                    got = {
                        "people": f.people,
                        "requirements": f.requirements,
                        "meeting": f.meeting,
                        "gap_sum": f.gap_sum,
                        "levels": f.levels,
                        "self_count": f.self_count,
                        "self_sum": f.self_sum,
                        "verified_self_sum": f.verified_self_sum,
                    }
                    assert got == expected, (node_unit, view, column.code)
                    checked += 1
    assert checked > 50 and hidden > 0
