"""The team pages run a fixed number of SQL statements, whatever the team or evidence size."""

from __future__ import annotations


from starlette.testclient import TestClient

from lms.competences.models import CompetenceStatus
from lms.people.models import RoleGrant, User
from tests.conftest import sign_in
from tests.lms.competences.factories import REQUIRED, competence as comp, load_digcomp, make_profile, record
from tests.support.queries import counting


def _team_of(db, size: int, profile_id: int, password_hash: str, tag: str) -> User:
    """Bulk-insert a manager, `size` reports (a third of them one level down) and their statuses."""
    manager = User(email=f"lead-{tag}@example.gov", name=f"Lead {tag}", password_hash=password_hash)
    db.add(manager)
    db.flush()
    db.add(RoleGrant(user_id=manager.id, role="manager"))
    people = [
        User(email=f"p{i}-{tag}@example.gov", name=f"Person {i:03d} {tag}", manager_id=manager.id, job_profile_id=profile_id)
        for i in range(size)
    ]
    db.add_all(people)
    db.flush()
    for i, person in enumerate(people):
        if i % 3 == 2:
            person.manager_id = people[i - 1].id  # an indirect report
        for n, code in enumerate(REQUIRED):
            db.add(
                CompetenceStatus(
                    user_id=person.id,
                    competence_id=comp(db, code).id,
                    verified_level=(i + n) % 5,
                    verified_source="course",
                    self_level=(i + n) % 6,
                )
            )
    db.commit()
    return manager


def _count_get(app, email: str, url: str) -> tuple[int, str]:
    with TestClient(app, follow_redirects=False) as client:
        assert sign_in(client, email).status_code == 303
        with counting(app.state.engine) as statements:
            response = client.get(url)
        assert response.status_code == 200
        return len(statements), response.text


def test_heatmap_query_count_does_not_grow_with_the_team(app, db, password_hash):
    load_digcomp(db)
    profile = make_profile(db)
    small = _team_of(db, 5, profile.id, password_hash, "small")
    large = _team_of(db, 50, profile.id, password_hash, "large")
    for url in ("/team", "/team?sort=gap", "/team/export.csv"):
        n_small, page_small = _count_get(app, small.email, url)
        n_large, page_large = _count_get(app, large.email, url)
        assert page_small.count("Person ") < page_large.count("Person ")
        assert n_small == n_large, f"{url}: {n_small} statements for 5 people, {n_large} for 50"
        assert n_small <= 15


def test_drill_down_query_count_does_not_grow_with_evidence(app, db, make_user):
    load_digcomp(db)
    profile = make_profile(db)
    manager = make_user("manager")
    few = make_user(manager_id=manager.id, job_profile_id=profile.id)
    many = make_user(manager_id=manager.id, job_profile_id=profile.id)
    record(db, few, "1.1", 2, source="manager", by=manager)
    for i in range(30):
        record(db, many, ("1.1", "4.2", "2.1", "5.3")[i % 4], i % 8, source=("course", "manager", "self")[i % 3], by=manager)
    n_few, _ = _count_get(app, manager.email, f"/team/people/{few.id}")
    n_many, page = _count_get(app, manager.email, f"/team/people/{many.id}")
    assert "Other competences with evidence" in page and "5.3" in page
    assert n_few == n_many
