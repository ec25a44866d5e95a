"""Admin pages for API tokens: create with 422 on bad input, the secret shown exactly once, revoke with a
confirmation step, and nothing for non-admins."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from lms.api.models import ApiToken
from lms.audit.models import AuditEvent
from tests.lms.api.conftest import bearer
from tests.lms.factories import make_unit

SECRET_RE = re.compile(r'value="(prf_[^"]+)"')


def test_create_shows_the_secret_once_and_it_works(signed_in, client, db):
    browser, admin = signed_in("admin")
    unit = make_unit(db, "Digital")
    assert 'href="/admin/api-tokens"' in browser.get("/admin").text
    r = browser.post(
        "/admin/api-tokens",
        {"name": "HR dashboard", "scopes": ["people:read", "reports:read"], "org_unit_id": str(unit.id), "expires_on": "2099-12-31"},
    )
    assert r.status_code == 201 and "This is the only time Proficio shows it" in r.text
    assert r.headers["cache-control"] == "no-store"
    secret = SECRET_RE.search(r.text).group(1)
    token = db.exec(select(ApiToken)).one()
    assert (token.name, token.scopes, token.org_unit_id, token.created_by_id) == (
        "HR dashboard",
        "people:read reports:read",
        unit.id,
        admin.id,
    )
    assert token.expires_at.isoformat() == "2100-01-01T00:00:00+00:00"
    # The list shows the prefix and settings, never the secret again.
    page = html.unescape(browser.get("/admin/api-tokens").text)
    assert "HR dashboard" in page and token.prefix in page and "Digital" in page and "Active" in page
    assert secret not in page and secret[len(token.prefix) :] not in page
    assert secret not in browser.get(f"/admin/api-tokens/{token.id}/revoke").text
    # And the secret really opens the API (without the admin's session).
    client.cookies.clear()
    assert client.get("/api/v1/people", headers=bearer(secret)).status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "scopes": ["people:read"]}, "name", "Enter a name"),
        ({"name": "X"}, "scopes", "Choose at least one"),
        ({"name": "X", "scopes": ["people:write"]}, "scopes", "Unknown scope"),
        ({"name": "X", "scopes": ["people:read"], "org_unit_id": "999999"}, "org_unit_id", "Choose an organisation unit"),
        ({"name": "X", "scopes": ["people:read"], "expires_on": "31/12/2099"}, "expires_on", "YYYY-MM-DD"),
        ({"name": "X", "scopes": ["people:read"], "expires_on": "2001-01-01"}, "expires_on", "from today onwards"),
    ],
)
def test_bad_input_re_renders_the_form_with_422(signed_in, db, data, field, message):
    browser, _ = signed_in("admin")
    r = browser.post("/admin/api-tokens", data)
    assert r.status_code == 422
    assert message in html.unescape(r.text) and f'href="#{field}"' in r.text
    assert 'value="prf_' not in r.text
    assert db.exec(select(ApiToken)).all() == []


def test_revoke_asks_first_then_refuses_the_token(signed_in, client, db):
    browser, admin = signed_in("admin")
    r = browser.post("/admin/api-tokens", {"name": "Old sync", "scopes": ["frameworks:read"]})
    secret = SECRET_RE.search(r.text).group(1)
    token = db.exec(select(ApiToken)).one()
    assert client.get("/api/v1/frameworks", headers=bearer(secret)).status_code == 200

    list_page = browser.get("/admin/api-tokens").text
    assert f'href="/admin/api-tokens/{token.id}/revoke"' in list_page
    confirm = browser.get(f"/admin/api-tokens/{token.id}/revoke")
    assert confirm.status_code == 200 and f'action="/admin/api-tokens/{token.id}/revoke"' in confirm.text
    db.expire_all()
    assert db.get(ApiToken, token.id).revoked_at is None  # looking at the confirmation changes nothing

    r = browser.post(f"/admin/api-tokens/{token.id}/revoke")
    assert r.status_code == 303 and r.headers["location"] == "/admin/api-tokens"
    db.expire_all()
    assert db.get(ApiToken, token.id).revoked_at is not None
    page = browser.get("/admin/api-tokens").text
    assert "has been revoked" in page and "Revoked" in page
    assert f'href="/admin/api-tokens/{token.id}/revoke"' not in page
    assert client.get("/api/v1/frameworks", headers=bearer(secret)).status_code == 401
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.target_type == "api_token")).all()
    assert sorted(actions) == ["api_token.create", "api_token.revoke"]
    # Revoking twice is harmless and says so.
    again = browser.post(f"/admin/api-tokens/{token.id}/revoke")
    assert again.status_code == 303 and "already revoked" in browser.get("/admin/api-tokens").text


def test_revoke_needs_the_csrf_token(signed_in, db, issue):
    browser, _ = signed_in("admin")
    token, _ = issue(["frameworks:read"])
    r = browser.client.post(f"/admin/api-tokens/{token.id}/revoke", data={})
    assert r.status_code == 403
    db.expire_all()
    assert db.get(ApiToken, token.id).revoked_at is None


@pytest.mark.parametrize("role", [None, "trainer", "manager", "skills_lead"])
def test_non_admins_get_403(signed_in, db, issue, role):
    token, _ = issue(["frameworks:read"])
    browser, _ = signed_in(*([role] if role else []))
    assert browser.get("/admin/api-tokens").status_code == 403
    assert browser.get(f"/admin/api-tokens/{token.id}/revoke").status_code == 403
    assert browser.post("/admin/api-tokens", {"name": "Mine", "scopes": ["people:read"]}).status_code == 403
    assert browser.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 403
    db.expire_all()
    assert len(db.exec(select(ApiToken)).all()) == 1 and db.get(ApiToken, token.id).revoked_at is None
