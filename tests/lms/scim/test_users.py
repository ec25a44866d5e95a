"""An HR directory provisions people through scim2-client: create, move, deactivate, reactivate, find."""

from __future__ import annotations

from scim2_models import Error, PatchOp, SearchRequest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.competences.models import Evidence, JobProfile
from lms.competences.service import self_assess
from lms.people.models import OrgUnit, User
from tests.conftest import sign_in
from tests.lms.competences.factories import make_competences

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _organisation(db) -> dict[str, int]:
    digital = OrgUnit(name="Digital Directorate")
    db.add(digital)
    db.flush()
    data, design = OrgUnit(name="Data Team", parent_id=digital.id), OrgUnit(name="Design Team", parent_id=digital.id)
    db.add_all([data, design, JobProfile(name="Data analyst"), JobProfile(name="Delivery manager")])
    db.commit()
    return {"data": data.id, "design": design.id}


def _person(scim, **fields):
    model = scim.get_resource_model("User")
    return scim.create(model.model_validate({"schemas": [USER, ENTERPRISE], **fields}))


def _patch(scim, user_id: str, *operations: dict):
    model = scim.get_resource_model("User")
    return scim.modify(model, user_id, PatchOp[model].model_validate({"Operations": list(operations)}))


def test_create_with_unit_profile_and_manager_then_move(scim, db):
    units = _organisation(db)
    boss = _person(scim, userName="Boss@Example.gov", displayName="Bea Boss")
    other_boss = _person(scim, userName="other.boss@example.gov", name={"givenName": "Otto", "familyName": "Boss"})
    ann = _person(
        scim,
        userName="ann@example.gov",
        externalId="HR-1001",
        name={"givenName": "Ann", "familyName": "Lee"},
        title="Data analyst",
        **{ENTERPRISE: {"department": "Digital Directorate / Data Team", "manager": {"value": boss.id, "$ref": boss.meta.location}}},
    )
    assert boss.user_name == "boss@example.gov" and other_boss.display_name == "Otto Boss"
    assert ann.display_name == "Ann Lee" and ann.title == "Data analyst" and ann.active is True
    assert ann.meta.version.startswith('W/"') and ann.meta.location.endswith(f"/scim/v2/Users/{ann.id}")
    person = db.get(User, int(ann.id))
    assert person.org_unit_id == units["data"] and person.manager_id == int(boss.id) and person.created_via == "scim"
    assert db.get(JobProfile, person.job_profile_id).name == "Data analyst" and person.external_id == "HR-1001"

    # A move: new manager and unit (bare manager id, as Entra ID sends it), new job profile.
    moved = _patch(
        scim,
        ann.id,
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": other_boss.id}},
        {"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Digital Directorate / Design Team"},
        {"op": "replace", "path": "title", "value": "Delivery manager"},
    )
    assert moved.meta.version != ann.meta.version
    db.expire_all()
    person = db.get(User, int(ann.id))
    assert person.manager_id == int(other_boss.id) and person.org_unit_id == units["design"]
    assert db.get(JobProfile, person.job_profile_id).name == "Delivery manager"
    # Every change names the token in the audit log.
    events = db.exec(select(AuditEvent).where(AuditEvent.target_id == ann.id)).all()
    assert {e.action for e in events} >= {"user.create", "user.update", "user.job_profile"}
    assert {e.actor_email for e in events} == {"API token HR directory"}


def test_deactivate_ends_sessions_keeps_evidence_and_reactivate_restores(scim, db, client, make_user):
    person = make_user(email="leaver@example.gov")
    [skill] = make_competences(db, "4.1")
    self_assess(db, user=person, competence=skill, level=2)
    db.commit()
    assert sign_in(client, person.email).status_code == 303
    assert client.get("/account").status_code == 200

    # The directory finds the existing account by userName, links it, then deactivates it.
    model = scim.get_resource_model("User")
    found = scim.query(model, query_parameters=SearchRequest(filter='userName eq "Leaver@example.gov"'))
    assert found.total_results == 1 and found.resources[0].id == str(person.id)
    _patch(scim, str(person.id), {"op": "add", "path": "externalId", "value": "HR-7"})
    gone = _patch(scim, str(person.id), {"op": "replace", "path": "active", "value": "False"})  # Entra ID's string
    assert gone.active is False
    response = client.get("/account")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")  # the session ended at once
    assert sign_in(client, person.email).status_code != 303
    db.expire_all()
    assert db.exec(select(Evidence).where(Evidence.user_id == person.id)).first() is not None

    back = _patch(scim, str(person.id), {"op": "replace", "value": {"active": True}})
    assert back.active is True
    assert sign_in(client, person.email).status_code == 303
    actions = [e.action for e in db.exec(select(AuditEvent).where(AuditEvent.target_id == str(person.id))).all()]
    assert "user.deactivate" in actions and "user.activate" in actions


