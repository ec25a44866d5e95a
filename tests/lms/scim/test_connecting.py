"""An administrator issues a scim:write token on the API tokens page and a connector uses it; PUT and
the group filters as a directory's connector sends them."""

from __future__ import annotations

import html
import re

from sqlmodel import select
from starlette.testclient import TestClient

from lms.audit.models import AuditEvent
from lms.competences.models import JobProfile
from lms.people.models import OrgUnit, User
from tests.lms.scim.conftest import BASE

SECRET_RE = re.compile(r'value="(prf_[^"]+)"')
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_admin_issues_a_scim_token_on_the_tokens_page(app, signed_in, db):
    browser, _admin = signed_in("admin")
    page = html.unescape(browser.get("/admin/api-tokens").text)
    assert 'value="scim:write"' in page and "SCIM provisioning at /scim/v2" in page
    created = browser.post("/admin/api-tokens", {"name": "Entra ID", "scopes": ["scim:write"]})
    assert created.status_code == 201
    secret = SECRET_RE.search(created.text).group(1)
    with TestClient(app, base_url=BASE, headers={"Authorization": f"Bearer {secret}"}) as connector:
        assert connector.get("/ServiceProviderConfig").json()["patch"]["supported"] is True
        made = connector.post("/Users", json={"schemas": [USER], "userName": "new.starter@example.gov", "displayName": "New Starter"})
        assert made.status_code == 201
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "user.create", AuditEvent.target_id == made.json()["id"])).one()
    assert event.actor_email == "API token Entra ID" and event.actor_id is None


def test_put_replaces_and_clears_what_it_leaves_out(http, db):
    unit = OrgUnit(name="Digital")
    db.add_all([unit, JobProfile(name="Data analyst")])
    db.commit()
    boss = http.post("/Users", json={"schemas": [USER], "userName": "boss@example.gov"}).json()["id"]
    full = {
        "schemas": [USER, ENTERPRISE],
        "userName": "ann@example.gov",
        "externalId": "HR-1",
        "displayName": "Ann Lee",
        "title": "Data analyst",
        ENTERPRISE: {"department": "Digital", "manager": {"value": boss}},
    }
    ann = http.post("/Users", json=full).json()
    assert ann[ENTERPRISE] == {"department": "Digital", "manager": {"value": boss, "$ref": f"{BASE}/Users/{boss}"}}
    replaced = http.put(f"/Users/{ann['id']}", json={"schemas": [USER], "userName": "ann.lee@example.gov", "displayName": "Ann Lee"})
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["userName"] == "ann.lee@example.gov" and body["active"] is True
    assert "title" not in body and ENTERPRISE not in body and "externalId" not in body
    db.expire_all()
    person = db.get(User, int(ann["id"]))
    assert (person.email, person.org_unit_id, person.job_profile_id, person.manager_id, person.external_id) == (
        "ann.lee@example.gov",
        None,
        None,
        None,
        None,
    )
    # A PUT naming a manager that would make a cycle is refused.
    assert http.put(f"/Users/{ann['id']}", json={**full, "userName": "ann.lee@example.gov"}).status_code == 200
    cycle = http.put(
        f"/Users/{boss}",
        json={"schemas": [USER, ENTERPRISE], "userName": "boss@example.gov", ENTERPRISE: {"manager": {"value": ann["id"]}}},
    )
    assert cycle.status_code == 400 and cycle.json()["scimType"] == "invalidValue" and "cycle" in cycle.json()["detail"]
    # Filters by id and with the core schema's URN.
    found = http.get(
        "/Users", params={"filter": f'id eq "{boss}" and urn:ietf:params:scim:schemas:core:2.0:User:userName eq "boss@example.gov"'}
    )
    assert [r["id"] for r in found.json()["Resources"]] == [boss]
    assert http.get("/Users", params={"filter": 'id eq "x"'}).json()["totalResults"] == 0


