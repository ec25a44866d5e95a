"""The directory cannot lock out the break-glass administrators, the accounts kept for when it is wrong."""

from __future__ import annotations

import pytest

from lms.people.models import User

KEEPER = "keeper@example.gov"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"auth_break_glass_admins": f"someone@example.gov, {KEEPER.upper()}"})


def _create(http, email: str) -> str:
    r = http.post("/Users", json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email, "displayName": "K"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_deactivating_a_break_glass_admin_is_refused_by_every_verb(http, db):
    keeper = _create(http, KEEPER)
    ordinary = _create(http, "ordinary@example.gov")
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    put = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": KEEPER, "displayName": "K", "active": False}
    for answer in (
        http.patch(f"/Users/{keeper}", json=patch),
        http.put(f"/Users/{keeper}", json=put),
        http.delete(f"/Users/{keeper}"),
    ):
        assert answer.status_code == 400 and answer.json()["scimType"] == "mutability"
        assert "break-glass" in answer.json()["detail"]
    db.expire_all()
    assert db.get(User, int(keeper)).is_active is True
    # Anyone else goes as before, and the keeper's other attributes still follow the directory.
    assert http.delete(f"/Users/{ordinary}").status_code == 204
    rename = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "displayName", "value": "Kim Keeper"}],
    }
    assert http.patch(f"/Users/{keeper}", json=rename).status_code == 200
    db.expire_all()
    assert db.get(User, int(keeper)).name == "Kim Keeper"
