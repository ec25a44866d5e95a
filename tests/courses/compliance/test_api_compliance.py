"""/api/v1 compliance: scope compliance:read required, unit-limited tokens see only their subtree, suppression kept."""

from __future__ import annotations

from sqlmodel import select

from courses.requirements.models import RequirementCycle
from lms.api.service import api_token_create
from lms.people.models import User
from tests.courses.compliance.test_report import org  # noqa: F401 - the fixture


def _token(db, make_user, scopes, unit=None):
    admin = make_user("admin")
    _, secret = api_token_create(db, name="Sync", scopes=scopes, org_unit_id=unit.id if unit else None, expires_at=None, by=admin)
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def _person_in(db, unit):
    ids = select(RequirementCycle.user_id)
    return db.exec(select(User).where(User.org_unit_id == unit.id, User.is_active, User.id.in_(ids)).order_by(User.id)).first()


def test_the_scope_is_required(client, db, make_user, org):
    assert client.get("/api/v1/compliance/requirements").status_code == 401
    other = _token(db, make_user, ["reports:read"])
    response = client.get("/api/v1/compliance/requirements", headers=other)
    assert response.status_code == 403 and "compliance:read" in response.json()["detail"]


def test_requirements_people_and_units(client, db, make_user, org):
    headers = _token(db, make_user, ["compliance:read"])
    requirements = client.get("/api/v1/compliance/requirements", headers=headers).json()
    assert [r["name"] for r in requirements] == ["Data protection"]
    assert requirements[0]["recurrence"] == "none" and requirements[0]["due_days"] == 30

    person = _person_in(db, org.team_a)
    answer = client.get(f"/api/v1/people/{person.id}/compliance", headers=headers).json()
    assert answer["person"]["id"] == person.id
    assert [(s["requirement"], s["status"]) for s in answer["requirements"]] == [("Data protection", "compliant")]

    unit = client.get(f"/api/v1/org-units/{org.directorate.id}/compliance", headers=headers).json()
    assert unit["min_group"] == 5 and unit["requirements"] == [{"id": org.requirement_id, "name": "Data protection"}]
    assert unit["total"]["cells"][0] == {
        "requirement_id": org.requirement_id,
        "suppressed": False,
        "people": 7,
        "compliant": 6,
        "rate": 6 / 7,
    }
    parts = {p["label"]: p["cells"][0] for p in unit["parts"]}
    assert parts["Team A"]["suppressed"] and parts["Team A"]["people"] is None
    assert parts["Team B"]["suppressed"]


def test_a_unit_limited_token_sees_only_its_subtree(client, db, make_user, org):
    headers = _token(db, make_user, ["compliance:read"], unit=org.directorate)
    assert client.get(f"/api/v1/org-units/{org.team_a.id}/compliance", headers=headers).status_code == 200
    outside = client.get(f"/api/v1/org-units/{org.finance.id}/compliance", headers=headers)
    assert outside.status_code == 404 and outside.json()["detail"].startswith("There is no such unit")
    assert client.get("/api/v1/org-units/999999/compliance", headers=headers).status_code == 404
    inside = _person_in(db, org.team_b)
    assert client.get(f"/api/v1/people/{inside.id}/compliance", headers=headers).status_code == 200
    stranger = _person_in(db, org.finance)
    assert client.get(f"/api/v1/people/{stranger.id}/compliance", headers=headers).status_code == 404
