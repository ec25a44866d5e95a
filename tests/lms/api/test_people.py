"""People through the API: only the token's unit subtree, 404 outside it, competence status with expiry and
the self-assessment apart, pages with a next link, and a query count that does not grow with page size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from lms.clock import utcnow
from lms.competences.models import CompetenceStatus
from lms.competences.service import evidence_record
from tests.lms.api.conftest import bearer
from tests.lms.competences.factories import competence, make_profile
from tests.lms.factories import make_unit
from tests.support.queries import counting


@pytest.fixture
def org(db, make_user, digcomp):
    digital = make_unit(db, "Digital")
    data = make_unit(db, "Data team", digital)
    finance = make_unit(db, "Finance")
    profile = make_profile(db, "Analyst", {"1.1": 4, "4.1": 3, "5.1": 2})
    people = {
        "ada": make_user(name="Ada Data", org_unit_id=data.id, job_profile_id=profile.id),
        "dan": make_user(name="Dan Digital", org_unit_id=digital.id),
        "fay": make_user(name="Fay Finance", org_unit_id=finance.id, job_profile_id=profile.id),
        "nia": make_user(name="Nia Nowhere"),
        "old": make_user(name="Olly Left", org_unit_id=data.id, is_active=False),
    }
    return {"digital": digital, "data": data, "finance": finance, "profile": profile, **people}


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["name"] for p in response.json()["items"]]


def test_unlimited_token_lists_every_active_person(client, issue, org):
    _, secret = issue(["people:read"])
    r = client.get("/api/v1/people", headers=bearer(secret))
    assert names(r) == ["Ada Data", "Dan Digital", "Fay Finance", "Nia Nowhere", "Zoe Admin"]
    ada = r.json()["items"][0]
    assert ada["org_unit"] == {"id": org["data"].id, "name": "Data team"}
    assert ada["job_profile"] == {"id": org["profile"].id, "name": "Analyst"}
    assert r.json()["items"][3]["org_unit"] is None


def test_unit_limited_token_sees_only_its_subtree(client, issue, org):
    _, secret = issue(["people:read"], unit=org["digital"])
    assert names(client.get("/api/v1/people", headers=bearer(secret))) == ["Ada Data", "Dan Digital"]
    assert names(client.get(f"/api/v1/people?org_unit={org['data'].id}", headers=bearer(secret))) == ["Ada Data"]
    # Filtering by a unit outside the subtree does not widen the scope.
    outside = client.get(f"/api/v1/people?org_unit={org['finance'].id}", headers=bearer(secret))
    assert outside.status_code == 404 and outside.json()["detail"]
    assert client.get(f"/api/v1/people/{org['ada'].id}/competences", headers=bearer(secret)).status_code == 200
    for person in ("fay", "nia", "old"):
        r = client.get(f"/api/v1/people/{org[person].id}/competences", headers=bearer(secret))
        assert r.status_code == 404, person
    # Outside the scope reads exactly like an id that does not exist.
    missing = client.get("/api/v1/people/999999/competences", headers=bearer(secret))
    assert missing.json() == client.get(f"/api/v1/people/{org['fay'].id}/competences", headers=bearer(secret)).json()


def test_competence_status_per_required_competence(client, db, issue, org):
    ada = org["ada"]
    now = utcnow()
    evidence_record(db, user=ada, competence=competence(db, "1.1"), level=5, source="quiz", by=None)
    evidence_record(
        db, user=ada, competence=competence(db, "4.1"), level=3, source="manager", by=None, expires_at=now + timedelta(days=1)
    )
    evidence_record(db, user=ada, competence=competence(db, "5.1"), level=4, source="self", by=ada)
    db.commit()
    _, secret = issue(["people:read"], unit=org["digital"])

    body = client.get(f"/api/v1/people/{ada.id}/competences", headers=bearer(secret)).json()
    assert body["person"]["id"] == ada.id and body["person"]["name"] == "Ada Data"
    rows = {row["competence"]: row for row in body["competences"]}
    assert list(rows) == ["1.1", "4.1", "5.1"]  # only what the profile requires, in framework order
    assert (rows["1.1"]["required"], rows["1.1"]["verified"], rows["1.1"]["gap"]) == (4, 5, 0)
    assert rows["1.1"]["verified_source"] == "quiz"
    assert rows["1.1"]["framework"] == "DigComp" and rows["1.1"]["self_assessment"] is None
    assert (rows["4.1"]["verified"], rows["4.1"]["lapsed"], rows["4.1"]["gap"]) == (3, False, 0)
    # A self-assessment is reported apart and never counts as verified.
    assert (rows["5.1"]["verified"], rows["5.1"]["gap"]) == (0, 2)
    assert rows["5.1"]["self_assessment"]["level"] == 4

    # Once the manager's rating expires the level counts as 0, even before statuses are rebuilt.
    status = db.exec(
        select(CompetenceStatus).where(CompetenceStatus.user_id == ada.id, CompetenceStatus.competence_id == competence(db, "4.1").id)
    ).one()
    status.verified_until = now - timedelta(seconds=1)
    db.add(status)
    db.commit()
    rows = {
        r["competence"]: r for r in client.get(f"/api/v1/people/{ada.id}/competences", headers=bearer(secret)).json()["competences"]
    }
    assert (rows["4.1"]["verified"], rows["4.1"]["lapsed"], rows["4.1"]["gap"]) == (0, True, 3)


def test_person_without_a_profile_has_no_required_competences(client, issue, org):
    _, secret = issue(["people:read"])
    body = client.get(f"/api/v1/people/{org['dan'].id}/competences", headers=bearer(secret)).json()
    assert body["competences"] == [] and body["person"]["job_profile"] is None


def test_pages_follow_next_to_the_end(client, db, make_user, issue):
    unit = make_unit(db, "Big team")
    for i in range(7):
        make_user(name=f"Person {i}", org_unit_id=unit.id)
    _, secret = issue(["people:read"], unit=unit)
    seen, url = [], "/api/v1/people?per_page=3"
    while url:
        body = client.get(url, headers=bearer(secret)).json()
        assert body["total"] == 7
        seen += [p["name"] for p in body["items"]]
        url = body["next"]
        assert url is None or url.startswith("/api/v1/people?")  # relative: BASE_URL is not set
    assert seen == [f"Person {i}" for i in range(7)]
    too_big = client.get("/api/v1/people?per_page=201", headers=bearer(secret))
    assert too_big.status_code == 422 and too_big.json()["detail"][0]["loc"] == ["query", "per_page"]


def test_people_query_count_does_not_grow_with_page_size(app, client, db, make_user, issue):
    digital = make_unit(db, "Digital")
    team = make_unit(db, "Team", digital)
    for i in range(60):
        make_user(name=f"Person {i:02}", org_unit_id=(digital, team)[i % 2].id)
    _, secret = issue(["people:read"], unit=digital)
    client.get("/api/v1/people?per_page=1", headers=bearer(secret))  # records last use, outside the count
    counts = []
    for per_page in (1, 10, 60):
        with counting(app.state.engine) as statements:
            r = client.get(f"/api/v1/people?per_page={per_page}", headers=bearer(secret))
        assert len(r.json()["items"]) == per_page
        counts.append(len(statements))
    # Three reads, and the record of who viewed whom (lms/privacy/views.py): the view and its people.
    assert counts[0] == counts[1] == counts[2] <= 5, counts
