"""API tokens: stored hashed and shown once; unknown, revoked and expired tokens and session cookies get 401;
each endpoint needs its own scope; use is recorded without a write per request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from lms.api.models import ApiToken
from lms.api.service import ApiTokenError, api_token_create, api_token_revoke
from lms.audit.models import AuditEvent
from lms.clock import utcnow
from tests.lms.api.conftest import bearer
from tests.lms.competences.factories import make_profile
from tests.lms.factories import make_unit

# One path per endpoint and the scope it needs ({profile}, {unit}, {person} are filled in by the tests).
ENDPOINTS = [
    ("/api/v1/frameworks", "frameworks:read"),
    ("/api/v1/frameworks/DigComp", "frameworks:read"),
    ("/api/v1/job-profiles", "profiles:read"),
    ("/api/v1/job-profiles/{profile}", "profiles:read"),
    ("/api/v1/org-units", "reports:read"),
    ("/api/v1/org-units/{unit}/aggregates", "reports:read"),
    ("/api/v1/people", "people:read"),
    ("/api/v1/people/{person}/competences", "people:read"),
]


def test_the_secret_is_returned_once_and_only_its_hash_is_stored(db, issue):
    token, secret = issue(["frameworks:read"])
    assert secret.startswith("prf_") and len(secret) > 40
    assert token.prefix == secret[:10]
    db.expire_all()
    stored = db.get(ApiToken, token.id)
    assert stored.token_hash != secret and len(stored.token_hash) == 64
    # Nowhere in the row, nor in the audit event about it, is the secret.
    dump = repr(db.exec(text("SELECT * FROM api_token")).all()) + repr(db.exec(select(AuditEvent)).all())
    assert secret not in dump and secret[10:] not in dump


def test_create_validates_and_audits(db, make_user):
    admin = make_user("admin")
    for kwargs, field in [
        ({"name": " ", "scopes": ["people:read"]}, "name"),
        ({"name": "X", "scopes": []}, "scopes"),
        ({"name": "X", "scopes": ["people:write"]}, "scopes"),
        ({"name": "X", "scopes": ["people:read"], "org_unit_id": 999999}, "org_unit_id"),
        ({"name": "X", "scopes": ["people:read"], "expires_at": utcnow() - timedelta(hours=1)}, "expires_at"),
    ]:
        with pytest.raises(ApiTokenError) as caught:
            api_token_create(db, **{"org_unit_id": None, "expires_at": None, **kwargs}, by=admin)
        assert caught.value.field == field
    token, _ = api_token_create(
        db, name="HR sync", scopes=["people:read", "frameworks:read"], org_unit_id=None, expires_at=None, by=admin
    )
    api_token_revoke(db, token=token, by=admin)
    db.commit()
    assert token.scopes == "frameworks:read people:read"
    events = db.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.target_id) for e in events] == [
        ("api_token.create", admin.id, str(token.id)),
        ("api_token.revoke", admin.id, str(token.id)),
    ]
    with pytest.raises(ApiTokenError):
        api_token_revoke(db, token=token, by=admin)


def _assert_401(response):
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]


def test_missing_malformed_and_unknown_tokens_are_refused(client, issue):
    _, secret = issue()
    _assert_401(client.get("/api/v1/frameworks"))
    _assert_401(client.get("/api/v1/frameworks", headers={"Authorization": f"Basic {secret}"}))
    _assert_401(client.get("/api/v1/frameworks", headers={"Authorization": "Bearer "}))
    _assert_401(client.get("/api/v1/frameworks", headers=bearer(secret + "x")))
    _assert_401(client.get("/api/v1/frameworks", headers=bearer("prf_" + "a" * 43)))
    assert client.get("/api/v1/frameworks", headers=bearer(secret)).status_code == 200


def test_revoked_and_expired_tokens_are_refused(client, db, issue):
    revoked, revoked_secret = issue()
    assert client.get("/api/v1/frameworks", headers=bearer(revoked_secret)).status_code == 200
    api_token_revoke(db, token=revoked, by=None)
    db.commit()
    _assert_401(client.get("/api/v1/frameworks", headers=bearer(revoked_secret)))

    expiring, expiring_secret = issue(expires_at=utcnow() + timedelta(hours=1))
    assert client.get("/api/v1/frameworks", headers=bearer(expiring_secret)).status_code == 200
    expiring.expires_at = utcnow() - timedelta(seconds=1)
    db.add(expiring)
    db.commit()
    _assert_401(client.get("/api/v1/frameworks", headers=bearer(expiring_secret)))


def test_a_session_cookie_alone_never_opens_the_api(signed_in):
    browser, _ = signed_in("admin", "skills_lead", "manager")
    assert browser.get("/admin").status_code == 200
    for path, _ in ENDPOINTS:
        _assert_401(browser.get(path.format(profile=1, person=1, unit=1)))


@pytest.fixture
def world(db, make_user, digcomp):
    unit = make_unit(db, "Digital")
    profile = make_profile(db, "Caseworker", {"1.1": 3})
    person = make_user(org_unit_id=unit.id, job_profile_id=profile.id)
    return {"profile": profile.id, "person": person.id, "unit": unit.id}


@pytest.mark.parametrize(("path", "scope"), ENDPOINTS)
def test_each_endpoint_needs_its_scope(client, issue, world, path, scope):
    url = path.format(**world)
    _, without = issue([s for s in ["frameworks:read", "profiles:read", "reports:read", "people:read"] if s != scope])
    _, only = issue([scope])
    refused = client.get(url, headers=bearer(without))
    assert refused.status_code == 403 and scope in refused.json()["detail"]
    assert client.get(url, headers=bearer(only)).status_code == 200


def test_last_used_is_recorded_at_most_once_a_minute(client, db, issue):
    token, secret = issue()
    assert token.last_used_at is None
    with_writes = []
    for _ in range(3):
        assert client.get("/api/v1/frameworks", headers=bearer(secret)).status_code == 200
        db.expire_all()
        with_writes.append(db.get(ApiToken, token.id).last_used_at)
    assert with_writes[0] is not None and with_writes[0] == with_writes[1] == with_writes[2]
    # Once the minute has passed, the next request records the new time.
    stale = utcnow() - timedelta(minutes=2)
    db.exec(text("UPDATE api_token SET last_used_at = :t WHERE id = :id").bindparams(t=stale, id=token.id))
    db.commit()
    assert client.get("/api/v1/frameworks", headers=bearer(secret)).status_code == 200
    db.expire_all()
    assert db.get(ApiToken, token.id).last_used_at > stale + timedelta(minutes=1)
