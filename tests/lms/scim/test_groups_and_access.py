"""Groups grant and take back the roles GROUP_ROLES names; who may call /scim/v2; a page costs the same whatever its size."""

from __future__ import annotations

from scim2_models import Group, PatchOp
from sqlmodel import select
from starlette.testclient import TestClient

from lms.audit.models import AuditEvent
from lms.people.models import OrgUnit
from lms.people.selectors import user_roles
from tests.lms.scim.conftest import BASE
from tests.support.queries import counting

USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def _user(http, email: str) -> str:
    return http.post("/Users", json={"schemas": [USER], "userName": email}).json()["id"]


def test_groups_grant_roles_and_removing_takes_them_back(scim, http, db):
    ann, bob = _user(http, "ann@example.gov"), _user(http, "bob@example.gov")
    trainers = scim.create(Group(display_name="LMS Trainers", members=[{"value": ann, "$ref": f"{BASE}/Users/{ann}"}]))
    book_club = scim.create(Group(display_name="Book club", members=[{"value": bob, "$ref": f"{BASE}/Users/{bob}"}]))
    assert user_roles(db, int(ann)) == {"trainer"} and user_roles(db, int(bob)) == set()  # a group not in the table: no effect
    assert [g["display"] for g in http.get(f"/Users/{ann}").json()["groups"]] == ["LMS Trainers"]

    add_bob = PatchOp[Group].model_validate(
        {"Operations": [{"op": "add", "path": "members", "value": [{"value": bob, "$ref": f"{BASE}/Users/{bob}"}]}]}
    )
    scim.modify(Group, trainers.id, add_bob)
    assert user_roles(db, int(bob)) == {"trainer"}
    remove_ann = PatchOp[Group].model_validate({"Operations": [{"op": "remove", "path": f'members[value eq "{ann}"]'}]})
    after = scim.modify(Group, trainers.id, remove_ann)
    assert [m.value for m in after.members] == [bob] and user_roles(db, int(ann)) == set()

    # Renaming to another mapped group swaps the role; deleting takes it away.
    renamed = PatchOp[Group].model_validate({"Operations": [{"op": "replace", "path": "displayName", "value": "LMS Managers"}]})
    scim.modify(Group, trainers.id, renamed)
    assert user_roles(db, int(bob)) == {"manager"}
    scim.delete(Group, trainers.id)
    assert user_roles(db, int(bob)) == set() and http.get(f"/Groups/{trainers.id}").status_code == 404
    assert http.get("/Groups", params={"filter": 'displayName eq "book CLUB"'}).json()["Resources"][0]["id"] == book_club.id

    clash = http.post("/Groups", json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Book Club"})
    assert clash.status_code == 409 and clash.json()["scimType"] == "uniqueness"
    stranger = http.post(
        "/Groups",
        json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "X", "members": [{"value": "999999"}]},
    )
    assert stranger.status_code == 400 and stranger.json()["scimType"] == "invalidValue"

    events = db.exec(select(AuditEvent).where(AuditEvent.action.in_(["role.grant", "role.revoke", "scim_group.delete"]))).all()
    # Grants: Ann and Bob trainer, Bob manager; revokes: Ann's and Bob's trainer, Bob's manager; the deletion.
    assert len(events) == 7 and {e.actor_email for e in events} == {"API token HR directory"}


def test_who_may_call_scim(app, issue, db, signed_in):
    unit = OrgUnit(name="Digital")
    db.add(unit)
    db.commit()
    reader, unit_limited = issue(["people:read"], name="Reader"), issue(["scim:write"], unit=unit.id, name="Unit")
    with TestClient(app, base_url=BASE) as anonymous:
        for path in ("/Users", "/ServiceProviderConfig", "/Groups/1"):
            response = anonymous.get(path)
            assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
            assert response.headers["content-type"] == "application/scim+json" and response.json()["status"] == "401"
        assert anonymous.get("/Users", headers={"Authorization": "Bearer prf_unknown"}).status_code == 401
        denied = anonymous.post("/Users", json={"userName": "x@example.gov"}, headers={"Authorization": f"Bearer {reader}"})
        assert denied.status_code == 403 and "scim:write" in denied.json()["detail"]
        limited = anonymous.get("/Users", headers={"Authorization": f"Bearer {unit_limited}"})
        assert limited.status_code == 403 and "organisation unit" in limited.json()["detail"]
    # A signed-in admin's session cookie opens nothing here.
    browser, _admin = signed_in("admin")
    assert browser.get("/scim/v2/Users").status_code == 401


def test_listing_users_costs_the_same_statements_for_any_page_size(app, http, db):
    digital = OrgUnit(name="Digital")
    db.add(digital)
    db.commit()
    boss = _user(http, "boss@example.gov")
    group = http.post("/Groups", json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Everyone"}).json()[
        "id"
    ]
    ids = []
    for n in range(30):
        body = {
            "schemas": [USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "userName": f"p{n}@example.gov",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Digital", "manager": {"value": boss}},
        }
        ids.append(http.post("/Users", json=body).json()["id"])
    members = [{"value": i} for i in ids]
    http.patch(
        f"/Groups/{group}",
        json={
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": members}],
        },
    )

    def statements(count: int) -> int:
        with counting(app.state.engine) as seen:
            response = http.get("/Users", params={"startIndex": 3, "count": count})  # past the admin and the boss
        assert response.status_code == 200 and response.json()["itemsPerPage"] == count
        return len(seen)

    assert statements(2) == statements(30) <= 6