def test_delete_deactivates_and_erases_nothing(scim, http, db):
    ann = _person(scim, userName="ann@example.gov")
    assert http.delete(f"/Users/{ann.id}").status_code == 204
    db.expire_all()
    person = db.get(User, int(ann.id))
    assert person is not None and person.is_active is False
    assert http.get(f"/Users/{ann.id}").json()["active"] is False


def test_filters_and_pages(scim, http):
    for n in range(7):
        _person(scim, userName=f"p{n}@example.gov", externalId=f"E{n}")
    # The token's issuer (an admin) is a user too: 8 in all.
    page = http.get("/Users", params={"startIndex": 3, "count": 2}).json()
    assert page["totalResults"] == 8 and page["startIndex"] == 3 and page["itemsPerPage"] == 2
    assert [r["userName"] for r in page["Resources"]] == ["p1@example.gov", "p2@example.gov"]
    assert http.get("/Users", params={"count": 0}).json() | {"Resources": None} == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 8,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": None,
    }
    both = http.get("/Users", params={"filter": 'externalId eq "E4" and emails.value eq "P4@example.gov"'}).json()
    assert [r["userName"] for r in both["Resources"]] == ["p4@example.gov"]
    assert http.get("/Users", params={"filter": 'externalId eq "E4" and userName eq "p5@example.gov"'}).json()["totalResults"] == 0
    attrs = http.get("/Users", params={"filter": 'userName eq "p6@example.gov"', "attributes": "userName"}).json()["Resources"][0]
    assert set(attrs) == {"schemas", "id", "userName"}
    for bad in ('userName co "p"', 'userName eq "a" or userName eq "b"', 'title eq "x"', "userName eq", 'name.givenName eq "A"'):
        response = http.get("/Users", params={"filter": bad})
        assert response.status_code == 400, bad
        assert response.json()["scimType"] == "invalidFilter" and response.headers["content-type"] == "application/scim+json"
    model = scim.get_resource_model("User")
    searched = scim.search(SearchRequest(filter='userName eq "p3@example.gov"'), expected_status_codes=[501], raise_scim_errors=False)
    assert isinstance(searched, Error) and searched.status == 501
    posted = scim.search(model, SearchRequest(filter='externalId eq "E3"', attributes=["userName"]))
    assert [r.user_name for r in posted.resources] == ["p3@example.gov"] and posted.resources[0].active is None
    assert scim.query(model, query_parameters=SearchRequest(start_index=8, count=5)).items_per_page == 1


def test_etags_and_preconditions(http):
    created = http.post("/Users", json={"schemas": [USER], "userName": "e@example.gov"})
    etag, uid = created.headers["etag"], created.json()["id"]
    assert etag == created.json()["meta"]["version"] and etag.startswith('W/"')
    assert http.get(f"/Users/{uid}", headers={"If-None-Match": etag}).status_code == 304
    changed = http.patch(
        f"/Users/{uid}",
        headers={"If-Match": etag},
        json={
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "displayName", "value": "Eve"}],
        },
    )
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    stale = http.put(
        f"/Users/{uid}", headers={"If-Match": etag}, json={"schemas": [USER], "userName": "e@example.gov", "displayName": "Old"}
    )
    assert stale.status_code == 412 and stale.json()["status"] == "412"
    assert http.delete(f"/Users/{uid}", headers={"If-Match": etag}).status_code == 412
    assert http.get(f"/Users/{uid}").json()["displayName"] == "Eve"


