"""The demo data gives the demo manager a heatmap worth looking at."""

import pytest
from sqlmodel import select

from lms.competences.models import CompetenceStatus, Evidence, Framework
from lms.competences.service import statuses_rebuild
from lms.competences.team import team_heatmap
from lms.people.models import User


def _user(db, email):
    return db.exec(select(User).where(User.email == email)).one()


@pytest.mark.demo
def test_demo_loads_digcomp_profiles_and_a_spread_of_evidence(db):
    assert db.exec(select(Framework.code)).all() == ["DigComp"]
    employee, manager = _user(db, "employee@example.gov"), _user(db, "manager@example.gov")
    assert employee.job_profile_id and manager.job_profile_id

    heatmap = team_heatmap(db, manager_id=manager.id)
    gaps = [max(r - v, 0) for (r, v, _s, _l) in heatmap.cells.values()]
    assert 0 in gaps and 1 in gaps and max(gaps) >= 2, "expected met, small-gap and large-gap cells"
    assert any(p.manager_id != manager.id for p in heatmap.people), "expected a sub-team below a report"
    selfs = [(s, v) for (_r, v, s, _l) in heatmap.cells.values() if s is not None]
    assert any(s > v for s, v in selfs), "expected someone rating themselves above their verified level"

    sources = set(db.exec(select(Evidence.source)).all())
    assert {"self", "manager", "import"} <= sources
    from lms.clock import utcnow

    assert any(e.expires_at and e.expires_at <= utcnow() for e in db.exec(select(Evidence)).all())
    assert db.exec(select(CompetenceStatus)).first() is not None
    report = statuses_rebuild(db, fix=False)
    assert report.drift == [] and report.checked > 0