def test_groups_put_filters_and_etags(http, db):
    ann = http.post("/Users", json={"schemas": [USER], "userName": "ann@example.gov"}).json()["id"]
    bob = http.post("/Users", json={"schemas": [USER], "userName": "bob@example.gov"}).json()["id"]
    made = http.post(
        "/Groups", json={"schemas": [GROUP], "displayName": "LMS Trainers", "externalId": "G-1", "members": [{"value": ann}]}
    )
    assert made.status_code == 201
    gid, etag = made.json()["id"], made.headers["etag"]
    assert http.get(f"/Groups/{gid}", headers={"If-None-Match": etag}).status_code == 304
    put = http.put(
        f"/Groups/{gid}",
        headers={"If-Match": etag},
        json={"schemas": [GROUP], "displayName": "LMS Trainers", "externalId": "G-1", "members": [{"value": bob}]},
    )
    assert put.status_code == 200 and [m["value"] for m in put.json()["members"]] == [bob] and put.headers["etag"] != etag
    assert http.put(f"/Groups/{gid}", headers={"If-Match": etag}, json={"schemas": [GROUP], "displayName": "X"}).status_code == 412
    same = http.put(
        f"/Groups/{gid}", json={"schemas": [GROUP], "displayName": "LMS Trainers", "externalId": "G-1", "members": [{"value": bob}]}
    )
    assert same.headers["etag"] == put.headers["etag"]  # nothing changed, nothing written
    for text in ('externalId eq "G-1"', f'id eq "{gid}"', 'displayName eq "lms trainers"'):
        assert [g["id"] for g in http.get("/Groups", params={"filter": text}).json()["Resources"]] == [gid], text
    searched = http.post(
        "/Groups/.search", json={"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "excludedAttributes": ["members"]}
    )
    assert searched.json()["totalResults"] == 1 and "members" not in searched.json()["Resources"][0]
    assert http.get("/Groups", params={"filter": 'members eq "1"'}).json()["scimType"] == "invalidFilter"
    assert http.get("/Groups/404404").status_code == 404
    assert http.post("/Groups", json={"schemas": [GROUP], "displayName": "  "}).json()["scimType"] == "invalidValue"
    assert http.post("/Groups", json={"schemas": [GROUP], "displayName": "x" * 256}).status_code == 400
    assert http.get("/Users", params={"attributes": "userName", "excludedAttributes": "emails"}).status_code == 400
    assert http.delete(f"/Groups/{gid}", headers={"If-Match": 'W/"stale"'}).status_code == 412
    assert http.delete(f"/Groups/{gid}").status_code == 204


PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def test_entra_id_payloads(http, db):
    """Requests as Microsoft Entra ID's provisioning service sends them (its documented SCIM shapes)."""
    db.add(OrgUnit(name="Finance"))
    db.commit()
    # "Test connection": a filter on a random userName answers an empty list.
    empty = http.get("/Users", params={"filter": 'userName eq "b7b6a5cc-0000-4b7e-9bd6-22e1e0e0f0aa"'})
    assert empty.status_code == 200 and empty.json()["totalResults"] == 0 and empty.json()["Resources"] == []
    boss = http.post("/Users", json={"schemas": [USER], "userName": "boss@contoso.example", "active": True}).json()["id"]
    created = http.post(
        "/Users",
        json={
            "schemas": [USER, ENTERPRISE],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7b2e7c0b7e7f",
            "userName": "Test_User_ab6490ee@contoso.example",
            "active": True,
            "displayName": "Test User",
            "emails": [{"primary": True, "type": "work", "value": "Test_User_ab6490ee@contoso.example"}],
            "meta": {"resourceType": "User"},
            "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
            "roles": [],
            "urn:contoso:custom:attributes": {"costCentre": "X"},  # a tenant's own extension: ignored
            ENTERPRISE: {"department": "Finance", "employeeNumber": "E-1"},
        },
    )
    assert created.status_code == 201, created.text
    uid = created.json()["id"]
    patched = http.patch(
        f"/Users/{uid}",
        json={
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "updated@contoso.example"},
                {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
                {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": boss},
                {"op": "Replace", "path": "active", "value": "False"},
            ],
        },
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["userName"] == "updated@contoso.example" and body["active"] is False
    assert body["displayName"] == "Test updatedFamilyName"  # "Test User" (its displayName) with the new surname
    assert body[ENTERPRISE]["manager"]["value"] == boss and body[ENTERPRISE]["department"] == "Finance"
    group = http.post(
        "/Groups", json={"schemas": [GROUP], "externalId": "8aa1a0c0", "displayName": "LMS Trainers", "members": []}
    ).json()["id"]
    added = http.patch(
        f"/Groups/{group}",
        json={"schemas": [PATCH_OP], "Operations": [{"op": "Add", "path": "members", "value": [{"value": uid}, {"value": boss}]}]},
    )
    assert {m["value"] for m in added.json()["members"]} == {uid, boss}
    # Entra removes a member by naming it in `value`, not in the path.
    removed = http.patch(
        f"/Groups/{group}",
        json={"schemas": [PATCH_OP], "Operations": [{"op": "Remove", "path": "members", "value": [{"value": uid}]}]},
    )
    assert removed.status_code == 200, removed.text
    assert [m["value"] for m in removed.json()["members"]] == [boss]
    renamed = http.patch(
        f"/Groups/{group}",
        json={"schemas": [PATCH_OP], "Operations": [{"op": "Replace", "value": {"id": group, "displayName": "LMS Managers"}}]},
    )
    assert renamed.status_code == 200 and renamed.json()["displayName"] == "LMS Managers", renamed.text


def test_configured_attributes_carry_unit_and_profile(app, http, db):
    """SCIM_ORG_UNIT_ATTRIBUTE and SCIM_JOB_PROFILE_ATTRIBUTE name other attributes; the schema says so."""
    import pytest

    from lms.config import ConfigError, Settings

    with pytest.raises(ConfigError, match="SCIM_JOB_PROFILE_ATTRIBUTE must be a single-valued text attribute"):
        Settings(scim_job_profile_attribute="department")
    organisation = f"{ENTERPRISE}:organization"
    app.state.settings = app.state.settings.model_copy(
        update={"scim_org_unit_attribute": organisation, "scim_job_profile_attribute": "userType"}
    )
    db.add_all([OrgUnit(name="Digital"), JobProfile(name="Data analyst")])
    db.commit()
    made = http.post(
        "/Users",
        json={
            "schemas": [USER, ENTERPRISE],
            "userName": "a@example.gov",
            "userType": "Data analyst",
            ENTERPRISE: {"organization": "Digital"},
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["userType"] == "Data analyst" and made.json()[ENTERPRISE] == {"organization": "Digital"}
    schemas = {s["id"]: s for s in http.get("/Schemas").json()["Resources"]}
    assert "userType" in {a["name"] for a in schemas[USER]["attributes"]} and "title" not in {
        a["name"] for a in schemas[USER]["attributes"]
    }
    assert {a["name"] for a in schemas[ENTERPRISE]["attributes"]} == {"organization", "manager"}