def test_refusals_are_scim_errors(http, db):
    _organisation(db)
    http.post("/Users", json={"schemas": [USER], "userName": "taken@example.gov", "externalId": "X1"})

    def refused(response, status: int, scim_type: str | None, words: str) -> None:
        assert response.status_code == status, response.text
        body = response.json()
        assert response.headers["content-type"] == "application/scim+json"
        assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"] and body["status"] == str(status)
        assert body.get("scimType") == scim_type and words in body["detail"], body

    refused(http.post("/Users", json={"schemas": [USER], "userName": "TAKEN@example.gov"}), 409, "uniqueness", "already exists")
    refused(
        http.post("/Users", json={"schemas": [USER], "userName": "new@example.gov", "externalId": "X1"}),
        409,
        "uniqueness",
        "externalId",
    )
    refused(
        http.post("/Users", content=b'{"userName": ', headers={"content-type": "application/scim+json"}),
        400,
        "invalidSyntax",
        "not valid JSON",
    )
    refused(http.post("/Users", json=["a"]), 400, "invalidSyntax", "JSON object")
    refused(http.post("/Users", json={"schemas": [USER], "userName": "bjensen"}), 400, "invalidValue", "e-mail address")
    refused(
        http.post(
            "/Users", json={"schemas": [USER, ENTERPRISE], "userName": "u@example.gov", ENTERPRISE: {"department": "Nowhere / Team"}}
        ),
        400,
        "invalidValue",
        "No organisation unit 'Nowhere / Team'",
    )
    refused(
        http.post("/Users", json={"schemas": [USER], "userName": "u@example.gov", "title": "Astronaut"}),
        400,
        "invalidValue",
        "No job profile called 'Astronaut'",
    )
    refused(
        http.post("/Users", json={"schemas": [USER, ENTERPRISE], "userName": "u@example.gov", ENTERPRISE: {"manager": "424242"}}),
        400,
        "invalidValue",
        "manager '424242'",
    )
    refused(http.get("/Users/424242"), 404, None, "No user")
    refused(http.get("/Users/not-a-number"), 404, None, "No user")
    refused(http.get("/Users", params={"count": "many"}), 400, "invalidValue", "count")
    refused(
        http.patch(
            "/Users/1",
            json={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "jump", "path": "x"}]},
        ),
        400,
        "invalidValue",
        "",
    )
    refused(
        http.patch(
            "/Users/1",
            json={
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "groups", "value": []}],
            },
        ),
        400,
        "mutability",
        "",
    )
    refused(
        http.post("/Users", content=b"x" * (1024 * 1024 + 10), headers={"content-type": "application/scim+json"}),
        413,
        None,
        "Too much data",
    )
    refused(http.request("PATCH", "/ServiceProviderConfig"), 405, None, "")
    refused(http.get("/Elsewhere"), 404, None, "")
    assert db.exec(select(User).where(User.email == "u@example.gov")).first() is None


def test_malformed_requests_get_the_scim_type_they_need(http):
    uid = http.post("/Users", json={"schemas": [USER], "userName": "ann@example.gov"}).json()["id"]
    patch = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    cases = [
        (http.patch(f"/Users/{uid}", json={"schemas": [patch], "Operations": [{"op": "remove", "path": "userName"}]}), 400),
        (http.patch(f"/Users/{uid}", json={"schemas": [patch]}), 400),
        (http.post("/Users", json={"schemas": [USER], "displayName": "No address"}), 400),
        (http.post("/Users", json={"schemas": [USER], "userName": "  "}), 400),
        (http.get("/Users", params={"filter": 'userName eq "\\q"'}), 400),
        (http.get("/Users", params={"filter": 'userName eq "a" and'}), 400),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        body = response.json()
        assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"] and body["scimType"] and body["detail"]
    assert http.get(f"/Users/{uid}").json()["userName"] == "ann@example.gov"


def test_huge_numbers_name_nothing(http):
    for path in ("/Users/99999999999999999", "/Groups/99999999999999999", "/Users/1e3", "/Users/%C2%B2"):
        assert http.get(path).status_code == 404, path
    for params in ({"startIndex": "99999999999999999999"}, {"filter": 'id eq "99999999999999999"'}):
        response = http.get("/Users", params=params)
        assert response.status_code == 200 and response.json()["Resources"] == [], params
    big = http.post("/Users/.search", json={"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "startIndex": 10**12})
    assert big.status_code == 200 and big.json()["Resources"] == []
    long_id = {"schemas": [USER], "userName": "long@example.gov", "externalId": "x" * 256}
    assert http.post("/Users", json=long_id).json()["scimType"] == "invalidValue"
    group = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "G", "externalId": "x" * 256}
    assert http.post("/Groups", json=group).json()["scimType"] == "invalidValue"
    nul = http.post("/Users", json={"schemas": [USER], "userName": "nul@example.gov", "displayName": "A\u0000B"})
    assert nul.status_code == 400 and nul.json()["scimType"] == "invalidValue"
    assert http.get("/Users", params={"filter": 'userName eq "a\u0000b"'}).status_code == 400
